package io.antidote.cli;

import picocli.CommandLine.Command;

@Command(name = "approve", description = "Approve a step waiting for approval.")
final class ApproveCommand extends Decision {

    @Override
    String decision() {
        return "APPROVE";
    }
}
