package io.antidote.playbook;

import java.time.Duration;
import java.util.Objects;

/** One PowerShell script run on a target, with how long it may take and what a good outcome looks like. */
public record Step(String id, String description, String powershell, Duration timeout, Expectation expect,
                   StepPolicy policy) {

    public Step(String id, String description, String powershell, Duration timeout, Expectation expect) {
        this(id, description, powershell, timeout, expect, StepPolicy.DEFAULT);
    }

    public Step {
        policy = policy == null ? StepPolicy.DEFAULT : policy;
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(powershell, "powershell");
        Objects.requireNonNull(timeout, "timeout");
        description = description == null ? "" : description;
        expect = expect == null ? Expectation.SUCCESS : expect;
    }
}
