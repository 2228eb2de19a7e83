package io.antidote.lab.exchange;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A misbehaviour a lab host can be told to show (the protocol-level ones live with the endpoint). */
public enum Fault {
    /** msiexec fails every security-update install with 1603 (fatal error) and changes nothing. */
    REFUSE_UPDATE("refuse-update");

    private final String specName;

    Fault(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    public static Fault fromName(String name) {
        return Arrays.stream(values()).filter(f -> f.specName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault; known: "
                        + Arrays.stream(values()).map(Fault::specName).collect(Collectors.joining(", "))));
    }
}
