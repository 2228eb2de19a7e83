package io.antidote.lab.exchange;

import java.util.List;
import java.util.Set;

/**
 * What a lab host is made from: Exchange version ("2013", "2016", "2019"), cumulative update
 * ("CU19"), compromise indicators planted before the run ("webshell", "lsass-dump") and faults
 * ("refuse-update"). Validated on construction so that a bad spec from the control API fails
 * with a message naming what is wrong; null lists mean none.
 */
public record ServerSpec(String version, String cu, List<String> compromise, Set<String> faults) {

    public ServerSpec {
        if (version == null || !(version.equals("2013") || version.equals("2016") || version.equals("2019"))) {
            throw new IllegalArgumentException("Exchange version must be 2013, 2016 or 2019");
        }
        if (CumulativeUpdate.find(version, cu).isEmpty()) {
            throw new IllegalArgumentException("unknown cumulative update for Exchange " + version
                    + "; known: " + CumulativeUpdate.knownFor(version));
        }
        compromise = compromise == null ? List.of() : List.copyOf(compromise);
        faults = faults == null ? Set.of() : Set.copyOf(faults);
        for (String c : compromise) {
            Compromise.fromName(c);
        }
        for (String f : faults) {
            Fault.fromName(f);
        }
    }

    public ServerSpec(String version, String cu) {
        this(version, cu, List.of(), Set.of());
    }

    public CumulativeUpdate cumulativeUpdate() {
        return CumulativeUpdate.find(version, cu).orElseThrow();
    }
}
