package io.antidote.lab;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The RFC 9457 problem document with which the lab control API refuses a host spec. It has the shape of
 * every other error of the service (status, title, detail, and the field at fault), and is rendered here
 * so that the lab, which the production code must never need, needs none of the API's or the engine's
 * classes either.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LabProblem(String type, String title, int status, String detail, List<FieldError> errors) {

    public record FieldError(String field, String message) {
    }

    /** 422: the spec cannot be served as asked, because of that field. */
    static Response invalid(String field, String reason) {
        return Response.status(422).type("application/problem+json")
                .entity(new LabProblem("about:blank", "Invalid request", 422, field + ": " + reason,
                        List.of(new FieldError(field, reason))))
                .build();
    }
}
