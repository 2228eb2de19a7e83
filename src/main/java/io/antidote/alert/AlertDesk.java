package io.antidote.alert;

import io.antidote.engine.Clock;
import io.antidote.engine.InvalidRequestException;
import io.antidote.engine.RunRequests;
import io.antidote.playbook.AlertRule;
import io.antidote.store.AlertRecord;
import io.antidote.store.Alerts;
import io.antidote.store.IdempotencyKeyTaken;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.Target;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides what an alert leads to and records it (docs/alerts.md), whichever way it came: read it, find its server
 * in the inventory and the first rule that matches, and request that rule's playbook for the server through the
 * normal run request path, at most once per rule and server within the rule's window. Every alert ends as one row
 * of the {@code alert} table: MATCHED with its run (written in the run's own transaction), DEDUPLICATED with the
 * run it was folded into, IGNORED, or REFUSED with the reason.
 */
@ApplicationScoped
public class AlertDesk {

    /** The actor of runs an alert requested: the source, never a person (docs/security.md reserves the prefix). */
    public static final String ACTOR_PREFIX = "alert:";
    /** The scope of a rule's deduplication windows among the claimed keys: {@code alert:rule:<name>}, per server. */
    static final String WINDOW_SCOPE = "alert:rule:";
    private static final Logger LOG = Logger.getLogger(AlertDesk.class);

    private final AlertRuleBook rules;
    private final Inventory inventory;
    private final RunRequests requests;
    private final Alerts alerts;
    private final Clock clock;
    private final AlertsConfig config;

    AlertDesk(AlertRuleBook rules, Inventory inventory, RunRequests requests, Alerts alerts, Clock clock,
              AlertsConfig config) {
        this.rules = rules;
        this.inventory = inventory;
        this.requests = requests;
        this.alerts = alerts;
        this.clock = clock;
        this.config = config;
    }

    /**
     * Reads, decides and records one alert. Fails with {@link AlertRefused} (recorded first) for a malformed or
     * hostile alert; any other failure (the database away) records nothing, so that the sender may send it again.
     *
     * @param sender who handed it in, and the source it may claim
     */
    public Uni<AlertRecord> receive(String text, AlertSender sender) {
        String channel = sender.channel();
        String receivedBy = sender.receivedBy();
        AlertForm.Read read = AlertForm.read(text, now(), config.maxClockSkew(), sender.mayClaim());
        UUID id = UUID.randomUUID();
        if (read.alert() == null) {
            AlertForm.Seen seen = read.seen();
            InvalidRequestException described = new InvalidRequestException(read.violations());
            AlertRecord refused = new AlertRecord(id, now(), channel, receivedBy, seen.source(), seen.externalId(),
                    seen.server(), seen.type(), seen.severity(), null, null, null, "REFUSED",
                    AlertForm.clean(described.getMessage(), 2000), null);
            return alerts.record(refused).chain(() -> Uni.createFrom().failure(
                    new AlertRefused(refused, read.violations(), read.malformed())));
        }
        Alert alert = read.alert();
        Optional<Target> server = inventory.find(alert.server());
        if (server.isEmpty()) {
            return record(recordOf(id, alert, channel, receivedBy, null, "IGNORED", "no server named '"
                    + alert.server() + "' in the inventory", null));
        }
        Optional<AlertRule> rule = rules.rules().stream().filter(r -> r.matches(alert.source(), alert.type(),
                alert.severity(), server.get().labels())).findFirst();
        if (rule.isEmpty()) {
            return record(recordOf(id, alert, channel, receivedBy, null, "IGNORED", "no rule matches source '"
                    + alert.source() + "', type '" + alert.type() + "', severity " + alert.severity() + " on server '"
                    + alert.server() + "' (" + rules.rules().size() + " rules in force)", null));
        }
        return act(id, alert, channel, receivedBy, rule.get(), 1);
    }

    /** Requests the rule's run unless its window for the server is held; a window that lapsed meanwhile is tried again. */
    private Uni<AlertRecord> act(UUID id, Alert alert, String channel, String receivedBy, AlertRule rule, int retries) {
        RunRequests.Once once = new RunRequests.Once(WINDOW_SCOPE + rule.name(), alert.server(), rule.dedupWindow());
        return requests.heldBy(once).chain(held -> {
            if (held.isPresent()) {
                return record(deduplicated(id, alert, channel, receivedBy, rule, held.get()));
            }
            RunRequests.Request request = new RunRequests.Request(rule.playbook(), List.of(alert.server()),
                    rule.params(), alert.externalId(), null, ACTOR_PREFIX + alert.source());
            String because = "rule '" + rule.name() + "' (" + rule.file() + ") matched: playbook '" + rule.playbook()
                    + "' requested for " + alert.server() + (rule.approvalRequired()
                    ? ", a person approves before its first step" : ", without approval before its first step")
                    + "; further alerts of this rule and server within " + rule.dedupWindow() + " are deduplicated";
            return requests.submitOnce(request, rule.approvalRequired(), once, runId -> models -> models.recordAlert(
                            recordOf(id, alert, channel, receivedBy, rule, "MATCHED", because, runId)))
                    .map(run -> recordOf(id, alert, channel, receivedBy, rule, "MATCHED", because, run.runId()))
                    .invoke(matched -> LOG.infof("Alert %s from %s (%s on %s) started run %s by rule %s", id,
                            alert.source(), alert.type(), alert.server(), matched.runId(), rule.name()))
                    .onFailure(IdempotencyKeyTaken.class).recoverWithUni(taken -> requests.heldBy(once).chain(winner ->
                            winner.isPresent() ? record(deduplicated(id, alert, channel, receivedBy, rule, winner.get()))
                                    : retries > 0 ? act(id, alert, channel, receivedBy, rule, retries - 1)
                                    : Uni.createFrom().failure(taken)))
                    .onFailure(InvalidRequestException.class).recoverWithUni(refused -> record(recordOf(id, alert,
                            channel, receivedBy, rule, "REFUSED", "rule '" + rule.name() + "' matched, but its run request"
                                    + " was refused: " + AlertForm.clean(refused.getMessage(), 1500), null)));
        });
    }

    private AlertRecord deduplicated(UUID id, Alert alert, String channel, String receivedBy, AlertRule rule, UUID run) {
        return recordOf(id, alert, channel, receivedBy, rule, "DEDUPLICATED", "rule '" + rule.name()
                + "' already requested run " + run + " for " + alert.server() + " within its " + rule.dedupWindow()
                + " window", run);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.now(), ZoneOffset.UTC);
    }

    private Uni<AlertRecord> record(AlertRecord record) {
        return alerts.record(record).replaceWith(record);
    }

    private AlertRecord recordOf(UUID id, Alert alert, String channel, String receivedBy, AlertRule rule,
                                 String decision, String reason, UUID runId) {
        return new AlertRecord(id, now(), channel, receivedBy, alert.source(), alert.externalId(), alert.server(),
                alert.type(), alert.severity().name(), alert.occurredAt(), alert.summary(),
                rule == null ? null : rule.name(), decision, reason, runId);
    }
}
