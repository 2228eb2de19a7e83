package io.antidote.api;

import io.antidote.playbook.PlaybookCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

@Path("/api/v1/playbooks")
@Produces(MediaType.APPLICATION_JSON)
public class PlaybookResource {

    private final PlaybookCatalog catalog;

    PlaybookResource(PlaybookCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public List<PlaybookView> list() {
        return catalog.all().stream().map(PlaybookView::summary).toList();
    }

    @GET
    @Path("{name}")
    public PlaybookView get(@PathParam("name") String name) {
        return catalog.find(name).map(PlaybookView::withSource)
                .orElseThrow(() -> new NotFoundException("no playbook named '" + name + "'"));
    }
}
