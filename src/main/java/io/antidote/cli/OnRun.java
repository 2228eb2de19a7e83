package io.antidote.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** A command about one run: the service, --json, and the run's id as its first argument. */
abstract class OnRun implements Callable<Integer> {

    @Mixin
    Connection connection;
    @Mixin
    Printer printer;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String run;

    /** The run's path in the API. */
    String runPath() {
        return "api/v1/runs/" + Api.encode(run);
    }

    /**
     * A 202: the replica reached does not carry the run, and the one that does had not decided the command yet. It
     * will, once; the Location shows what became of it.
     */
    String accepted(String what, Api.Answer answer) {
        return what + " of run " + run + " accepted, not decided yet by the replica that carries the run; its outcome: "
                + answer.location();
    }
}
