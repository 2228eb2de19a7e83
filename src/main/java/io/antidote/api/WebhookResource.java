package io.antidote.api;

import io.antidote.contract.ProblemType;
import io.antidote.identity.Caller;
import io.antidote.identity.Roles;
import io.antidote.store.WebhookDelivery;
import io.antidote.webhook.Subscriptions;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Webhook subscriptions and their delivery logs, managed by admins and read by auditors (docs/webhooks.md). */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class WebhookResource {

    static final int DEFAULT_LOG_SIZE = 100;
    static final int MAX_LOG_SIZE = 1000;
    private static final List<String> DELIVERY_STATUSES =
            List.of(WebhookDelivery.PENDING, WebhookDelivery.DELIVERED, WebhookDelivery.DEAD);

    private final Subscriptions subscriptions;
    private final SecurityIdentity identity;

    WebhookResource(Subscriptions subscriptions, SecurityIdentity identity) {
        this.subscriptions = subscriptions;
        this.identity = identity;
    }

    /** Subscribes a URL to run events; it receives those that happen from now on. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @APIResponse(responseCode = "201", description = "The subscription, its secret masked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookView.class)))
    public Uni<Response> subscribe(WebhookBody body, @Context UriInfo uri) {
        if (body == null) {
            return Uni.createFrom().item(Problem.response(ProblemType.MALFORMED_BODY, "a JSON body is required",
                    List.of()));
        }
        return subscriptions.register(new Subscriptions.Request(body.url(), body.events(), body.statuses(),
                        body.secret(), body.description()), Caller.of(identity).subject())
                .map(row -> Response.created(uri.getBaseUriBuilder().path("api/v1/webhooks")
                        .path(row.id().toString()).build()).entity(WebhookView.of(row)).build());
    }

    /** Every subscription, newest first, disabled ones included. */
    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Uni<List<WebhookView>> list() {
        return subscriptions.all().map(rows -> rows.stream().map(WebhookView::of).toList());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Uni<WebhookView> get(@PathParam("id") String id) {
        UUID subscriptionId = subscriptionId(id);
        return subscriptions.byId(subscriptionId).map(found -> WebhookView.of(found.orElseThrow(() ->
                new NotFoundException("no webhook subscription " + subscriptionId))));
    }

    /** Disables the subscription: nothing more is written or sent for it; its log stays. */
    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<WebhookView> disable(@PathParam("id") String id) {
        UUID subscriptionId = subscriptionId(id);
        return subscriptions.disable(subscriptionId, Caller.of(identity).subject())
                .chain(disabled -> subscriptions.byId(subscriptionId).map(found -> {
                    if (found.isEmpty()) {
                        throw new NotFoundException("no webhook subscription " + subscriptionId);
                    }
                    if (!disabled) {
                        throw new ClientErrorException("webhook subscription " + subscriptionId
                                + " was already disabled", Response.Status.CONFLICT);
                    }
                    return WebhookView.of(found.get());
                }));
    }

    /** The subscription's deliveries, newest first. */
    @GET
    @Path("{id}/deliveries")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The delivery log, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WebhookDeliveryView.class, type = org.eclipse.microprofile
                            .openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<Response> deliveries(@PathParam("id") String id, @QueryParam("status") String status,
                                    @QueryParam("size") String size) {
        UUID subscriptionId = subscriptionId(id);
        List<Problem.FieldError> errors = new ArrayList<>();
        if (status != null && !DELIVERY_STATUSES.contains(status)) {
            errors.add(new Problem.FieldError("status", "one of " + DELIVERY_STATUSES));
        }
        int limit = DEFAULT_LOG_SIZE;
        if (size != null) {
            try {
                limit = Integer.parseInt(size);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LOG_SIZE) {
                errors.add(new Problem.FieldError("size", "a whole number from 1 to " + MAX_LOG_SIZE));
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().item(Problem.response(ProblemType.INVALID_QUERY,
                    errors.get(0).field() + ": " + errors.get(0).message(), errors));
        }
        int rows = limit;
        return subscriptions.byId(subscriptionId).chain(found -> {
            if (found.isEmpty()) {
                throw new NotFoundException("no webhook subscription " + subscriptionId);
            }
            return subscriptions.log(subscriptionId, status, rows)
                    .map(log -> Response.ok(log.stream().map(WebhookDeliveryView::of).toList()).build());
        });
    }

    /** Sends a delivery again now, whatever its status, with the same webhook-id and body, and a fresh window. */
    @POST
    @Path("{id}/deliveries/{deliveryId}/replay")
    @RolesAllowed(Roles.ADMIN)
    @APIResponse(responseCode = "202", description = "The delivery, due now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WebhookDeliveryView.class)))
    public Uni<Response> replay(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        UUID subscriptionId = subscriptionId(id);
        UUID delivery = uuid(deliveryId, "webhook delivery");
        return subscriptions.byId(subscriptionId).chain(subscription -> {
            if (subscription.isEmpty()) {
                throw new NotFoundException("no webhook subscription " + subscriptionId);
            }
            if (!subscription.get().active()) {
                throw new ClientErrorException("webhook subscription " + subscriptionId
                        + " is disabled: nothing is sent for it", Response.Status.CONFLICT);
            }
            return subscriptions.replay(subscriptionId, delivery).map(found -> Response.accepted(
                    WebhookDeliveryView.of(found.orElseThrow(() -> new NotFoundException("no delivery " + delivery
                            + " of webhook subscription " + subscriptionId)))).build());
        });
    }

    private static UUID subscriptionId(String id) {
        return uuid(id, "webhook subscription");
    }

    private static UUID uuid(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no " + what + " '" + (id.length() > 40 ? id.substring(0, 40) : id)
                    + "': its ids are UUIDs");
        }
    }
}
