package io.antidote.console;

import io.antidote.contract.ProblemType;
import io.antidote.identity.ApiTokenMechanism;
import io.antidote.identity.ConsoleTenant;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;

/**
 * Cross-site request forgery, refused before authentication: a state-changing request (anything but GET, HEAD and
 * OPTIONS) that a browser session alone authenticates (the console's cookie or quarkus-oidc's, no Authorization or
 * API token header) must carry the CSRF cookie's value in {@link ConsoleCookies#CSRF_HEADER}, else 403. A request
 * with a bearer token is not a browser's ambient credential and passes as before. Console pages get the CSRF cookie
 * on their first visit. A logout (either kind of session) must send the token as a form field.
 */
@ApplicationScoped
public class ConsoleGuard {

    /** Right after the HTTP edge (its limits come first), before the security layer. */
    static final int ORDER = Integer.MIN_VALUE + 3;
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String OIDC_SESSION_PREFIX = "q_session";

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::guard);
        // Every logout, the token login's and the provider's (which quarkus-oidc performs while authenticating, so
        // before any route of ours), is a form posted with the CSRF token as a field: another site cannot log a
        // person out. Read here, before the security layer; the body stays parsed for the routes after.
        router.post(ConsoleLogin.LOGOUT).order(ORDER).handler(BodyHandler.create().setBodyLimit(ConsoleLogin.MAX_FORM_BYTES))
                .handler(ctx -> {
                    if (ConsoleLogin.csrfHolds(ctx, ConsoleLogin.fields(ctx))) {
                        ctx.next();
                    }
                });
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
        if (ConsoleTenant.tokenHeader(ctx)) {
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
