package io.antidote.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.antidote.engine.InvalidRequestException;
import io.antidote.store.ChainBrokenException;
import io.antidote.store.TargetBusyException;
import io.antidote.workflow.CommandRejected;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Every error leaves as application/problem+json, naming the field when there is one; no stack traces. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return Problem.response(422, "Invalid request", e.getMessage(), e.violations().stream()
                .map(v -> new Problem.FieldError(v.field(), v.message())).toList());
    }

    // Quarkus maps these Jackson subtypes itself (as plain JSON); the most specific mapper wins, so ours
    // are declared for each of them.
    @ServerExceptionMapper
    public Response unrecognized(UnrecognizedPropertyException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unparsable(JsonParseException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        String message = e.getOriginalMessage();
        if (message != null && message.length() > 200) {
            message = message.substring(0, 200) + "…";
        }
        return Problem.response(400, "Malformed request body", message,
                field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, message)));
    }

    /** The run's state does not allow the command (nothing waits for approval, the run has ended). */
    @ServerExceptionMapper
    public Response rejected(CommandRejected e) {
        return Problem.response(409, "Conflict with the run's state", e.getMessage(), List.of());
    }

    /** The run's history does not verify, so the engine will not extend it: people must look first. */
    @ServerExceptionMapper
    public Response chainBroken(ChainBrokenException e) {
        return Problem.response(409, "Run fails verification", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response busy(TargetBusyException e) {
        return Problem.response(409, "Target busy", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response notAllowed(CommandRejected.NotAllowed e) {
        return Problem.response(403, "Not allowed", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(404, "Not found", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Problem.response(status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error, incident %s", incident);
        return Problem.response(500, "Internal error", "see the service log for incident " + incident, List.of());
    }
}
