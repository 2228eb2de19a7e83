package io.antidote.lab.exchange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a lab host is made from: Exchange version ("2013", "2016", "2019"), cumulative update
 * ("CU19"), compromise indicators planted before the run ("webshell", "lsass-dump", log traces per
 * CVE), faults ("refuse-update", "latency:2s", ...), the database availability group it belongs
 * to (null for a standalone server) and the security updates already installed ("KB5000871": the
 * March 2021 update for its CU, out-of-band for an old CU, so the server starts patched). Validated on construction so that a bad spec from the control
 * API fails with an {@link Invalid} naming the field; null lists mean none.
 */
public record ServerSpec(String version, String cu, List<String> compromise, Set<String> faults, String dag,
                         List<String> updates) {

    /** A spec that cannot be built; {@link #field()} is the spec field at fault. */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;

        Invalid(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }

        /** The message without the field name. */
        public String reason() {
            return getMessage().substring(field.length() + 2);
        }
    }

    public ServerSpec {
        if (version == null || !(version.equals("2013") || version.equals("2016") || version.equals("2019"))) {
            throw new Invalid("version", "Exchange version must be 2013, 2016 or 2019");
        }
        if (cu == null || CumulativeUpdate.find(version, cu).isEmpty()) {
            throw new Invalid("cu", "unknown cumulative update for Exchange " + version
                    + "; known: " + CumulativeUpdate.knownFor(version));
        }
        List<String> planted = compromise == null ? List.of() : new ArrayList<>(compromise);
        for (String c : planted) {
            try {
                Compromise.fromName(c);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new Invalid("compromise", e.getMessage());
            }
        }
        compromise = List.copyOf(planted);
        Set<Fault> seen = new HashSet<>();
        for (String f : faults == null ? Set.<String>of() : faults) {
            try {
                if (!seen.add(Fault.parse(f).fault())) {
                    throw new IllegalArgumentException("a fault is named twice");
                }
            } catch (IllegalArgumentException e) {
                throw new Invalid("faults", e.getMessage());
            }
        }
        faults = faults == null ? Set.of() : Set.copyOf(faults);
        if (dag != null && !dag.matches("[A-Za-z0-9][A-Za-z0-9-]{0,14}")) {
            throw new Invalid("dag", "a DAG name is 1 to 15 letters, digits and hyphens");
        }
        updates = updates == null ? List.of() : List.copyOf(updates);
        if (updates.size() > 1 || updates.stream().anyMatch(kb -> !ProxyLogonFix.KB.equals(kb))) {
            throw new Invalid("updates", "the only security update the lab installs is " + ProxyLogonFix.KB);
        }
        if (!updates.isEmpty() && CumulativeUpdate.find(version, cu).orElseThrow().includesFix()) {
            throw new Invalid("updates", "Exchange " + version + " " + cu + " ships the fix: no " + ProxyLogonFix.KB
                    + " installs on it");
        }
    }

    public ServerSpec(String version, String cu, List<String> compromise, Set<String> faults, String dag) {
        this(version, cu, compromise, faults, dag, List.of());
    }

    public ServerSpec(String version, String cu, List<String> compromise, Set<String> faults) {
        this(version, cu, compromise, faults, null, List.of());
    }

    public ServerSpec(String version, String cu) {
        this(version, cu, List.of(), Set.of(), null, List.of());
    }

    public CumulativeUpdate cumulativeUpdate() {
        return CumulativeUpdate.find(version, cu).orElseThrow();
    }

    /** The faults with their durations. */
    public List<Fault.Setting> faultSettings() {
        return faults.stream().map(Fault::parse).sorted((a, b) -> a.fault().compareTo(b.fault())).toList();
    }
}
