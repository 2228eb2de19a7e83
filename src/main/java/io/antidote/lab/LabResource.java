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
        return fleet.all().stream().map(h -> h.server().describe()).toList();
    }

    @GET
    @RolesAllowed(LabResource.LAB_ADMIN)
    @Path("{name}")
    public Map<String, Object> get(@PathParam("name") String name) {
        enabled();
        return fleet.find(name).map(h -> h.server().describe())
                .orElseThrow(() -> new NotFoundException("no lab host named '" + name + "'"));
    }

    /** The host's command log: every command it received, oldest first, with its shell and command ids. */
    @GET
    @RolesAllowed(LabResource.LAB_ADMIN)
    @Path("{name}/commands")
    public Map<String, Object> commands(@PathParam("name") String name) {
        enabled();
        LabHost host = fleet.find(name).orElseThrow(() -> new NotFoundException("no lab host named '" + name + "'"));
        CommandLog log = host.commands();
        return Map.of("host", name, "dropped", log.dropped(), "commands", log.entries());
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
            return Response.status(201).entity(host.server().describe()).build();
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
