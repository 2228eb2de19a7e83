package io.antidote.playbook;

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
class RunPlannerTest {

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
        RunPlan plan = RunPlanner.planOf(PLAYBOOK, List.of(target("ex01", Map.of())));
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
    void a_step_that_lifts_a_mitigation_says_so_in_the_plan_and_no_other_step_does() {
        Playbook playbook = ((ParseResult.Valid) PlaybookParser.parse("lift.yaml", """
                name: lift
                steps:
                  - id: mitigate
                    powershell: Stop-WebAppPool -Name MSExchangeECPAppPool
                    compensate: lift
                  - id: lift
                    powershell: Start-WebAppPool -Name MSExchangeECPAppPool
                    liftsMitigation: true
                """)).playbook();
        RunPlan plan = RunPlanner.planOf(playbook, List.of(target("ex01", Map.of())));
        assertThat(plan.step("lift").liftsMitigation()).isTrue();
        assertThat(plan.step("mitigate").liftsMitigation()).isFalse();
    }

    @Test
    void targets_are_ordered_by_the_order_label_and_grouped_by_the_group_label() {
        RunPlan plan = RunPlanner.planOf(PLAYBOOK, List.of(
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

    @Test
    void without_a_group_label_members_of_one_dag_are_grouped_by_their_dag_label() {
        RunPlan plan = RunPlanner.planOf(CONDITIONAL, List.of(target("ex01", Map.of("dag", "DAG01")),
                target("ex02", Map.of("dag", "DAG01")), target("ex03", Map.of("site", "paris"))));
        assertThat(plan.sharedGroupOf("ex01")).contains("dag=DAG01");
        assertThat(plan.groupOf("ex02")).isEqualTo(plan.groupOf("ex01"));
        assertThat(plan.sharedGroupOf("ex03")).as("a target in no DAG shares no group").isEmpty();
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
        RunPlan plan = RunPlanner.planOf(CONDITIONAL, List.of(target("ex01", Map.of())));
        assertThat(plan.step("precheck").when()).isNull();
        assertThat(plan.step("patch").when()).isEqualTo(new RunPlan.When(null, "precheck", "patched", true, true));
        assertThat(plan.step("scan").when()).isEqualTo(new RunPlan.When("mode", null, null, "full", false));
    }

    @Test
    void a_playbook_condition_planned_holds_as_docs_playbooks_md_says() {
        RunPlan.When full = RunPlanner.when(new Condition(new Condition.ParamValue("mode"), "full", false));
        assertThat(full.holds(Map.of("mode", "full"), Map.of())).isTrue();
        assertThat(full.holds(Map.of("mode", "audit"), Map.of())).isFalse();
        assertThat(full.holds(Map.of(), Map.of())).as("a parameter not given is null").isFalse();

        RunPlan.When three = RunPlanner.when(new Condition(new Condition.ParamValue("copies"), 3L, false));
        assertThat(three.holds(Map.of("copies", 3), Map.of())).as("integers compare as integers").isTrue();
        assertThat(three.holds(Map.of("copies", "3"), Map.of())).as("the string '3' is not the integer 3").isFalse();

        RunPlan.When notPatched = RunPlanner.when(
                new Condition(new Condition.StepOutput("precheck", "patched"), true, true));
        assertThat(notPatched.holds(Map.of(), Map.of("precheck", Map.of("patched", true)))).isFalse();
        assertThat(notPatched.holds(Map.of(), Map.of("precheck", Map.of("patched", false)))).isTrue();
        assertThat(notPatched.holds(Map.of(), Map.of())).as("an output not captured is null, not true").isTrue();

        Map<String, Object> nothing = new java.util.HashMap<>();
        nothing.put("build", null);
        RunPlan.When buildIsNull = RunPlanner.when(
                new Condition(new Condition.StepOutput("precheck", "build"), null, false));
        assertThat(buildIsNull.holds(Map.of(), Map.of("precheck", nothing))).isTrue();
        assertThat(buildIsNull.holds(Map.of(), Map.of("precheck", Map.of("build", "15.1")))).isFalse();
        assertThat(RunPlanner.when(null)).as("no condition: the planned step has none and always runs").isNull();
    }
}
