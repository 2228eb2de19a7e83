package io.antidote.lab.powershell;

/** Where a pipeline element's output objects go. */
@FunctionalInterface
interface Pipe {
    void write(Object o);
}
