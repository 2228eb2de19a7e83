package io.antidote.api;

import io.antidote.alert.AlertDesk;
import io.antidote.alert.AlertSender;
import io.antidote.contract.ProblemType;
import io.antidote.engine.RequestText;
import io.antidote.identity.Caller;
import io.antidote.identity.Roles;
import io.antidote.store.Alerts;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Alerts in (docs/alerts.md): sources send them, auditors and admins read what became of each. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    private static final List<String> DECISIONS = List.of("MATCHED", "DEDUPLICATED", "IGNORED", "REFUSED");

    private final AlertDesk desk;
    private final Alerts alerts;
    private final SecurityIdentity identity;

    AlertResource(AlertDesk desk, Alerts alerts, SecurityIdentity identity) {
        this.desk = desk;
        this.alerts = alerts;
        this.identity = identity;
    }

    /**
     * Receives one alert and answers what was decided: a run requested, folded into a run already requested, or
     * ignored. The body is read by the service itself, so that even a body that is not JSON is recorded as refused.
     * Its {@code source} must be the caller's own name ({@link Caller#name()}): a source speaks only for itself.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ALERT_SOURCE)
    @RequestBody(description = "The alert: source, externalId, server, type, severity, occurredAt (RFC 3339), summary?",
            required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "#/components/schemas/Alert")))
    @APIResponse(responseCode = "202", description = "Recorded: decision MATCHED (runId: the run requested),"
            + " DEDUPLICATED (runId: the run already requested), or IGNORED (no rule matches, or no such server)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AlertView.class)))
    public Uni<Response> receive(String body, @Context UriInfo uri) {
        Caller caller = Caller.of(identity);
        return desk.receive(body, AlertSender.api(caller.subject(), caller.name()))
                .map(record -> Response.accepted(AlertView.of(record))
                        .location(uri.getBaseUriBuilder().path("api/v1/alerts").path(record.id().toString()).build())
                        .build());
    }

    /** The alerts received, newest first; filters are exact matches. */
    @GET
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @APIResponse(responseCode = "200", description = "One page of alerts, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AlertView.class, type = SchemaType.ARRAY)))
    public Uni<Response> list(@QueryParam("decision") String decision, @QueryParam("server") String server,
                              @QueryParam("source") String source, @QueryParam("runId") String runId,
                              @QueryParam("page") String page, @QueryParam("size") String size) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (decision != null && !DECISIONS.contains(decision)) {
            errors.add(new Problem.FieldError("decision", "one of " + DECISIONS));
        }
        for (String[] text : new String[][] {{"server", server}, {"source", source}}) {
            String problem = RequestText.problem(text[1], 200);
            if (problem != null) {
                errors.add(new Problem.FieldError(text[0], problem));
            }
        }
        UUID run = null;
        if (runId != null) {
            try {
                run = UUID.fromString(runId);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("runId", "a run id (UUID)"));
            }
        }
        int pageNumber = RunResource.number(page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, "page", errors);
        int pageSize = RunResource.number(size, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, "size", errors);
        if (!errors.isEmpty()) {
            return Uni.createFrom().item(Problem.response(ProblemType.INVALID_QUERY,
                    errors.stream().map(Problem.FieldError::field).collect(Collectors.joining(", "))
                            + ": not a value the alerts can be filtered or paged by", errors));
        }
        return alerts.list(new Alerts.Filter(decision, server, source, run), pageNumber, pageSize)
                .map(found -> Response.ok(found.stream().map(AlertView::of).toList()).build());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    public Uni<AlertView> get(@PathParam("id") String id) {
        UUID alertId;
        try {
            alertId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no alert '" + (id.length() > 40 ? id.substring(0, 40) : id)
                    + "': alert ids are UUIDs");
        }
        return alerts.find(alertId).map(found -> AlertView.of(found.orElseThrow(() ->
                new NotFoundException("no alert " + alertId))));
    }
}
