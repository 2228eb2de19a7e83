package io.antidote.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real OIDC access tokens for tests: RS256 JWTs signed with the test key (src/test/resources/identity, test
 * only), whose public half the test profile's quarkus-oidc verifies against (application.properties). Nothing
 * in the security layer is stubbed: a token the service accepts here is one it would accept from a provider
 * with that key.
 */
public final class TestTokens {

    public static final String ISSUER = "https://idp.antidote.test";
    public static final String AUDIENCE = "antidote";
    /** The key the test profile trusts. */
    public static final PrivateKey KEY = privateKey("/identity/test-oidc-signing-key.pem");

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTokens() {
    }

    /** A token for this subject with these roles, allowed every playbook, valid for an hour. */
    public static String person(String subject, String... roles) {
        return person(subject, List.of(roles), List.of(Caller.ALL_PLAYBOOKS));
    }

    public static String person(String subject, Collection<String> roles, Collection<String> playbooks) {
        return signed(claims(subject, roles, playbooks, Instant.now().plus(Duration.ofHours(1))), KEY);
    }

    /** The claims a provider would put in an access token for Antidote. */
    public static Map<String, Object> claims(String subject, Collection<String> roles, Collection<String> playbooks,
                                             Instant expires) {
        Map<String, Object> claims = new LinkedHashMap<>();
        Instant now = Instant.now();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", subject);
        claims.put("iat", now.minusSeconds(5).getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("groups", List.copyOf(roles));
        claims.put("antidote_playbooks", List.copyOf(playbooks));
        return claims;
    }

    /** RS256 over these claims with this key. */
    public static String signed(Map<String, Object> claims, PrivateKey key) {
        String signingInput = part(Map.of("alg", "RS256", "typ", "JWT")) + "." + part(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code "alg":"none"}, empty signature), as an attacker would send it. */
    public static String unsigned(Map<String, Object> claims) {
        return part(Map.of("alg", "none", "typ", "JWT")) + "." + part(claims) + ".";
    }

    static String part(Map<String, Object> json) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey(String resource) {
        try (InputStream in = TestTokens.class.getResourceAsStream(resource)) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the test signing key " + resource + " does not load", e);
        }
    }
}
