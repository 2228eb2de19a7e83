package io.antidote.console;

import io.antidote.identity.ConsoleLoginConfig;
import io.antidote.identity.ApiTokenMechanism;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The console's login where there is no identity provider (the lab, {@code antidote.console.token-login}): a form
 * that takes an API token and keeps it in an HttpOnly, SameSite=Strict session cookie, which the API token mechanism
 * reads when a request has no token header. The token is checked by the security layer on the next page, like any
 * token; one it refuses sends the browser back here. Where people log in through the identity provider
 * ({@code antidote.console.oidc}), quarkus-oidc's console tenant does the login and the logout, and this page is
 * where the provider sends the browser back after a logout: it offers to log in again (and the form too, if token
 * login is also on).
 */
@ApplicationScoped
public class ConsoleLogin {

    static final String LOGIN = ApiTokenMechanism.LOGIN_PAGE;
    static final String LOGOUT = "/console/logout";
    static final String HOME = "/console/runs";
    /** An API token is 48 characters; a form field longer than this is not one. */
    static final int MAX_FORM_BYTES = 4096;

    private final boolean tokenLogin;
    private final boolean oidc;
    private final Template login;

    ConsoleLogin(ConsoleLoginConfig consoleLogin,
                 @Location("console/login.html") Template login) {
        this.tokenLogin = consoleLogin.tokenLogin();
        this.oidc = consoleLogin.oidc();
        this.login = login;
    }

    void install(@Observes Router router) {
        if (tokenLogin || oidc) {
            router.get(LOGIN).handler(this::loginPage);
        }
        if (!tokenLogin) {
            return;
        }
        router.post(LOGIN).handler(BodyHandler.create().setBodyLimit(MAX_FORM_BYTES))
                .handler(ctx -> logIn(ctx, fields(ctx)));
        router.post(LOGOUT).handler(this::logOut);
    }

    private void loginPage(RoutingContext ctx) {
        String message = ctx.request().params().contains("refused")
                ? "That token was not accepted, or your session ended. Log in again." : null;
        page(ctx, 200, message);
    }

    private void page(RoutingContext ctx, int status, String message) {
        String csrf = ctx.get(ConsoleCookies.CSRF_KEY);
        String html = login.data("csrf", csrf == null ? "" : csrf).data("message", message)
                .data("tokenLogin", tokenLogin).data("oidc", oidc).render();
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(html);
    }

    private void logIn(RoutingContext ctx, Map<String, List<String>> form) {
        if (!csrfHolds(ctx, form)) {
            return;
        }
        String token = first(form, "token").trim();
        if (token.isEmpty()) {
            ctx.put(ConsoleCookies.CSRF_KEY, ConsoleCookies.csrfCookie(ctx));
            page(ctx, 422, "Enter an API token (atk_...).");
            return;
        }
        ctx.response().addCookie(ConsoleCookies.session(ApiTokenMechanism.SESSION_COOKIE, token, ctx.request().isSSL()));
        ctx.response().setStatusCode(303).putHeader("Location", HOME).end();
    }

    /** The CSRF field was checked by {@link ConsoleGuard}, before the security layer. */
    private void logOut(RoutingContext ctx) {
        ctx.response().addCookie(ConsoleCookies.expired(ApiTokenMechanism.SESSION_COOKIE));
        ctx.response().setStatusCode(303).putHeader("Location", LOGIN).end();
    }

    /** A login or logout posted from another site's page (it cannot know the cookie's value) is refused. */
    static boolean csrfHolds(RoutingContext ctx, Map<String, List<String>> form) {
        if (ConsoleCookies.matches(ConsoleCookies.csrfCookie(ctx), first(form, ConsoleCookies.CSRF_FIELD))) {
            return true;
        }
        ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("The form's CSRF token does not match: reload the login page and try again.");
        return false;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    static Map<String, List<String>> fields(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        return body == null ? Map.of() : decode(body);
    }

    private static Map<String, List<String>> decode(Buffer body) {
        return new QueryStringDecoder(body.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, false)
                .parameters();
    }
}
