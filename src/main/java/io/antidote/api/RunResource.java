package io.antidote.api;

import io.antidote.engine.Clock;
import io.antidote.engine.InvalidRequestException;
import io.antidote.engine.RunEngine;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunState;
import io.antidote.engine.RunRequests;
import io.antidote.store.EventStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    /**
     * Until authentication lands, the actor is whoever the {@code X-Antidote-Actor} header names, or this;
     * events record it. The header is trusted: do not expose the API beyond operators until then.
     */
    static final String ANONYMOUS = "anonymous";
    static final String ACTOR_HEADER = "X-Antidote-Actor";
    private static final java.util.regex.Pattern ACTOR = java.util.regex.Pattern.compile("[A-Za-z0-9._@\\-]{1,100}");

    private final RunRequests requests;
    private final RunEngine engine;
    private final EventStore store;
    private final Clock clock;

    RunResource(RunRequests requests, RunEngine engine, EventStore store, Clock clock) {
        this.clock = clock;
        this.requests = requests;
        this.engine = engine;
        this.store = store;
    }

    @POST
    public Uni<Response> request(RunRequestBody body, @HeaderParam("Idempotency-Key") String idempotencyKey,
                                 @HeaderParam(ACTOR_HEADER) String actor, @Context UriInfo uri) {
        if (body == null) {
            return Uni.createFrom().item(Problem.response(400, "Malformed request body", "a JSON body is required",
                    List.of()));
        }
        RunRequests.Request request = new RunRequests.Request(body.playbook(), body.targets(), body.params(),
                body.ticket(), idempotencyKey, actor(actor), body.onBusy());
        if (body.isDryRun()) {
            // Validation and rendering are pure and quick: no I/O, so fine on the event loop.
            return Uni.createFrom().item(() -> Response.ok(requests.preview(request)).build());
        }
        return requests.submit(request)
                .map(run -> Response.accepted(RunView.of(run))
                        .location(uri.getBaseUriBuilder().path("api/v1/runs").path(run.runId().toString()).build())
                        .build());
    }

    @GET
    @Path("{id}")
    public Uni<RunView> get(@PathParam("id") String id) {
        UUID runId = runId(id);
        return engine.load(runId).map(run -> {
            if (!run.exists()) {
                throw new NotFoundException("no run " + runId);
            }
            return RunView.of(run);
        });
    }

    @GET
    @Path("{id}/events")
    public Uni<List<EventView>> events(@PathParam("id") String id) {
        UUID runId = runId(id);
        return store.load(runId).map(events -> {
            if (events.isEmpty()) {
                throw new NotFoundException("no run " + runId);
            }
            return events.stream().map(EventView::of).toList();
        });
    }

    /** Approve or reject a step waiting for approval: 409 when none waits, 403 when the actor may not. */
    @POST
    @Path("{id}/approvals")
    public Uni<RunView> approve(@PathParam("id") String id, ApprovalBody body, @HeaderParam(ACTOR_HEADER) String actor) {
        UUID runId = runId(id);
        if (body == null || body.step() == null || body.step().isBlank()) {
            throw new InvalidRequestException("step", "is required");
        }
        boolean approve;
        if ("APPROVE".equals(body.decision())) {
            approve = true;
        } else if ("REJECT".equals(body.decision())) {
            approve = false;
        } else {
            throw new InvalidRequestException("decision", "must be APPROVE or REJECT");
        }
        String comment = body.comment() == null ? null
                : body.comment().length() > 1000 ? body.comment().substring(0, 1000) : body.comment();
        return existing(runId).chain(() -> engine.command(runId, new RunCommand.DecideApproval(body.target(),
                body.step(), approve, comment, actor(actor), clock.now()))).map(RunView::of);
    }

    /** Ask the run to stop; 409 when it has ended or is already stopping. */
    @POST
    @Path("{id}/cancel")
    public Uni<RunView> cancel(@PathParam("id") String id, CancelBody body, @HeaderParam(ACTOR_HEADER) String actor) {
        UUID runId = runId(id);
        RunCommand.CancelMode mode;
        try {
            mode = body == null || body.mode() == null ? RunCommand.CancelMode.FINISH_STEP
                    : RunCommand.CancelMode.valueOf(body.mode());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("mode", "must be FINISH_STEP or INTERRUPT");
        }
        return existing(runId).chain(() -> engine.command(runId, new RunCommand.Cancel(mode, actor(actor),
                clock.now()))).map(RunView::of);
    }

    private Uni<RunState> existing(UUID runId) {
        return engine.load(runId).invoke(run -> {
            if (!run.exists()) {
                throw new NotFoundException("no run " + runId);
            }
        });
    }

    static String actor(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        if (!ACTOR.matcher(header).matches()) {
            throw new InvalidRequestException(ACTOR_HEADER, "must be 1 to 100 letters, digits or . _ @ -");
        }
        return header;
    }

    private static UUID runId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no run '" + (id.length() > 40 ? id.substring(0, 40) : id)
                    + "': run ids are UUIDs");
        }
    }
}
