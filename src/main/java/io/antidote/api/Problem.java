package io.antidote.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.antidote.contract.ProblemType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** An RFC 9457 problem document; {@code type} is one of {@link ProblemType}, {@code errors} names each offending field. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    static Response response(ProblemType type, String detail, List<FieldError> errors) {
        return response(type, type.status(), type.title(), detail, errors);
    }

    /** For problems whose status the HTTP layer chose ({@link ProblemType#HTTP_ERROR}). */
    static Response response(ProblemType type, int status, String title, String detail, List<FieldError> errors) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem(type.uri(), title, status, detail, errors)).build();
    }
}
