package io.antidote.lab;

import jakarta.annotation.security.RolesAllowed;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.winrm.Target;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lab control API: only when the lab is enabled (lab and test profiles); 404 otherwise. A spec it cannot
 * serve is answered 422 with the field at fault ({@link LabProblem}).
 */
@Path("/lab/hosts")
@Produces(MediaType.APPLICATION_JSON)
public class LabResource {

    /** Body of {@code POST /lab/hosts}. */
    public record HostSpec(String name, String version, String cu, List<String> compromise, Set<String> faults,
                           String dag, List<String> updates) {
    }

    /**
     * The role that controls the lab (io.antidote.identity.Roles.LAB_ADMIN: the lab may not import the
     * product, so the name is repeated here; RolesAnnotationTest holds the two equal).
     */
    public static final String LAB_ADMIN = "lab-admin";

    private final LabFleet fleet;

    LabResource(LabFleet fleet) {
        this.fleet = fleet;
    }

    @GET
    @RolesAllowed(LabResource.LAB_ADMIN)
    public List<Map<String, Object>> list() {
        enabled();
        return fleet.all().stream().map(LabResource::describe).toList();
    }

    @GET
    @RolesAllowed(LabResource.LAB_ADMIN)
    @Path("{name}")
    public Map<String, Object> get(@PathParam("name") String name) {
        return describe(host(name));
    }

    /** The server as it stands, and the loopback port its WS-Management endpoint listens on. */
    private static Map<String, Object> describe(LabHost host) {
        Map<String, Object> described = host.server().describe();
        described.put("port", host.endpoint().port());
        return described;
    }

    /** The host's command log: every command it received, oldest first, with its shell and command ids. */
    @GET
    @RolesAllowed(LabResource.LAB_ADMIN)
    @Path("{name}/commands")
    public Map<String, Object> commands(@PathParam("name") String name) {
        CommandLog log = host(name).commands();
        return Map.of("host", name, "dropped", log.dropped(), "commands", log.entries());
    }

    /**
     * The faults set on the running host, armed, in force or over; the faults of its spec; how many commands it
     * has received, and how many requests a fault answered instead of it.
     */
    @GET
    @RolesAllowed(LabResource.LAB_ADMIN)
    @Path("{name}/faults")
    public Map<String, Object> faults(@PathParam("name") String name) {
        LabHost host = host(name);
        return Map.of("host", name, "commands", host.commands().count(),
                "faultedRequests", host.faults().faultedRequests(),
                "spec", host.server().describe().get("faults"), "faults", host.placedFaults().describe());
    }

    /** Sets a fault on the running host, to start now, at its Nth command, at a command matching a pattern, or at an instant. */
    @POST
    @RolesAllowed(LabResource.LAB_ADMIN)
    @APIResponse(responseCode = "201", description = "The fault is set (armed, or in force if it starts now)")
    @Path("{name}/faults")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response placeFault(@PathParam("name") String name, FaultSpec spec) {
        LabHost host = host(name);
        if (spec == null) {
            return LabProblem.invalid("kind", "a fault is required, e.g. {\"kind\": \"hang\", \"trigger\": {\"atCommand\": 3}}");
        }
        try {
            return Response.status(201).entity(host.placedFaults().place(spec).describe()).build();
        } catch (FaultSpec.Invalid e) {
            return LabProblem.invalid(e.field(), e.reason());
        }
    }

    /** Ends and forgets every fault set on the running host; the faults of its spec stay. */
    @DELETE
    @RolesAllowed(LabResource.LAB_ADMIN)
    @APIResponse(responseCode = "204", description = "The faults set on the host are gone")
    @Path("{name}/faults")
    public Response clearFaults(@PathParam("name") String name) {
        host(name).placedFaults().clear();
        return Response.noContent().build();
    }

    private LabHost host(String name) {
        enabled();
        return fleet.find(name).orElseThrow(() -> new NotFoundException("no lab host named '" + name + "'"));
    }

    @POST
    @RolesAllowed(LabResource.LAB_ADMIN)
    @APIResponse(responseCode = "201", description = "The host listens on loopback")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(HostSpec spec) {
        enabled();
        if (spec == null || spec.name() == null || !Target.NAME.matcher(spec.name()).matches()) {
            return LabProblem.invalid("name", "a host name matching " + Target.NAME.pattern() + " is required");
        }
        ServerSpec serverSpec;
        try {
            serverSpec = new ServerSpec(spec.version(), spec.cu(),
                    spec.compromise() == null ? List.of() : spec.compromise(),
                    spec.faults() == null ? Set.of() : spec.faults(), spec.dag(), spec.updates());
            LabHost host = fleet.create(spec.name(), serverSpec, 0);
            return Response.status(201).entity(describe(host)).build();
        } catch (ServerSpec.Invalid e) {
            return LabProblem.invalid(e.field(), e.reason());
        } catch (IllegalArgumentException e) {
            return LabProblem.invalid("name", e.getMessage());
        }
    }

    @DELETE
    @RolesAllowed(LabResource.LAB_ADMIN)
    @APIResponse(responseCode = "204", description = "The host is gone")
    @Path("{name}")
    @Blocking
    public Response delete(@PathParam("name") String name) {
        enabled();
        if (!fleet.delete(name)) {
            throw new NotFoundException("no lab host named '" + name + "'");
        }
        return Response.noContent().build();
    }

    private void enabled() {
        if (!fleet.enabled()) {
            throw new NotFoundException("the lab is not enabled (antidote.lab.enabled)");
        }
    }
}
