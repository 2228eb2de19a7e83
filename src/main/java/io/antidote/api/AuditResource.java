package io.antidote.api;

import io.antidote.identity.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.antidote.audit.Exports;
import io.antidote.audit.SigningKeys;
import io.antidote.engine.InvalidRequestException;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * What auditors read across runs: the checkpoint keys and exports by time. Everything under
 * {@code /api/v1/audit} is for the {@code auditor} role (docs/api.md).
 */
@Path("/api/v1/audit")
public class AuditResource {

    /** JSON Lines, served as plain UTF-8 text so that each line reaches the client byte for byte as written. */
    static final String JSON_LINES = MediaType.TEXT_PLAIN + ";charset=UTF-8";

    private final SigningKeys keys;
    private final Exports exports;

    AuditResource(SigningKeys keys, Exports exports) {
        this.keys = keys;
        this.exports = exports;
    }

    /** Every public key checkpoints may be signed with: the current one, then earlier ones kept for old checkpoints. */
    @GET
    @RolesAllowed(Roles.AUDITOR)
    @Path("keys")
    @Produces(MediaType.APPLICATION_JSON)
    public List<SigningKeys.PublicKeyInfo> keys() {
        return keys.publicKeys();
    }

    /** Every run whose first event occurred in [from, to), whole, with its checkpoints, as JSON Lines. */
    @GET
    @RolesAllowed(Roles.AUDITOR)
    @Path("export")
    @Produces(JSON_LINES)
    public Multi<String> export(@QueryParam("from") String from, @QueryParam("to") String to) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (!start.isBefore(end)) {
            throw new InvalidRequestException("to", "must be after from");
        }
        return exports.between(start, end);
    }

    private static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException(field, "is required, as an ISO-8601 instant such as 2021-03-02T10:00:00Z");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "must be an ISO-8601 instant such as 2021-03-02T10:00:00Z");
        }
    }
}
