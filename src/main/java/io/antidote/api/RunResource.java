package io.antidote.api;

import io.antidote.audit.Exports;
import io.antidote.audit.RunVerifier;
import io.antidote.audit.Verification;
import io.antidote.contract.ProblemType;
import io.antidote.engine.Clock;
import io.antidote.engine.InvalidRequestException;
import io.antidote.engine.RequestText;
import io.antidote.engine.PersonCommands;
import io.antidote.engine.RunEngine;
import io.antidote.identity.Caller;
import io.antidote.identity.Refusals;
import io.antidote.identity.Roles;
import io.antidote.live.LiveStreams;
import io.smallrye.common.annotation.Blocking;
import org.jboss.resteasy.reactive.RestStreamElementType;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import io.antidote.workflow.RunPlan;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunState;
import io.antidote.engine.RunRequests;
import io.antidote.engine.RunRetries;
import io.antidote.engine.StepScripts;
import io.antidote.store.StoredEvent;
import io.antidote.store.EventStore;
import io.antidote.store.ChainAlarms;
import io.antidote.store.RunSummaries;
import io.antidote.store.RunQueries;
import io.antidote.workflow.RunStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.UUID;

@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    /** Longer than any playbook, target or ticket name; a longer filter is a mistake or an attack. */
    static final int MAX_FILTER_CHARS = 200;
    /** Approval comments (cut beyond) and release reasons (refused beyond). */
    static final int MAX_COMMENT_CHARS = 1000;
    /** Skips in one retry: more than any playbook has steps on the targets a person looks at. */
    static final int MAX_SKIPS = 1000;
    /** How long a live stream's opening waits for the database to say whether the run exists. */
    private static final java.time.Duration STATE_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final RunRequests requests;
    private final RunEngine engine;
    private final EventStore store;
    private final Clock clock;
    private final RunSummaries runList;
    private final ChainAlarms alarms;
    private final RunVerifier verifier;
    private final Exports exports;
    /** The authenticated caller of the current request (a request-scoped proxy): the actor of every event. */
    private final SecurityIdentity identity;
    private final Refusals refusals;
    private final LiveStreams live;
    private final RunQueries queries;

    private final RunRetries retries;
    private final StepScripts scripts;
    private final PersonCommands commands;

    RunResource(RunRequests requests, RunEngine engine, EventStore store, Clock clock, RunSummaries runList,
                ChainAlarms alarms, RunVerifier verifier, Exports exports, SecurityIdentity identity,
                Refusals refusals, LiveStreams live, RunQueries queries, RunRetries retries, StepScripts scripts,
                PersonCommands commands) {
        this.scripts = scripts;
        this.commands = commands;
        this.retries = retries;
        this.live = live;
        this.queries = queries;
        this.identity = identity;
        this.refusals = refusals;
        this.alarms = alarms;
        this.verifier = verifier;
        this.exports = exports;
        this.clock = clock;
        this.runList = runList;
        this.requests = requests;
        this.engine = engine;
        this.store = store;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @APIResponse(responseCode = "202", description = "The run was recorded; it goes on by itself",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "200", description = "dryRun: the scripts each target would receive, nothing written;"
            + " or, for an Idempotency-Key this caller sent before with the same body, the run that request created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {DryRunView.class, RunView.class})))
    public Uni<Response> request(RunRequestBody body, @HeaderParam(RunRequests.IDEMPOTENCY_KEY) String idempotencyKey,
                                 @Context UriInfo uri) {
        if (body == null) {
            return Uni.createFrom().item(Problem.response(ProblemType.MALFORMED_BODY, "a JSON body is required",
                    List.of()));
        }
        Caller caller = Caller.of(identity);
        if (body.playbook() != null && !caller.mayRun(body.playbook())) {
            throw refusals.forbidden(caller, "POST /api/v1/runs",
                    "'" + caller.subject() + "' may not request runs of playbook '" + body.playbook() + "'");
        }
        RunRequests.Request request = new RunRequests.Request(body.playbook(), body.targets(), body.params(),
                body.ticket(), idempotencyKey, caller.subject(), body.onBusy(), body.targetLabels());
        if (body.isDryRun()) {
            return requests.dryRun(request).map(dryRun -> Response.ok(DryRunView.of(dryRun)).build());
        }
        return requests.accept(request)
                .map(submitted -> (submitted.earlier() ? Response.ok(RunView.of(submitted.run()))
                        : Response.accepted(RunView.of(submitted.run())))
                        .location(uri.getBaseUriBuilder().path("api/v1/runs")
                                .path(submitted.run().runId().toString()).build())
                        .build());
    }

    /**
     * The run list, newest first (then by id), from the {@code run_summary} projection. Filters are
     * exact matches; a bad value is a 400 problem naming the query parameter, never an empty page.
     */
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    @APIResponse(responseCode = "200", description = "One page of the run list",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunListView.class)))
    public Uni<Response> list(@QueryParam("status") String status, @QueryParam("playbook") String playbook,
                              @QueryParam("target") String target, @QueryParam("ticket") String ticket,
                              @QueryParam("page") String page, @QueryParam("size") String size) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String statusWord = null;
        if (status != null) {
            try {
                statusWord = RunStatus.valueOf(status).name();
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("status", "one of " + Arrays.toString(RunStatus.values())));
            }
        }
        int pageNumber = number(page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, "page", errors);
        int pageSize = number(size, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, "size", errors);
        for (String[] text : new String[][] {{"playbook", playbook}, {"target", target}, {"ticket", ticket}}) {
            String problem = text[1] != null && text[1].isBlank() ? "must not be blank"
                    : RequestText.problem(text[1], MAX_FILTER_CHARS);
            if (problem != null) {
                errors.add(new Problem.FieldError(text[0], problem));
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().item(Problem.response(ProblemType.INVALID_QUERY,
                    errors.stream().map(Problem.FieldError::field).collect(Collectors.joining(", "))
                            + ": not a value the run list can be filtered or paged by", errors));
        }
        return runList.find(new RunSummaries.Filter(statusWord, playbook, target, ticket), pageNumber, pageSize)
                .map(found -> Response.ok(RunListView.of(found, alarms::failing)).build());
    }

    /**
     * The run list as it changes: each run as it appears ({@code RunCreated}) and each change of its status
     * ({@code RunStatusChanged}), as the same item the list serves, from whichever replica carries the run.
     */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    // Each event's data is JSON written by the resource itself, sent as it is.
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    @APIResponse(responseCode = "200", description = "Server-sent events, one per run list change: event "
            + "RunCreated or RunStatusChanged, data one item of the run list (RunListView.Item); comment lines as"
            + " heartbeats. Asked for with Accept: text/event-stream; filters and paging do not apply",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = RunListView.Item.class)))
    public Multi<OutboundSseEvent> listChanges(@Context Sse sse, @Context HttpServerRequest request) {
        return live.runList(summary -> RunListView.Item.of(summary, alarms.failing(summary.runId())), sse, request);
    }

    static int number(String text, int absent, int min, int max, String field, List<Problem.FieldError> errors) {
        if (text == null) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, like a number out of range
        }
        errors.add(new Problem.FieldError(field, "a whole number from " + min + " to " + max));
        return absent;
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public Uni<RunView> get(@PathParam("id") String id) {
        UUID runId = runId(id);
        return engine.load(runId).chain(run -> {
            if (!run.exists()) {
                throw new NotFoundException("no run " + runId);
            }
            RunView view = RunView.of(run).failing(alarms.failing(runId));
            // Only an ended run is retried: a run still going needs no look for its retry.
            return run.status().terminal() ? queries.retriedAs(runId).map(retry -> view.retriedAs(retry.orElse(null)))
                    : Uni.createFrom().item(view);
        });
    }

    /**
     * Go on from where an ended (FAILED or CANCELLED) run stopped: a new run of the same playbook version for its
     * targets that did not succeed, each resuming at its failed step, linked both ways ({@code retryOf},
     * {@code retriedAs}). An admin, or an operator allowed the playbook; only an admin may skip steps. 409 when
     * the run has not ended, succeeded, was retried already, or its playbook version or secrets are gone; 422
     * naming the skip that may not be made.
     */
    @POST
    @Path("{id}/retry")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @APIResponse(responseCode = "202", description = "The retry was recorded as a new run; it goes on by itself",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    public Uni<Response> retry(@PathParam("id") String id, RetryBody body, @Context UriInfo uri) {
        UUID runId = runId(id);
        List<RunCommand.RetryRun.Skip> skips = skips(body);
        Caller caller = Caller.of(identity);
        String route = "POST /api/v1/runs/" + runId + "/retry";
        return existing(runId).invoke(run -> {
            if (!caller.holds(Roles.ADMIN) && !caller.mayRun(run.plan().playbook())) {
                throw refusals.forbidden(caller, route, "'" + caller.subject() + "' may not request runs of playbook '"
                        + run.plan().playbook() + "'");
            }
            if (!skips.isEmpty() && !caller.holds(Roles.ADMIN)) {
                throw refusals.forbidden(caller, route, "'" + caller.subject() + "' is not an admin: only an admin may"
                        + " skip a step");
            }
        }).chain(() -> retries.retry(runId, skips, caller.subject()))
                .map(retry -> Response.accepted(RunView.of(retry))
                        .location(uri.getBaseUriBuilder().path("api/v1/runs").path(retry.runId().toString()).build())
                        .build());
    }

    private static List<RunCommand.RetryRun.Skip> skips(RetryBody body) {
        if (body == null || body.skip() == null) {
            return List.of();
        }
        if (body.skip().size() > MAX_SKIPS) {
            throw new InvalidRequestException("skip", "at most " + MAX_SKIPS + " skips, got " + body.skip().size());
        }
        List<InvalidRequestException.Violation> violations = new ArrayList<>();
        List<RunCommand.RetryRun.Skip> skips = new ArrayList<>();
        for (int i = 0; i < body.skip().size(); i++) {
            RetryBody.Skip skip = body.skip().get(i);
            String field = "skip[" + i + "]";
            if (skip == null) {
                violations.add(new InvalidRequestException.Violation(field, "must be {target, step, reason}"));
                continue;
            }
            for (String[] part : new String[][] {{"target", skip.target()}, {"step", skip.step()},
                    {"reason", skip.reason()}}) {
                if (part[1] == null || part[1].isBlank()) {
                    violations.add(new InvalidRequestException.Violation(field + "." + part[0], "is required"
                            + ("reason".equals(part[0]) ? ": why the step need not run" : "")));
                }
            }
            RequestText.check(field + ".target", skip.target(), MAX_FILTER_CHARS, violations);
            RequestText.check(field + ".step", skip.step(), MAX_FILTER_CHARS, violations);
            RequestText.check(field + ".reason", skip.reason(), MAX_COMMENT_CHARS, violations);
            skips.add(new RunCommand.RetryRun.Skip(skip.target(), skip.step(), skip.reason()));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return skips;
    }

    /**
     * Recomputes the run's chain from the stored rows, holds it against its signed checkpoints, and says
     * whether it holds and where it first breaks. Auditor-readable (docs/api.md, "Audit").
     */
    @GET
    @Path("{id}/verification")
    @RolesAllowed(Roles.AUDITOR)
    public Uni<Verification> verification(@PathParam("id") String id) {
        UUID runId = runId(id);
        return verifier.verify(runId).map(result -> {
            if (result == null) {
                throw new NotFoundException("no run " + runId);
            }
            return result;
        });
    }

    /** The run's events in canonical form, then its checkpoints, as JSON Lines, streamed page by page. */
    @GET
    @Path("{id}/export")
    @RolesAllowed(Roles.AUDITOR)
    @Produces(AuditResource.JSON_LINES)
    public Multi<String> export(@PathParam("id") String id) {
        UUID runId = runId(id);
        return exports.exists(runId).onItem().transformToMulti(exists -> exists ? exports.run(runId)
                : Multi.createFrom().failure(new NotFoundException("no run " + runId)));
    }

    @GET
    @Path("{id}/events")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    public Uni<List<StoredEvent>> events(@PathParam("id") String id) {
        UUID runId = runId(id);
        return store.load(runId).map(events -> {
            if (events.isEmpty()) {
                throw new NotFoundException("no run " + runId);
            }
            return events;
        });
    }

    /**
     * The run's events as they are appended, from whichever replica carries the run: first those after {@code
     * Last-Event-ID} (a seq) from the store, then each new one, until the run has ended and all were sent.
     */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    // Each event's data is JSON written by the resource itself, sent as it is.
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Blocking
    @APIResponse(responseCode = "200", description = "Server-sent events, one per run event: id the event's seq,"
            + " event its type, data the same JSON as in the list; comment lines as heartbeats; the stream ends"
            + " after the run's last event. Asked for with Accept: text/event-stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = StoredEvent.class)))
    public Multi<OutboundSseEvent> liveEvents(@PathParam("id") String id,
                                              @HeaderParam("Last-Event-ID") String lastEventId,
                                              @Context Sse sse, @Context HttpServerRequest request) {
        UUID runId = runId(id);
        long after = seqAfter(lastEventId);
        // Waited for here, on a worker thread: once the stream is returned, its head goes out as 200, so an
        // unknown run must be refused before that.
        RunQueries.StreamState stream = queries.streamState(runId).await().atMost(STATE_TIMEOUT);
        if (!stream.exists()) {
            throw new NotFoundException("no run " + runId);
        }
        return live.runEvents(runId, after, stream.ended(), sse, request);
    }

    private static long seqAfter(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            long seq = Long.parseLong(lastEventId.strip());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // reported below, like a negative one
        }
        throw new InvalidRequestException("Last-Event-ID", "must be the seq of an event of the run, a whole number"
                + " from 0");
    }

    /**
     * What waits for approval in the run, each with the exact script its next attempt will send and that script's
     * digest, rendered by the engine's own code: what an approver reads is what runs. Whoever may read the run.
     */
    @GET
    @Path("{id}/approvals")
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public Uni<List<WaitingApprovalView>> waiting(@PathParam("id") String id) {
        return existing(runId(id)).chain(scripts::waitingIn)
                .map(waiting -> waiting.stream().map(WaitingApprovalView::of).toList());
    }

    /**
     * Approve or reject a step waiting for approval: 409 when none waits; 403 when the caller does not hold
     * the role the playbook names for the step, or requested the run and the playbook does not let the
     * requester approve (subjects compared).
     */
    @POST
    @Path("{id}/approvals")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.APPROVER)
    @APIResponse(responseCode = "200", description = "Decided and recorded: the run as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "202", description = "Accepted for the replica that carries the run, which has not"
            + " decided it yet: its outcome is at the Location",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunCommandView.class)))
    public Uni<Response> approve(@PathParam("id") String id, ApprovalBody body, @Context UriInfo uri) {
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
        List<InvalidRequestException.Violation> violations = new ArrayList<>();
        RequestText.check("target", body.target(), MAX_FILTER_CHARS, violations);
        RequestText.check("step", body.step(), MAX_FILTER_CHARS, violations);
        RequestText.check("comment", body.comment(), Integer.MAX_VALUE, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        String comment = shortened(body.comment(), MAX_COMMENT_CHARS);
        Caller caller = Caller.of(identity);
        return existing(runId).invoke(run -> {
            RunPlan plan = run.plan();
            if (plan.indexOf(body.step()) < 0 || plan.step(body.step()).approval() == null) {
                return;  // nothing to approve there: the decider answers 409
            }
            String role = plan.step(body.step()).approval().role();
            if (!caller.holds(role)) {
                throw refusals.forbidden(caller, "POST /api/v1/runs/" + runId + "/approvals", "'" + caller.subject()
                        + "' does not hold role '" + role + "', which playbook '" + plan.playbook()
                        + "' requires to decide step '" + body.step() + "'");
            }
        }).chain(() -> commands.send(runId, new RunCommand.DecideApproval(body.target(),
                body.step(), approve, comment, caller.subject(), clock.now()))).map(answer -> answered(answer, uri));
    }

    /**
     * Ask the run to stop; 409 when it has ended or is already stopping. Only an admin or the run's requester
     * (403 otherwise), and only with a JSON body: a cross-site form or text/plain post is 415, never a cancel.
     */
    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @APIResponse(responseCode = "200", description = "Decided and recorded: the run as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "202", description = "Accepted for the replica that carries the run, which has not"
            + " decided it yet: its outcome is at the Location",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunCommandView.class)))
    public Uni<Response> cancel(@PathParam("id") String id, CancelBody body, @Context UriInfo uri) {
        UUID runId = runId(id);
        RunCommand.CancelMode mode;
        try {
            mode = body == null || body.mode() == null ? RunCommand.CancelMode.FINISH_STEP
                    : RunCommand.CancelMode.valueOf(body.mode());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("mode", "must be FINISH_STEP or INTERRUPT");
        }
        Caller caller = Caller.of(identity);
        return existing(runId).invoke(run -> {
            if (!caller.holds(Roles.ADMIN) && !caller.subject().equals(run.requestedBy())) {
                throw refusals.forbidden(caller, "POST /api/v1/runs/" + runId + "/cancel", "'" + caller.subject()
                        + "' is neither an admin nor the requester of the run");
            }
        }).chain(() -> commands.send(runId, new RunCommand.Cancel(mode, caller.subject(),
                clock.now()))).map(answer -> answered(answer, uri));
    }

    /**
     * Return a server the run left isolated to service, on the actor's word: recorded as
     * {@code TargetReleased} with the actor and reason, then the playbook's restore step runs. 409 when the
     * run is not done with the target or did not leave it isolated. Admins only.
     */
    @POST
    @Path("{id}/targets/{target}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @APIResponse(responseCode = "200", description = "Decided and recorded: the run as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "202", description = "Accepted for the replica that carries the run, which has not"
            + " decided it yet: its outcome is at the Location",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunCommandView.class)))
    public Uni<Response> release(@PathParam("id") String id, @PathParam("target") String target, ReleaseBody body,
                                 @Context UriInfo uri) {
        UUID runId = runId(id);
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw new InvalidRequestException("reason", "is required: why the server may return to service unverified");
        }
        String problem = RequestText.problem(body.reason(), MAX_COMMENT_CHARS);
        if (problem != null) {
            throw new InvalidRequestException("reason", problem);
        }
        return existing(runId).chain(() -> commands.send(runId, new RunCommand.ReleaseTarget(target,
                body.reason(), Caller.of(identity).subject(), clock.now()))).map(answer -> answered(answer, uri));
    }

    /**
     * A person's command sent to a replica that does not carry the run (approve, reject, cancel, release):
     * {@code PENDING} until the run's owner decides it, then {@code APPLIED} or {@code REFUSED} with the problem
     * the caller would have been answered. The {@code 202} of such a command points here.
     */
    @GET
    @Path("{id}/commands/{commandId}")
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public Uni<RunCommandView> command(@PathParam("id") String id, @PathParam("commandId") String commandId) {
        UUID runId = runId(id);
        UUID command;
        try {
            command = UUID.fromString(commandId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no command '" + (commandId.length() > 40 ? commandId.substring(0, 40)
                    : commandId) + "': command ids are UUIDs");
        }
        return commands.find(runId, command).map(found -> found.map(RunCommandView::of)
                .orElseThrow(() -> new NotFoundException("no command " + command + " for run " + runId)));
    }

    /** 200 with the run once decided; 202 with the command and its Location while the run's owner has not. */
    private static Response answered(PersonCommands.Answer answer, UriInfo uri) {
        if (answer instanceof PersonCommands.Answer.Decided decided) {
            return Response.ok(RunView.of(decided.run())).build();
        }
        RunCommandView command = RunCommandView.of(((PersonCommands.Answer.Accepted) answer).command());
        return Response.accepted(command).location(uri.getBaseUriBuilder().path("api/v1/runs")
                .path(command.runId().toString()).path("commands").path(command.id().toString()).build()).build();
    }

    private Uni<RunState> existing(UUID runId) {
        return engine.load(runId).invoke(run -> {
            if (!run.exists()) {
                throw new NotFoundException("no run " + runId);
            }
        });
    }

    /** A long comment is kept, cut to its first {@code max} characters, never between the halves of a pair. */
    private static String shortened(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
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
