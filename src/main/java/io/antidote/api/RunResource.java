package io.antidote.api;

import io.antidote.engine.RunEngine;
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

    /** Until authentication lands every request is made by this actor; events record it. */
    static final String ANONYMOUS = "anonymous";

    private final RunRequests requests;
    private final RunEngine engine;
    private final EventStore store;

    RunResource(RunRequests requests, RunEngine engine, EventStore store) {
        this.requests = requests;
        this.engine = engine;
        this.store = store;
    }

    @POST
    public Uni<Response> request(RunRequestBody body, @HeaderParam("Idempotency-Key") String idempotencyKey,
                                 @Context UriInfo uri) {
        if (body == null) {
            return Uni.createFrom().item(Problem.response(400, "Malformed request body", "a JSON body is required",
                    List.of()));
        }
        RunRequests.Request request = new RunRequests.Request(body.playbook(), body.targets(), body.params(),
                body.ticket(), idempotencyKey, ANONYMOUS);
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

    private static UUID runId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no run '" + (id.length() > 40 ? id.substring(0, 40) : id)
                    + "': run ids are UUIDs");
        }
    }
}
