package io.antidote.engine;

import io.antidote.playbook.ParseResult;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookParser;
import io.antidote.winrm.Target;
import io.antidote.workflow.FailureKind;
import io.antidote.workflow.RunPlan;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A playbook and its targets become the plan a run carries: step policies, strategy, order and groups. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunPlanMappingTest {

    static final Playbook PLAYBOOK = ((ParseResult.Valid) PlaybookParser.parse("demo.yaml", """
            name: demo
            strategy:
              batchSize: 50%
              failureThreshold: 2
              orderBy: site
              groupBy: dag
            steps:
              - id: isolate
                timeout: 2m
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
                  maxDelay: 1m
                  retryOn: [connection, timeout]
                  exitCodes: [1618]
                approval:
                  role: approver
                  timeout: 1h
              - id: restore
                powershell: Remove-NetFirewallRule
            """)).playbook();

    static Target target(String name, Map<String, String> labels) {
        return new Target(name, "10.0.0.1", 5985, Target.Scheme.HTTP, Target.AuthScheme.NTLM, "ref", labels);
    }

    @Test
    void each_step_carries_its_policy_into_the_plan() {
        RunPlan plan = RunRequests.planOf(PLAYBOOK, List.of(target("ex01", Map.of())));
        assertThat(plan.step("isolate")).isEqualTo(new RunPlan.PlannedStep("isolate", RunPlan.Retry.NONE, 120_000,
                null, "restore", true, false, true));
        RunPlan.PlannedStep patch = plan.step("patch");
        assertThat(patch.retry()).isEqualTo(new RunPlan.Retry(3, RunPlan.Backoff.EXPONENTIAL, 10_000, 60_000,
                Set.of(FailureKind.CONNECTION, FailureKind.TIMEOUT), Set.of(1618)));
        assertThat(patch.approval()).isEqualTo(new RunPlan.Approval("approver", 3_600_000, false));
        assertThat(patch.timeoutMillis()).as("the default step timeout, 10m").isEqualTo(600_000);
        assertThat(plan.strategy()).isEqualTo(new RunPlan.Strategy(1, 50, 2));
    }

    @Test
    void targets_are_ordered_by_the_order_label_and_grouped_by_the_group_label() {
        RunPlan plan = RunRequests.planOf(PLAYBOOK, List.of(
                target("ex03", Map.of("site", "paris", "dag", "dag1")),
                target("ex01", Map.of("site", "berlin", "dag", "dag1")),
                target("ex09", Map.of()),
                target("ex02", Map.of("site", "berlin", "dag", "dag2"))));
        assertThat(plan.targets()).as("berlin before paris, request order among equals, unlabelled last")
                .containsExactly("ex01", "ex02", "ex03", "ex09");
        assertThat(plan.groupOf("ex01")).isEqualTo(plan.groupOf("ex03"));
        assertThat(plan.groupOf("ex02")).isNotEqualTo(plan.groupOf("ex01"));
        assertThat(plan.groupOf("ex09")).as("a target without the label is a group of its own")
                .isNotIn(plan.groupOf("ex01"), plan.groupOf("ex02"));
    }

    static final Playbook CONDITIONAL = ((ParseResult.Valid) PlaybookParser.parse("conditional.yaml", """
            name: conditional
            params:
              mode:
                type: string
                required: false
            steps:
              - id: precheck
                powershell: Get-ExchangeServer
                outputs: { patched: patched, build: build }
              - id: patch
                powershell: msiexec
                when: { step: precheck, output: patched, notEquals: true }
              - id: scan
                powershell: Get-ChildItem
                when: { param: mode, equals: full }
            """)).playbook();

    @Test
    void a_steps_condition_goes_into_the_plan_for_the_decider_to_evaluate() {
        RunPlan plan = RunRequests.planOf(CONDITIONAL, List.of(target("ex01", Map.of())));
        assertThat(plan.step("precheck").when()).isNull();
        assertThat(plan.step("patch").when()).isEqualTo(new RunPlan.When(null, "precheck", "patched", true, true));
        assertThat(plan.step("scan").when()).isEqualTo(new RunPlan.When("mode", null, null, "full", false));
    }

    @Test
    void the_plans_condition_decides_as_the_playbooks_own_evaluation_does() {
        // Conditions.evaluate is the documented meaning; the plan's copy must never drift from it.
        List<Object> values = java.util.Arrays.asList("full", "audit", "3", 3, 3L, true, false, null);
        List<io.antidote.playbook.Condition> conditions = new java.util.ArrayList<>();
        for (Object expected : java.util.Arrays.asList("full", "3", 3L, true, false, null)) {
            for (boolean negated : List.of(false, true)) {
                conditions.add(new io.antidote.playbook.Condition(
                        new io.antidote.playbook.Condition.ParamValue("mode"), expected, negated));
                conditions.add(new io.antidote.playbook.Condition(
                        new io.antidote.playbook.Condition.StepOutput("precheck", "build"), expected, negated));
            }
        }
        for (io.antidote.playbook.Condition condition : conditions) {
            for (Object value : values) {
                Map<String, Object> params = new java.util.HashMap<>();
                params.put("mode", value);
                Map<String, Object> captured = new java.util.HashMap<>();
                captured.put("build", value);
                Map<String, Map<String, Object>> outputs = Map.of("precheck", captured);
                assertThat(RunRequests.when(condition).holds(params, outputs))
                        .as("%s on %s", condition, value)
                        .isEqualTo(io.antidote.playbook.Conditions.evaluate(condition, params, outputs));
            }
        }
    }
}
