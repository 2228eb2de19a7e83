package io.antidote.api;

import io.antidote.identity.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookCatalog;
import io.antidote.playbook.PlaybookError;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import java.util.List;

@Path("/api/v1/playbooks")
@Produces(MediaType.APPLICATION_JSON)
public class PlaybookResource {

    static final String SCHEMA = "/playbook.schema.json";

    private final PlaybookCatalog catalog;

    PlaybookResource(PlaybookCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public List<PlaybookView> list() {
        return catalog.all().stream().map(PlaybookView::summary).toList();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    @Path("{name}")
    public PlaybookView get(@PathParam("name") String name) {
        return catalog.find(name).map(playbook -> PlaybookView.withSource(playbook, pendingErrors(playbook)))
                .orElseThrow(() -> new NotFoundException("no playbook named '" + name + "'"));
    }

    /** Every playbook file that does not load, with its errors and the earlier version still in force, if any. */
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    @Path("errors")
    public List<InvalidFileView> errors() {
        return catalog.invalid().stream().map(invalid -> new InvalidFileView(invalid.file(),
                        catalog.inForce(invalid.file()).map(p -> new InForce(p.name(), p.digest())).orElse(null),
                        invalid.errors()))
                .toList();
    }

    /** The JSON Schema (draft 2020-12) of the playbook format; docs/playbooks.md is its prose. */
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    @Path("schema")
    @Produces("application/schema+json")
    public Response schema() {
        try (InputStream in = PlaybookResource.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("the playbook schema is missing from the build");
            }
            return Response.ok(in.readAllBytes(), "application/schema+json").build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record InForce(String name, String digest) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InvalidFileView(String file, InForce inForce, List<PlaybookError> errors) {
    }

    private List<PlaybookError> pendingErrors(Playbook playbook) {
        return catalog.invalid().stream().filter(invalid -> invalid.file().equals(playbook.file()))
                .flatMap(invalid -> invalid.errors().stream()).toList();
    }
}
