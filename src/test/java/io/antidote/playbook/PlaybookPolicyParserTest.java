package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Step policies (retry, approval, compensation, idempotence) and the rollout strategy, read with positions. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlaybookPolicyParserTest {

    static final String FILE = "playbooks/demo.yaml";

    static Playbook valid(String yaml) {
        ParseResult result = PlaybookParser.parse(FILE, yaml);
        assertThat(result).as("parse result").isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).playbook();
    }

    static List<PlaybookError> errors(String yaml) {
        ParseResult result = PlaybookParser.parse(FILE, yaml);
        assertThat(result).as("parse result").isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) result).errors();
    }

    @Test
    void policies_and_strategy_are_read_into_the_playbook() {
        Playbook playbook = valid("""
                name: demo
                strategy:
                  batchSize: 25%
                  failureThreshold: 2
                  orderBy: site
                  groupBy: dag
                steps:
                  - id: isolate
                    powershell: New-NetFirewallRule
                    compensate: restore
                    keepOnFailure: true
                    idempotent: true
                  - id: patch
                    powershell: msiexec
                    retry:
                      attempts: 3
                      backoff: exponential
                      delay: 10s
                      maxDelay: 2m
                      retryOn: [connection, timeout]
                      exitCodes: [1618]
                    approval:
                      role: approver
                      timeout: 4h
                  - id: restore
                    powershell: Remove-NetFirewallRule
                    compensationOnly: true
                """);
        assertThat(playbook.rollout()).isEqualTo(new Rollout(1, 25, 2, "site", "dag"));
        StepPolicy isolate = playbook.step("isolate").orElseThrow().policy();
        assertThat(isolate.compensate()).isEqualTo("restore");
        assertThat(isolate.keepOnFailure()).isTrue();
        assertThat(isolate.idempotent()).isTrue();
        StepPolicy patch = playbook.step("patch").orElseThrow().policy();
        assertThat(patch.retry()).isEqualTo(new StepPolicy.Retry(3, true, Duration.ofSeconds(10), Duration.ofMinutes(2),
                Set.of("connection", "timeout"), Set.of(1618)));
        assertThat(patch.approval()).isEqualTo(new StepPolicy.Approval("approver", Duration.ofHours(4), false));
        assertThat(patch.idempotent()).as("idempotent unless said").isFalse();
        assertThat(playbook.step("restore").orElseThrow().policy().compensationOnly()).isTrue();
    }

    @Test
    void a_playbook_without_policies_keeps_the_old_behaviour() {
        Playbook playbook = valid("""
                name: demo
                steps:
                  - id: isolate
                    powershell: New-NetFirewallRule
                """);
        assertThat(playbook.rollout()).isEqualTo(Rollout.DEFAULT);
        assertThat(playbook.step("isolate").orElseThrow().policy()).isEqualTo(StepPolicy.DEFAULT);
    }

    @Test
    void a_compensate_naming_an_unknown_step_is_reported_at_its_line() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: isolate
                    powershell: New-NetFirewallRule
                    compensate: restor
                  - id: restore
                    powershell: Remove-NetFirewallRule
                    compensate: restore
                """)).containsExactly(
                new PlaybookError(FILE, 5, 17, "'compensate' in step 'isolate' names step 'restor', which is not a"
                        + " step of this playbook"),
                new PlaybookError(FILE, 8, 17, "step 'restore' cannot undo itself; 'compensate' names another step"));
    }

    @Test
    void malformed_policies_are_reported_each_with_its_position() {
        assertThat(errors("""
                name: demo
                strategy:
                  batchSize: half
                  failureThreshold: 0
                steps:
                  - id: patch
                    powershell: msiexec
                    keepOnFailure: true
                    retry:
                      attempts: 50
                      backoff: random
                      retryOn: [dns]
                    approval:
                      timeout: 1h
                """)).extracting(e -> e.line() + ":" + e.message()).containsExactly(
                "3:'batchSize' in strategy must be a count such as 2 or a percentage such as 25%, found 'half'",
                "4:'failureThreshold' in strategy must be between 1 and 10000, found 0",
                "8:'keepOnFailure' in step 'patch' only means something with 'compensate' (the step that would undo it)",
                "10:the retry in step 'patch' names no failure to retry: add 'retryOn' (connection, timeout) or 'exitCodes'",
                "10:'attempts' in the retry in step 'patch' must be between 1 and 20, found 50",
                "11:'backoff' in the retry in step 'patch' must be fixed or exponential, found 'random'",
                "12:each of 'retryOn' in the retry in step 'patch' must be one of: connection, timeout, found 'dns'",
                "14:missing required key 'role' in the approval in step 'patch'");
    }
}
