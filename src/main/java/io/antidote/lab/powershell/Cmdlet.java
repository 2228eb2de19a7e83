package io.antidote.lab.powershell;

/**
 * One invocation of a cmdlet in a pipeline: begin once, process once per input object (or once
 * with {@link Interpreter#NO_INPUT} when first in its pipeline), end once.
 */
abstract class Cmdlet {

    CommandContext ctx;

    void begin() {
    }

    void process(Object input) {
    }

    void end() {
    }
}
