package io.antidote.console;

import io.antidote.identity.ConsoleLoginConfig;
import io.antidote.identity.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The console's pages: one layout, the navigation and the forms' markup, rendered here; what they show is read by
 * the page's ES module from the JSON API with the person's session. Each page admits the roles of the API it reads,
 * so that a person is not shown a page all of whose answers would be refusals; the API still decides every call.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {

    /** What a server name can be (the inventory's names); anything else is no page. */
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,253}");

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance runs(Page page);

        static native TemplateInstance newRun(Page page);

        static native TemplateInstance run(Page page);

        static native TemplateInstance approvals(Page page);

        static native TemplateInstance servers(Page page);

        static native TemplateInstance server(Page page);

        static native TemplateInstance audit(Page page);
    }

    private final SecurityIdentity identity;
    private final RoutingContext request;
    private final boolean sessions;

    ConsolePages(SecurityIdentity identity, RoutingContext request,
                 ConsoleLoginConfig consoleLogin) {
        this.identity = identity;
        this.request = request;
        this.sessions = consoleLogin.tokenLogin() || consoleLogin.oidc();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public Response home() {
        return Response.seeOther(URI.create(ConsoleLogin.HOME)).build();
    }

    @GET
    @Path("runs")
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public TemplateInstance runs() {
        return Templates.runs(page("Runs", "runs", null));
    }

    @GET
    @Path("runs/new")
    @RolesAllowed(Roles.OPERATOR)
    public TemplateInstance newRun() {
        return Templates.newRun(page("New run", "new-run", null));
    }

    @GET
    @Path("runs/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public TemplateInstance run(@PathParam("id") String id) {
        return Templates.run(page("Run", "runs", runId(id)));
    }

    @GET
    @Path("approvals")
    @RolesAllowed(Roles.APPROVER)
    public TemplateInstance approvals() {
        return Templates.approvals(page("Approvals", "approvals", null));
    }

    @GET
    @Path("servers")
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public TemplateInstance servers() {
        return Templates.servers(page("Servers", "servers", null));
    }

    @GET
    @Path("servers/{name}")
    @RolesAllowed({Roles.VIEWER, Roles.AUDITOR, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN})
    public TemplateInstance server(@PathParam("name") String name) {
        if (!SERVER_NAME.matcher(name).matches()) {
            throw new NotFoundException();
        }
        return Templates.server(page("Server " + name, "servers", name));
    }

    @GET
    @Path("audit")
    @RolesAllowed(Roles.AUDITOR)
    public TemplateInstance audit() {
        return Templates.audit(page("Audit", "audit", null));
    }

    private Page page(String title, String section, String resource) {
        String csrf = request.get(ConsoleCookies.CSRF_KEY);
        return new Page(title, section, identity.getPrincipal().getName(), Set.copyOf(identity.getRoles()),
                csrf == null ? "" : csrf, sessions, resource);
    }

    private static String runId(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw new NotFoundException();
        }
    }
}
