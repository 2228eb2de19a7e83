package io.antidote.http;

import io.antidote.contract.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.net.IDN;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The first route of every request, before Quarkus's own limits and any resource.
 *
 * <ul>
 *   <li>Security headers on every answer, errors included ({@link #HEADERS}; API answers also {@code no-store}
 *       and a CSP that allows nothing, which only Swagger UI's page could not live with).</li>
 *   <li>Limits, answered as problem documents: the request target ({@code antidote.http.max-uri-length},
 *       414), the header fields together ({@code antidote.http.max-header-bytes}, 431) and a declared body
 *       ({@code antidote.http.max-body-size}, 413). Netty's own limits are set far above these
 *       (application.properties): only a request beyond those gets Vert.x's bare 414/431, with no body.</li>
 *   <li>The rate limit per caller on {@code /api/}: 429 with {@code Retry-After}, counted and logged
 *       ({@link RateLimitRefusals}).</li>
 *   <li>Failures of the HTTP layer itself (a body that turns out too large while read, a malformed request)
 *       become problem documents instead of empty answers.</li>
 * </ul>
 */
@ApplicationScoped
public class HttpEdge {

    /** Before Quarkus's body limit (order -2) and body handler, after nothing that answers. */
    static final int ORDER = Integer.MIN_VALUE + 2;

    static final Map<String, String> HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Resource-Policy", "same-origin");
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";
    /**
     * The console's pages and assets: scripts, styles, fetches and event streams from this origin only, so no inline
     * script or style runs, nothing is framed, and forms post only here (docs/security.md, "The console").
     */
    static final String CONSOLE_CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none';"
            + " object-src 'none'";

    /**
     * The console's policy when its forms may also lead to {@code target}: a browser holds every hop of a form's
     * redirects to {@code form-action}, and the logout form is redirected to the provider's end-session endpoint.
     * Only the target's origin is written, from its parsed parts, so nothing of the setting but a scheme, a host
     * and a port can reach the header.
     */
    static String consoleCsp(Optional<URI> target) {
        return target.filter(t -> t.getHost() != null
                        && ("https".equalsIgnoreCase(t.getScheme()) || "http".equalsIgnoreCase(t.getScheme())))
                .map(t -> CONSOLE_CSP.replace("form-action 'self';", "form-action 'self' "
                        + t.getScheme().toLowerCase(Locale.ROOT) + "://" + IDN.toASCII(t.getHost()).toLowerCase(Locale.ROOT)
                        + (t.getPort() >= 0 ? ":" + t.getPort() : "") + ";"))
                .orElse(CONSOLE_CSP);
    }
    /** Only on answers sent over TLS: a browser ignores it over plain HTTP (RFC 6797), where an ingress sets it. */
    static final String HSTS = "max-age=31536000";


    private final int maxUriLength;
    private final int maxHeaderBytes;
    private final long maxBodyBytes;
    private final RateLimiter limiter;
    private final RateLimitRefusals refusals;
    private final String consoleCsp;

    HttpEdge(HttpConfig http, RateLimitConfig rateLimit, MeterRegistry registry) {
        this.maxUriLength = http.maxUriLength();
        this.maxHeaderBytes = http.maxHeaderBytes();
        this.maxBodyBytes = http.maxBodySize().asLongValue();
        this.consoleCsp = consoleCsp(http.consoleFormTarget());
        this.limiter = rateLimit.enabled() ? new RateLimiter(rateLimit.perSecond(), rateLimit.burst()) : null;
        this.refusals = new RateLimitRefusals(registry);
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::admit).failureHandler(this::failed);
    }

    private void admit(RoutingContext ctx) {
        String path = ctx.request().path();
        boolean api = path != null && (path.startsWith("/api/") || path.startsWith("/lab/"));
        boolean console = path != null && (path.equals("/console") || path.startsWith("/console/"));
        ctx.addHeadersEndHandler(ignored -> {
            MultiMap headers = ctx.response().headers();
            HEADERS.forEach(headers::set);
            if (ctx.request().isSSL()) {
                headers.set("Strict-Transport-Security", HSTS);
            }
            if (api) {
                headers.set("Content-Security-Policy", API_CSP);
                headers.set("Cache-Control", "no-store");
            } else if (console) {
                headers.set("Content-Security-Policy", consoleCsp);
                headers.set("Cache-Control", "no-store");
            }
        });
        String uri = ctx.request().uri();
        if (uri != null && uri.length() > maxUriLength) {
            problem(ctx, ProblemType.URI_TOO_LONG, "the request target is " + uri.length()
                    + " characters long; at most " + maxUriLength);
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : ctx.request().headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderBytes) {
            problem(ctx, ProblemType.HEADERS_TOO_LARGE, "the header fields take " + headerBytes
                    + " bytes; at most " + maxHeaderBytes);
            return;
        }
        if (ctx.request().getHeader("Transfer-Encoding") != null) {
            // A body of unknown length would be found too large only while read, by a layer that answers 413
            // with no problem document; every body this API takes is small JSON that clients send with a length.
            closeAfter(ctx);
            problem(ctx, ProblemType.LENGTH_REQUIRED, "send the body with a Content-Length, not chunked");
            return;
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && tooLong(length)) {
            closeAfter(ctx);
            problem(ctx, ProblemType.BODY_TOO_LARGE, "the body may be at most " + maxBodyBytes + " bytes");
            return;
        }
        if (limiter != null && ctx.request().path() != null && ctx.request().path().startsWith("/api/")) {
            String caller = caller(ctx);
            long now = System.nanoTime();
            long wait = limiter.take(caller, now);
            if (wait > 0) {
                refusals.refused(caller, address(ctx), ctx.request().method().name(), ctx.request().path(), now);
                ctx.response().putHeader("Retry-After", Long.toString(wait));
                problem(ctx, ProblemType.TOO_MANY_REQUESTS, "too many requests from this caller; try again in "
                        + wait + " s");
                return;
            }
        }
        ctx.next();
    }

    private boolean tooLong(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;  // Vert.x refuses a malformed Content-Length itself
        }
    }

    /**
     * Whom the rate limit counts a request against. It runs before authentication, so a caller is the credential
     * it presents (a digest of it: the bucket key holds no token), or, with none, its address. Someone else's
     * bucket cannot be drained without their token; made-up tokens each get a bucket, and a 401.
     */
    static String caller(RoutingContext ctx) {
        String credential = ctx.request().getHeader("Authorization");
        if (credential == null) {
            credential = ctx.request().getHeader("X-Antidote-Token");
        }
        if (credential != null) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
                return "credential:" + HexFormat.of().formatHex(digest, 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
        return "address:" + address(ctx);
    }

    private static String address(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }

    /** What the HTTP layer failed with before a resource answered, as a problem document. */
    private void failed(RoutingContext ctx) {
        if (ctx.response().headWritten() || ctx.response().ended()) {
            ctx.next();
            return;
        }
        // The security layer fails a request whose credential does not verify, or whose caller a path permission
        // refuses, with these; they are refusals, not faults (docs/security.md). Refusals logs them.
        Throwable failure = ctx.failure();
        if (failure instanceof AuthenticationRedirectException redirect) {
            // No refusal: the console's login (quarkus-oidc's code flow) sending the browser on, e.g. back to the
            // page it asked for once the code is exchanged. Its cookies are already on the response.
            ctx.response().setStatusCode(redirect.getCode()).putHeader("Location", redirect.getRedirectUri())
                    .putHeader("Cache-Control", "no-store").end();
            return;
        }
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(ctx, ProblemType.NOT_AUTHENTICATED,
                    "an OIDC bearer token or an API token is required (docs/security.md)");
            return;
        }
        if (failure instanceof ForbiddenException) {
            problem(ctx, ProblemType.NOT_ALLOWED, "the caller's roles do not allow this");
            return;
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        ProblemType type = ProblemType.ofHttpStatus(status);
        String detail = status >= 500 ? "the request could not be handled" : "the request was refused by the HTTP layer";
        if (status == 413) {
            closeAfter(ctx);
            detail = "the body may be at most " + maxBodyBytes + " bytes";
        }
        problem(ctx, type, status, detail);
    }

    /** The rest of a refused body is never read: the connection cannot carry another request after it. */
    private static void closeAfter(RoutingContext ctx) {
        ctx.response().putHeader("Connection", "close");
        ctx.response().endHandler(ignored -> ctx.request().connection().close());
    }

    private static void problem(RoutingContext ctx, ProblemType type, String detail) {
        problem(ctx, type, type.status(), detail);
    }

    private static void problem(RoutingContext ctx, ProblemType type, int status, String detail) {
        HttpServerResponse response = ctx.response();
        String title = type == ProblemType.HTTP_ERROR ? "Bad request" : type.title();
        JsonObject body = new JsonObject().put("type", type.uri()).put("title", title).put("status", status)
                .put("detail", detail);
        response.setStatusCode(status).putHeader("Content-Type", "application/problem+json").end(body.encode());
    }
}
