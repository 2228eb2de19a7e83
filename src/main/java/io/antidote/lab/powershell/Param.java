package io.antidote.lab.powershell;

import java.util.List;

/**
 * A cmdlet parameter: name, aliases, position (-1 for named only), how arguments convert, and
 * validation (mandatory, a set of allowed values, no null or empty string). {@code pipeline}
 * marks a mandatory parameter that pipeline input can satisfy.
 */
record Param(String name, Kind kind, int position, List<String> aliases, boolean mandatory, boolean remaining,
             List<String> validSet, boolean notNullOrEmpty, String typeName, boolean pipeline) {

    enum Kind {
        SWITCH("System.Management.Automation.SwitchParameter"), STRING("System.String"), STRINGS("System.String[]"),
        INT("System.Int32"), BOOL("System.Boolean"), OBJECT("System.Object"), OBJECTS("System.Object[]"),
        SCRIPTBLOCK("System.Management.Automation.ScriptBlock"),
        SCRIPTBLOCKS("System.Management.Automation.ScriptBlock[]"), HASHTABLE("System.Collections.Hashtable");

        final String typeName;

        Kind(String typeName) {
            this.typeName = typeName;
        }
    }

    static Param of(String name, Kind kind) {
        return new Param(name, kind, -1, List.of(), false, false, List.of(), false, kind.typeName, false);
    }

    Param pos(int p) {
        return new Param(name, kind, p, aliases, mandatory, remaining, validSet, notNullOrEmpty, typeName, pipeline);
    }

    Param alias(String... a) {
        return new Param(name, kind, position, List.of(a), mandatory, remaining, validSet, notNullOrEmpty, typeName, pipeline);
    }

    Param required() {
        return new Param(name, kind, position, aliases, true, remaining, validSet, notNullOrEmpty, typeName, pipeline);
    }

    /** Takes every positional argument left (Write-Output's -InputObject). */
    Param rest() {
        return new Param(name, kind, position, aliases, mandatory, true, validSet, notNullOrEmpty, typeName, pipeline);
    }

    Param oneOf(String... values) {
        return new Param(name, kind, position, aliases, mandatory, remaining, List.of(values), notNullOrEmpty, typeName,
                pipeline);
    }

    Param nonEmpty() {
        return new Param(name, kind, position, aliases, mandatory, remaining, validSet, true, typeName, pipeline);
    }

    Param type(String t) {
        return new Param(name, kind, position, aliases, mandatory, remaining, validSet, notNullOrEmpty, t, pipeline);
    }

    /** Pipeline input can supply this (mandatory) parameter. */
    Param fromPipeline() {
        return new Param(name, kind, position, aliases, mandatory, remaining, validSet, notNullOrEmpty, typeName, true);
    }
}
