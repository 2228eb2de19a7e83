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
}
