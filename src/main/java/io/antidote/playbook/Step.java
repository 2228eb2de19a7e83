package io.antidote.playbook;

import io.antidote.workflow.Verification;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One PowerShell script run on a target, with how long it may take and what a good outcome looks like.
 *
 * @param when    when the step runs, or {@code null} for always
 * @param outputs values captured from the step's JSON output for later steps: output name to top-level field
 * @param policy  retries, approval, compensation and idempotence (see docs/playbooks.md)
 * @param uses    the library step this step runs, whose script {@code powershell} is, or {@code null}
 * @param restore  the step returns the server to service, so it runs only on a server the run verified
 *                 fixed and clean (docs/playbooks.md, "Verdicts and the restore step")
 * @param verifies what the step's success establishes about the server
 * @param packagePins the script gets the pinned SHA-256 of every update package ({@link PackagePins})
 * @param liftsMitigation the step takes a mitigation away, so it runs only on a server the run verified fixed
 *                 (docs/playbooks.md, "Lifting a mitigation")
 * @param holdsGroup the step puts the server in maintenance until its undo runs: kept after its target ended, it
 *                 keeps the server's group (its DAG) held across runs (docs/playbooks.md, "Strategy")
 */
public record Step(String id, String description, String powershell, Duration timeout, Expectation expect,
                   Condition when, Map<String, String> outputs, StepPolicy policy, Uses uses, boolean restore,
                   Set<Verification> verifies, boolean packagePins, boolean liftsMitigation, boolean holdsGroup) {

    public Step {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(powershell, "powershell");
        Objects.requireNonNull(timeout, "timeout");
        description = description == null ? "" : description;
        expect = expect == null ? Expectation.SUCCESS : expect;
        outputs = outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        policy = policy == null ? StepPolicy.DEFAULT : policy;
        verifies = verifies == null ? Set.of() : Set.copyOf(verifies);
    }

    public Step(String id, String description, String powershell, Duration timeout, Expectation expect,
                Condition when, Map<String, String> outputs, StepPolicy policy, Uses uses, boolean restore,
                Set<Verification> verifies, boolean packagePins, boolean liftsMitigation) {
        this(id, description, powershell, timeout, expect, when, outputs, policy, uses, restore, verifies, packagePins,
                liftsMitigation, false);
    }

    public Step(String id, String description, String powershell, Duration timeout, Expectation expect,
                Condition when, Map<String, String> outputs, StepPolicy policy, Uses uses, boolean restore,
                Set<Verification> verifies, boolean packagePins) {
        this(id, description, powershell, timeout, expect, when, outputs, policy, uses, restore, verifies, packagePins,
                false);
    }

    public Step(String id, String description, String powershell, Duration timeout, Expectation expect,
                Condition when, Map<String, String> outputs, StepPolicy policy, Uses uses) {
        this(id, description, powershell, timeout, expect, when, outputs, policy, uses, false, Set.of(), false);
    }

    public Step(String id, String description, String powershell, Duration timeout, Expectation expect,
                Condition when, Map<String, String> outputs, StepPolicy policy) {
        this(id, description, powershell, timeout, expect, when, outputs, policy, null);
    }

    public Step(String id, String description, String powershell, Duration timeout, Expectation expect) {
        this(id, description, powershell, timeout, expect, null, Map.of(), StepPolicy.DEFAULT);
    }

    public Step(String id, String description, String powershell, Duration timeout, Expectation expect,
                StepPolicy policy) {
        this(id, description, powershell, timeout, expect, null, Map.of(), policy);
    }

    public Step(String id, String description, String powershell, Duration timeout, Expectation expect,
                Condition when, Map<String, String> outputs) {
        this(id, description, powershell, timeout, expect, when, outputs, StepPolicy.DEFAULT);
    }
}
