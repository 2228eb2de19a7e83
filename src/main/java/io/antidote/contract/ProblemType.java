package io.antidote.contract;

/**
 * The {@code type} of every problem document the service answers (RFC 9457), one per kind of failure, so that
 * a client tells them apart without parsing titles. URNs: they name the problem and are not meant to be
 * fetched; docs/api.md, "Problem types", defines each one.
 */
public enum ProblemType {

    INVALID_REQUEST("invalid-request", 422, "Invalid request"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency-Key reused with another body"),
    MALFORMED_BODY("malformed-body", 400, "Malformed request body"),
    INVALID_QUERY("invalid-query", 400, "Invalid query"),
    NOT_AUTHENTICATED("not-authenticated", 401, "Not authenticated"),
    NOT_ALLOWED("not-allowed", 403, "Not allowed"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    RUN_STATE_CONFLICT("run-state-conflict", 409, "Conflict with the run's state"),
    RUN_FAILS_VERIFICATION("run-fails-verification", 409, "Run fails verification"),
    TARGET_BUSY("target-busy", 409, "Target busy"),
    RUN_OWNED_ELSEWHERE("run-owned-elsewhere", 409, "Run carried by another replica"),
    LENGTH_REQUIRED("length-required", 411, "Length required"),
    BODY_TOO_LARGE("body-too-large", 413, "Request body too large"),
    URI_TOO_LONG("uri-too-long", 414, "Request URI too long"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    TOO_MANY_REQUESTS("too-many-requests", 429, "Too many requests"),
    HEADERS_TOO_LARGE("headers-too-large", 431, "Request header fields too large"),
    /** Any other 4xx the HTTP layer answers (its status says which). */
    HTTP_ERROR("http-error", 400, "Bad request"),
    INTERNAL_ERROR("internal-error", 500, "Internal error"),
    STORE_UNAVAILABLE("store-unavailable", 503, "Database unavailable");

    private static final String PREFIX = "urn:antidote:problem:";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return PREFIX + slug;
    }

    /** The status this problem is answered with (HTTP_ERROR: the one the HTTP layer chose). */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem for a status the HTTP layer answered by itself (routing, content negotiation, limits). */
    public static ProblemType ofHttpStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_BODY;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 411 -> LENGTH_REQUIRED;
            case 413 -> BODY_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> TOO_MANY_REQUESTS;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> STORE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : HTTP_ERROR;
        };
    }
}
