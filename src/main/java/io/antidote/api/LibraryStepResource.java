package io.antidote.api;

import io.antidote.identity.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.antidote.playbook.LibraryStep;
import io.antidote.playbook.PlaybookCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * The step library playbooks use ({@code uses:}): {@code playbooks/steps/*.yaml}. A library file with errors
 * is listed by {@code GET /api/v1/playbooks/errors}, like a playbook file.
 */
@Path("/api/v1/steps")
@Produces(MediaType.APPLICATION_JSON)
public class LibraryStepResource {

    private final PlaybookCatalog catalog;

    LibraryStepResource(PlaybookCatalog catalog) {
        this.catalog = catalog;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LibraryStepView(String name, String description, String file, String digest,
                                  List<PlaybookView.ParamView> inputs, String timeout, String powershell,
                                  List<String> usedBy) {
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public List<LibraryStepView> list() {
        return catalog.library().all().stream().map(step -> view(step, false)).toList();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    @Path("{name}")
    public LibraryStepView get(@PathParam("name") String name) {
        return catalog.library().find(name).map(step -> view(step, true))
                .orElseThrow(() -> new NotFoundException("no library step named '" + name + "'"));
    }

    private LibraryStepView view(LibraryStep step, boolean withScript) {
        List<String> usedBy = catalog.all().stream().filter(p -> p.library().containsKey(step.name()))
                .map(p -> p.name()).toList();
        return new LibraryStepView(step.name(), step.description(), step.file(), step.digest(),
                step.inputs().stream().map(PlaybookView::param).toList(),
                step.timeout() == null ? null : step.timeout().toString(), withScript ? step.powershell() : null, usedBy);
    }
}
