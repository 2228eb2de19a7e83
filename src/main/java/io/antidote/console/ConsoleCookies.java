package io.antidote.console;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The console's cookies. The session (token-login mode: the API token; OIDC: quarkus-oidc's own) is HttpOnly and
 * SameSite=Strict, so no script reads it and no other site's page makes a browser send it. The CSRF token is a
 * second, random cookie a console page's script can read and must send back as {@link #CSRF_HEADER} (forms: as a
 * field) with every state-changing request: a page of another origin can neither read it nor set that header.
 */
final class ConsoleCookies {

    static final String CSRF_COOKIE = "antidote_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSRF_FIELD = "csrf";
    /** Where {@link ConsoleGuard} leaves the request's CSRF token for the page that renders it. */
    static final String CSRF_KEY = "antidote.console.csrf";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ConsoleCookies() {
    }

    static String newCsrfToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static Cookie csrf(String value, boolean secure) {
        return Cookie.cookie(CSRF_COOKIE, value).setPath("/").setSecure(secure).setHttpOnly(false)
                .setSameSite(CookieSameSite.STRICT);
    }

    static Cookie session(String name, String value, boolean secure) {
        return Cookie.cookie(name, value).setPath("/").setSecure(secure).setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT);
    }

    static Cookie expired(String name) {
        return Cookie.cookie(name, "").setPath("/").setMaxAge(0).setHttpOnly(true).setSameSite(CookieSameSite.STRICT);
    }

    /** The request's CSRF cookie, or null. */
    static String csrfCookie(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(CSRF_COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    /** Whether the value sent back is the cookie's, compared in constant time. */
    static boolean matches(String cookie, String sent) {
        return cookie != null && sent != null && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8));
    }
}
