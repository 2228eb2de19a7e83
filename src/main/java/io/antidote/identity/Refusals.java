package io.antidote.identity;

import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.spi.runtime.AuthenticationFailureEvent;
import io.quarkus.security.spi.runtime.AuthorizationFailureEvent;
import io.quarkus.security.spi.runtime.MethodDescription;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * Every refused request is logged with who, what and why (issue 13): refusals of the security layer (no or a
 * bad credential, a missing role) arrive as Quarkus security events, those decided by the product (a playbook
 * the caller may not run, an approval role it does not hold) through {@link #forbidden}. Never a credential:
 * only the subject, the method and path, and the reason.
 */
@ApplicationScoped
public class Refusals {

    private static final Logger LOG = Logger.getLogger(Refusals.class);
    /** The request's method and path, kept on its Vert.x context for the security events, which lack them. */
    private static final String REQUEST = "antidote.request";

    /** Notes every request's method and path before the security layer sees it (its events carry neither). */
    void noteRequests(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            if (VertxContext.isOnDuplicatedContext()) {
                String path = context.request().path();
                ContextLocals.put(REQUEST, context.request().method() + " "
                        + (path == null ? "" : path.length() > 200 ? path.substring(0, 200) + "..." : path));
            }
            context.next();
        });
    }

    void authenticationFailed(@Observes AuthenticationFailureEvent event) {
        if (event.getAuthenticationFailure() instanceof AuthenticationRedirectException) {
            return;  // the console's login on its way (quarkus-oidc's code flow), not a refusal
        }
        LOG.warnf("refused (401) %s %s: %s", who(event.getSecurityIdentity()), what(event.getEventProperties()),
                reason(event.getAuthenticationFailure()));
    }

    void authorizationFailed(@Observes AuthorizationFailureEvent event) {
        SecurityIdentity identity = event.getSecurityIdentity();
        boolean anonymous = identity == null || identity.isAnonymous();
        Object secured = event.getEventProperties() == null ? null
                : event.getEventProperties().get(AuthorizationFailureEvent.SECURED_METHOD_KEY);
        String why = anonymous ? "no credential"
                : secured instanceof MethodDescription method ? "no role that "
                        + method.getClassName().substring(method.getClassName().lastIndexOf('.') + 1) + "."
                        + method.getMethodName() + " admits"
                : event.getAuthorizationFailure() instanceof ForbiddenException forbidden
                        && (forbidden.getMessage() == null || forbidden.getMessage().isBlank())
                        ? "no role this endpoint admits"
                : reason(event.getAuthorizationFailure());
        LOG.warnf("refused (%s) %s %s: %s%s", anonymous ? "401" : "403", who(identity),
                what(event.getEventProperties()), why, anonymous ? "" : " (holds " + identity.getRoles() + ")");
    }

    /** Logs a refusal the product decided and returns the exception that answers it with 403. */
    public ForbiddenException forbidden(Caller caller, String what, String why) {
        LOG.warnf("refused (403) %s %s: %s (holds %s)", caller.subject(), what, scrubbed(why), caller.roles());
        return new ForbiddenException(why);
    }

    private static String who(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    private static String what(Map<String, Object> properties) {
        RoutingContext context = properties == null ? null : HttpSecurityUtils.getRoutingContextAttribute(properties);
        if (context != null) {
            String path = context.request().path();
            return context.request().method() + " " + (path.length() > 200 ? path.substring(0, 200) + "..." : path);
        }
        if (VertxContext.isOnDuplicatedContext()) {
            return ContextLocals.<String>get(REQUEST).orElse("(request unknown)");
        }
        return "(request unknown)";
    }

    private static String reason(Throwable failure) {
        if (failure == null) {
            return "refused";
        }
        // Token verification messages name claims and algorithms, never the token; still bounded.
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        Throwable cause = failure.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + ": " + cause.getMessage();
        }
        return scrubbed(message.length() > 300 ? message.substring(0, 300) + "..." : message);
    }

    /**
     * Verification libraries may print the token they refused (jose4j's JWS string ends with the compact
     * serialization): anything shaped like a JWT or an API token is cut out before it reaches a log line.
     */
    static String scrubbed(String text) {
        return JWT_LIKE.matcher(API_TOKEN_LIKE.matcher(text).replaceAll("atk_(token)")).replaceAll("(token)");
    }

    private static final java.util.regex.Pattern JWT_LIKE =
            java.util.regex.Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}(\\.[A-Za-z0-9_-]*)?");
    private static final java.util.regex.Pattern API_TOKEN_LIKE =
            java.util.regex.Pattern.compile("atk_[A-Za-z0-9_-]+");
}
