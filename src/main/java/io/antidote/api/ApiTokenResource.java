package io.antidote.api;

import io.antidote.contract.ProblemType;
import io.antidote.engine.Clock;
import io.antidote.identity.ApiTokens;
import io.antidote.identity.Caller;
import io.antidote.identity.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** API tokens for machines, managed by admins (docs/security.md). */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class ApiTokenResource {

    private final ApiTokens tokens;
    private final Clock clock;
    private final SecurityIdentity identity;

    ApiTokenResource(ApiTokens tokens, Clock clock, SecurityIdentity identity) {
        this.tokens = tokens;
        this.clock = clock;
        this.identity = identity;
    }

    /** Issues a token; its text is in this answer and nowhere else, ever. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @APIResponse(responseCode = "201", description = "The token, with its text shown this once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiTokenView.class)))
    public Uni<Response> issue(ApiTokenBody body, @Context UriInfo uri) {
        if (body == null) {
            return Uni.createFrom().item(Problem.response(ProblemType.MALFORMED_BODY, "a JSON body is required",
                    List.of()));
        }
        Caller caller = Caller.of(identity);
        Instant now = clock.now();
        return tokens.issue(new ApiTokens.Request(body.name(), body.roles(), body.playbooks(), body.expiresAt()),
                        caller.subject(), now)
                .map(issued -> Response.created(uri.getBaseUriBuilder().path("api/v1/tokens")
                                .path(issued.row().id().toString()).build())
                        .entity(ApiTokenView.of(issued.row(), now, issued.token())).build());
    }

    /** Every token ever issued, newest first, without its text; auditors read it too (who could act as what). */
    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Uni<List<ApiTokenView>> list() {
        Instant now = clock.now();
        return tokens.all().map(rows -> rows.stream().map(row -> ApiTokenView.of(row, now, null)).toList());
    }

    /** Revokes a token: from the next request on, it authenticates nobody. 409 when already revoked. */
    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<ApiTokenView> revoke(@PathParam("id") String id) {
        UUID tokenId = tokenId(id);
        Caller caller = Caller.of(identity);
        Instant now = clock.now();
        return tokens.byId(tokenId).chain(found -> {
            if (found.isEmpty()) {
                throw new NotFoundException("no API token " + tokenId);
            }
            if (found.get().revokedAt() != null) {
                return Uni.createFrom().<ApiTokenView>failure(new jakarta.ws.rs.ClientErrorException(
                        "API token " + tokenId + " was already revoked", Response.Status.CONFLICT));
            }
            return tokens.revoke(tokenId, caller.subject(), now).chain(() -> tokens.byId(tokenId))
                    .map(row -> ApiTokenView.of(row.orElseThrow(), now, null));
        });
    }

    private static UUID tokenId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no API token '" + (id.length() > 40 ? id.substring(0, 40) : id)
                    + "': token ids are UUIDs");
        }
    }
}
