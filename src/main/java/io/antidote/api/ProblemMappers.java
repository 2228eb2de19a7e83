package io.antidote.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.antidote.contract.ProblemType;
import io.antidote.engine.IdempotencyKeyReused;
import io.antidote.engine.InvalidRequestException;
import io.antidote.engine.PersonCommands;
import io.antidote.store.ChainBrokenException;
import io.antidote.store.StaleOwnerException;
import io.antidote.store.StoreUnavailable;
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
        return Problem.response(ProblemType.INVALID_REQUEST, e.getMessage(), e.violations().stream()
                .map(v -> new Problem.FieldError(v.field(), v.message())).toList());
    }

    /** A refused alert: 400 when the body is not a JSON object at all, else 422 naming each field. */
    @ServerExceptionMapper
    public Response refusedAlert(io.antidote.alert.AlertRefused e) {
        return Problem.response(e.malformed() ? ProblemType.MALFORMED_BODY : ProblemType.INVALID_REQUEST,
                "alert " + e.record().id() + " refused: " + e.getMessage(), e.violations().stream()
                        .map(v -> new Problem.FieldError(v.field(), v.message())).toList());
    }

    @ServerExceptionMapper
    public Response reused(IdempotencyKeyReused e) {
        return Problem.response(ProblemType.IDEMPOTENCY_KEY_REUSED, e.getMessage(), e.violations().stream()
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
        return Problem.response(ProblemType.MALFORMED_BODY, message,
                field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, message)));
    }

    /** The run's state does not allow the command (nothing waits for approval, the run has ended). */
    @ServerExceptionMapper
    public Response rejected(CommandRejected e) {
        return Problem.response(ProblemType.RUN_STATE_CONFLICT, e.getMessage(), List.of());
    }

    /** The run's history does not verify, so the engine will not extend it: people must look first. */
    @ServerExceptionMapper
    public Response chainBroken(ChainBrokenException e) {
        return Problem.response(ProblemType.RUN_FAILS_VERIFICATION, e.getMessage(), List.of());
    }

    /**
     * Another replica carries the run: only its owner decides for it, so a command sent to this one is
     * refused with nothing recorded; it may be sent again (to the owner, or after the owner is gone).
     */
    @ServerExceptionMapper
    public Response ownedElsewhere(StaleOwnerException e) {
        return Problem.response(ProblemType.RUN_OWNED_ELSEWHERE, "run " + e.runId()
                + " is carried by another replica of the service; nothing was recorded, send the command again",
                List.of());
    }

    /** The run's owner refused a command another replica received: the refusal the owner would have answered. */
    @ServerExceptionMapper
    public Response refusedByOwner(PersonCommands.RefusedByOwner e) {
        return Problem.response(RunCommandView.problemOf(e.refusal()), e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response busy(TargetBusyException e) {
        return Problem.response(ProblemType.TARGET_BUSY, e.getMessage(), List.of());
    }

    /** A role missing, or a rule of the product (playbook scope, approval role, cancel) refusing the caller. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return Problem.response(ProblemType.NOT_ALLOWED, e.getMessage() == null || e.getMessage().isBlank()
                ? "the caller's roles do not allow this" : e.getMessage(), List.of());
    }

    /** No credential, or one that does not verify; the detail never says which, nor echoes it. */
    @ServerExceptionMapper
    public Response unauthorized(io.quarkus.security.UnauthorizedException e) {
        return Response.fromResponse(Problem.response(ProblemType.NOT_AUTHENTICATED,
                "an OIDC bearer token or an API token is required (docs/security.md)", List.of()))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(io.quarkus.security.AuthenticationFailedException e) {
        return unauthorized(null);
    }

    @ServerExceptionMapper
    public Response notAllowed(CommandRejected.NotAllowed e) {
        return Problem.response(ProblemType.NOT_ALLOWED, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(ProblemType.NOT_FOUND, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        ProblemType type = ProblemType.ofHttpStatus(status);
        String title = type != ProblemType.HTTP_ERROR ? type.title()
                : Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return Problem.response(type, status, title, e.getMessage(), List.of());
    }

    /**
     * The database cannot be reached or refuses work now: a 503 the caller may retry, not a 500 (nothing
     * is wrong with the request or the service's logic). Anything else unexpected is a 500 with an incident.
     */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (StoreUnavailable.is(e)) {
            LOG.warnf("Database unavailable: %s", e.getMessage());
            return Response.fromResponse(Problem.response(ProblemType.STORE_UNAVAILABLE,
                            "the database cannot be reached now; try again later (a run request with the same"
                                    + " Idempotency-Key, so that it is recorded once)", List.of()))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error, incident %s", incident);
        return Problem.response(ProblemType.INTERNAL_ERROR, "see the service log for incident " + incident, List.of());
    }

    /** Seconds a caller waits before trying again after a 503: about how long the writers' back-off takes. */
    static final int RETRY_AFTER_SECONDS = 5;
}
