package io.antidote.identity;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API token as the request presented it, on its way to {@link ApiTokenIdentityProvider}. */
final class ApiTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    ApiTokenRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiTokenRequest[token=(hidden)]";
    }
}
