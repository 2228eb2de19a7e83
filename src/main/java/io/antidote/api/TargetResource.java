package io.antidote.api;

import io.antidote.identity.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.InventoryError;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

@Path("/api/v1/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetResource {

    /** What the API shows of a target: never its credential reference's value, only where it is. */
    public record TargetInfo(String name, String address, int port, String scheme, String auth,
                             Map<String, String> labels) {
    }

    private final Inventory inventory;

    TargetResource(Inventory inventory) {
        this.inventory = inventory;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public List<TargetInfo> list() {
        return inventory.all().stream().map(t -> new TargetInfo(t.name(), t.address(), t.port(),
                t.scheme().name(), t.auth().name(), t.labels())).toList();
    }

    /** Inventory entries left out at the last load: where they are and why. */
    @GET
    @Path("/errors")
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public List<InventoryError> errors() {
        return inventory.errors();
    }

    /** Reads the inventory file and properties again; answers what was loaded and what was left out. */
    @POST
    @Path("/reload")
    @RolesAllowed(Roles.ADMIN)
    @Blocking
    public Inventory.Loaded reload() {
        return inventory.reload();
    }
}
