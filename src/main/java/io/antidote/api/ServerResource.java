package io.antidote.api;

import io.antidote.identity.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.antidote.contract.ProblemType;
import io.antidote.store.ServerHistory;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.Target;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Each server's state across runs, for the people who answer "which servers are still exposed?": its last
 * recorded verdict with the events behind it, and every run that named it. Read from the projection the
 * events are folded into ({@link ServerHistory}), filtered there.
 */
@Path("/api/v1/servers")
@Produces(MediaType.APPLICATION_JSON)
public class ServerResource {

    /** Words a {@code verdict} filter may use: any value of a verdict's patch, compromise or service, or UNKNOWN. */
    static final Set<String> VERDICT_WORDS = Set.of("VULNERABLE", "PATCHED", "MITIGATED", "COMPROMISED", "CLEAN",
            "ISOLATED", "IN_SERVICE", ServerHistory.UNKNOWN);
    static final int MAX_LABEL_CHARS = 200;

    private final Inventory inventory;
    private final ServerHistory history;

    ServerResource(Inventory inventory, ServerHistory history) {
        this.inventory = inventory;
        this.history = history;
    }

    /**
     * Every server in the inventory, and every one a run recorded a verdict for, by name. {@code verdict}
     * keeps those whose verdict says that word; {@code label} ({@code key=value}, repeatable) those carrying
     * every such label.
     */
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    @APIResponse(responseCode = "200", description = "The servers, by name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ServerView.class)))
    public Uni<Response> list(@QueryParam("verdict") String verdict, @QueryParam("label") List<String> labels) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (verdict != null && !VERDICT_WORDS.contains(verdict)) {
            errors.add(new Problem.FieldError("verdict", "one of " + new TreeSet<>(VERDICT_WORDS)));
        }
        Map<String, String> wanted = new TreeMap<>();
        for (String label : labels == null ? List.<String>of() : labels) {
            int eq = label.indexOf('=');
            if (eq <= 0 || label.length() > MAX_LABEL_CHARS) {
                errors.add(new Problem.FieldError("label", "key=value, at most " + MAX_LABEL_CHARS + " characters"));
            } else {
                wanted.put(label.substring(0, eq), label.substring(eq + 1));
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().item(Problem.response(ProblemType.INVALID_QUERY,
                    errors.stream().map(Problem.FieldError::field).distinct().collect(Collectors.joining(", "))
                            + ": not a value servers can be filtered by", errors));
        }
        Map<String, Map<String, String>> known = new TreeMap<>();
        inventory.all().forEach(t -> known.put(t.name(), t.labels()));
        return history.find(new ServerHistory.Filter(verdict, wanted), known)
                .map(servers -> Response.ok(servers.stream().map(ServerView::listed).toList()).build());
    }

    /** One server: its last verdict with the events it rests on, and the timeline of the runs that named it. */
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    @Path("{name}")
    public Uni<ServerView> get(@PathParam("name") String name) {
        Map<String, String> labels = inventory.find(name).map(Target::labels).orElse(null);
        return history.state(name, labels).chain(state -> {
            if (state == null) {
                throw new NotFoundException("no server '" + name + "' in the inventory or in any run");
            }
            return history.runs(name).map(runs -> ServerView.detailed(state, runs));
        });
    }
}
