package io.antidote.identity;

import io.antidote.engine.Clock;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The lab profile's way in: at start, three API tokens (an operator, an approver and an admin, so that the
 * README's walk-through can request, approve and release as different people) are issued and written to a
 * file only the service's user can read, as shell variables. Never the log. Only where
 * {@code antidote.auth.lab-tokens-file} is set, which the lab profile alone does.
 */
@ApplicationScoped
public class LabTokens {

    private static final Logger LOG = Logger.getLogger(LabTokens.class);
    static final Duration VALID_FOR = Duration.ofHours(12);

    private final ApiTokens tokens;
    private final Clock clock;
    private final Optional<Path> file;

    LabTokens(ApiTokens tokens, Clock clock, AuthConfig config) {
        this.tokens = tokens;
        this.clock = clock;
        this.file = config.labTokensFile();
    }

    void onStart(@Observes StartupEvent start) throws IOException {
        if (file.isEmpty()) {
            return;
        }
        Instant now = clock.now();
        Instant until = now.plus(VALID_FOR);
        StringBuilder text = new StringBuilder("# Antidote lab API tokens, issued at " + now + ", valid until " + until
                + ".\n# Lab only: a rehearsal fleet, never a real one. Source this file: . " + file.get() + "\n");
        record Lab(String variable, String name, List<String> roles) {
        }
        for (Lab lab : List.of(
                new Lab("OPERATOR", "lab-operator", List.of(Roles.OPERATOR, Roles.VIEWER, Roles.AUDITOR, Roles.LAB_ADMIN)),
                new Lab("APPROVER", "lab-approver", List.of(Roles.APPROVER, Roles.VIEWER)),
                new Lab("ADMIN", "lab-admin", List.of(Roles.ADMIN, Roles.VIEWER, Roles.AUDITOR, Roles.LAB_ADMIN)))) {
            ApiTokens.Issued issued = tokens.issue(new ApiTokens.Request(lab.name(), lab.roles(),
                    List.of(Caller.ALL_PLAYBOOKS), until), "lab", now).await().atMost(Duration.ofSeconds(30));
            text.append(lab.variable()).append('=').append(issued.token()).append('\n');
        }
        Path path = file.get().toAbsolutePath();
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(path, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        LOG.infof("Lab API tokens (OPERATOR, APPROVER, ADMIN; valid %d h) written to %s: . %s", VALID_FOR.toHours(),
                path, path);
    }
}
