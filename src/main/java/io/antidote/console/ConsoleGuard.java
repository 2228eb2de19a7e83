package io.antidote.console;

import io.antidote.contract.ProblemType;
import io.antidote.identity.ApiTokenMechanism;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;

/**
 * Cross-site request forgery, refused before authentication: a state-changing request (anything but GET, HEAD and
 * OPTIONS) that a browser session alone authenticates (the console's cookie or quarkus-oidc's, no Authorization or
 * API token header) must carry the CSRF cookie's value in {@link ConsoleCookies#CSRF_HEADER}, else 403. A request
 * with a bearer token is not a browser's ambient credential and passes as before. Console pages get the CSRF cookie
 * on their first visit.
 */
@ApplicationScoped
public class ConsoleGuard {

    /** Right after the HTTP edge (its limits come first), before the security layer. */
    static final int ORDER = Integer.MIN_VALUE + 3;
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String OIDC_SESSION_PREFIX = "q_session";

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        if (!SAFE.contains(ctx.request().method()) && !loginForm(ctx) && sessionOnly(ctx)
                && !ConsoleCookies.matches(ConsoleCookies.csrfCookie(ctx),
                ctx.request().getHeader(ConsoleCookies.CSRF_HEADER))) {
            ctx.response().setStatusCode(403).putHeader("Content-Type", "application/problem+json")
                    .end(new JsonObject().put("type", ProblemType.NOT_ALLOWED.uri())
                            .put("title", ProblemType.NOT_ALLOWED.title()).put("status", 403)
                            .put("detail", "a request authenticated by a console session must send its CSRF token in "
                                    + ConsoleCookies.CSRF_HEADER + " (docs/security.md, \"The console\")")
                            .put("errors", new JsonArray()).encode());
            return;
        }
        if (consolePage(ctx)) {
            String csrf = ConsoleCookies.csrfCookie(ctx);
            if (csrf == null) {
                csrf = ConsoleCookies.newCsrfToken();
                ctx.response().addCookie(ConsoleCookies.csrf(csrf, ctx.request().isSSL()));
            }
            ctx.put(ConsoleCookies.CSRF_KEY, csrf);
        }
        ctx.next();
    }

    /** The login and logout forms send the CSRF token as a field, which {@link ConsoleLogin} checks. */
    private static boolean loginForm(RoutingContext ctx) {
        String path = ctx.request().path();
        return ConsoleLogin.LOGIN.equals(path) || ConsoleLogin.LOGOUT.equals(path);
    }

    /** No bearer or API token header, but a session cookie: the credential a browser sends on its own. */
    private static boolean sessionOnly(RoutingContext ctx) {
        if (ctx.request().getHeader("Authorization") != null
                || ctx.request().getHeader(ApiTokenMechanism.TOKEN_HEADER) != null) {
            return false;
        }
        for (Cookie cookie : ctx.request().cookies()) {
            if (cookie.getName().equals(ApiTokenMechanism.SESSION_COOKIE)
                    || cookie.getName().startsWith(OIDC_SESSION_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    private static boolean consolePage(RoutingContext ctx) {
        String path = ctx.request().path();
        return ctx.request().method() == HttpMethod.GET && path != null
                && (path.equals("/console") || path.startsWith("/console/")) && !path.startsWith("/console/assets/");
    }
}
