package io.antidote.cli;

import picocli.CommandLine.Command;

@Command(name = "reject", description = "Reject a step waiting for approval (the run does not make that change).")
final class RejectCommand extends Decision {

    @Override
    String decision() {
        return "REJECT";
    }
}
