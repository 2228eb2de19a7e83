package io.antidote.lab.exchange;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A misbehaviour a lab host can be told to show, named in a host spec as {@code name} or
 * {@code name:duration} (e.g. {@code latency:2s}, {@code unreachable-after-reboot:30s}). The
 * protocol-level ones are carried out by the WS-Management endpoint, the others by the model.
 */
public enum Fault {
    /** Every reply is delayed (default 2s). */
    LATENCY("latency", Duration.ofSeconds(2)),
    /** Requests are accepted and never answered: only a client-side timeout ends them. */
    HANG("hang", null),
    /** Nothing listens on the port: connects are refused. */
    REFUSE_CONNECTIONS("refuse-connections", null),
    /** Each connection is closed as soon as a request arrives, without an answer. */
    RESET("reset", null),
    /** Every request is answered 401, as when the account was disabled or its password changed. */
    HTTP_401("http-401", null),
    /** Every request is answered 500 with an empty body, as a broken WinRM listener does. */
    HTTP_500("http-500", null),
    /** Every shell creation is answered with a WS-Management fault (the per-user shell quota). */
    WSMAN_FAULT("wsman-fault", null),
    /** Every successful reply starts with a DTD (an internal entity): a client must process no DTD at all. */
    HOSTILE_DTD("hostile-dtd", null),
    /** Every successful reply declares an external entity naming {@code /etc/passwd}, read if the client resolves it. */
    HOSTILE_XXE("hostile-xxe", null),
    /** Every successful reply carries an entity-expansion bomb (10^10 copies once expanded). */
    HOSTILE_ENTITY_BOMB("hostile-entity-bomb", null),
    /** msiexec fails every security-update install with 1603 (fatal error) and changes nothing. */
    REFUSE_UPDATE("refuse-update", null),
    /**
     * msiexec fails the first security-update install with 1603 and changes nothing, then installs when asked
     * again, as after a pending restart or a locked file that someone cleared: a failed run, then a re-run.
     */
    REFUSE_UPDATE_ONCE("refuse-update-once", null),
    /**
     * The update was installed from a non-elevated session (UAC): msiexec reports success and
     * the build is raised, but OWA answers 500 and ECP fails to load Microsoft.Exchange.Common.
     */
    NON_ELEVATED_INSTALL("non-elevated-install", null),
    /**
     * Remote sessions get a filtered (medium integrity) token, as when UAC remote restrictions apply
     * to the account: {@code whoami /groups} shows the Medium Mandatory Level label, not the High one.
     */
    NON_ELEVATED("non-elevated", null),
    /**
     * Every update package on the host's disk was altered after Microsoft signed it (a line slipped in): its
     * SHA-256 is not the pinned one and Get-AuthenticodeSignature says HashMismatch; msiexec would still install it.
     */
    TAMPERED_PACKAGE("tampered-package", null),
    /** Every update package on the host's disk has no Authenticode signature (NotSigned); msiexec would install it. */
    UNSIGNED_PACKAGE("unsigned-package", null),
    /**
     * After a restart the host refuses connections for a while (default 30s), up to
     * {@link #MAX_UNREACHABLE}: longer than the patience of a playbook's retries, as a real host stuck
     * in a long boot or a failed one is.
     */
    UNREACHABLE_AFTER_REBOOT("unreachable-after-reboot", Duration.ofSeconds(30));

    /** Longest duration a fault may be given: a lab that waits longer is no use for a rehearsal. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);
    /** Longest a host may stay unreachable after a restart: past any retry window a playbook sets. */
    public static final Duration MAX_UNREACHABLE = Duration.ofHours(2);
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(ms|s|m|h)");

    private final String specName;
    private final Duration defaultDuration;

    Fault(String specName, Duration defaultDuration) {
        this.specName = specName;
        this.defaultDuration = defaultDuration;
    }

    public String specName() {
        return specName;
    }

    /** Whether the fault takes a {@code :duration}. */
    public boolean takesDuration() {
        return defaultDuration != null;
    }

    /** A fault with its duration (zero for those without one), as a spec entry names it. */
    public record Setting(Fault fault, Duration duration) {
        public String specName() {
            return fault.takesDuration() ? fault.specName + ":" + format(duration) : fault.specName;
        }

        private static String format(Duration d) {
            if (d.toMillis() % 60_000 == 0) {
                return d.toMinutes() + "m";
            }
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
    }

    /** Parses one spec entry; the message of the exception says what is wrong without echoing much input. */
    public static Setting parse(String entry) {
        if (entry == null) {
            throw new IllegalArgumentException("a fault must not be null; known: " + known());
        }
        int colon = entry.indexOf(':');
        String name = colon < 0 ? entry : entry.substring(0, colon);
        Fault fault = fromName(name);
        if (colon < 0) {
            return new Setting(fault, fault.takesDuration() ? fault.defaultDuration : Duration.ZERO);
        }
        if (!fault.takesDuration()) {
            throw new IllegalArgumentException("fault '" + fault.specName + "' takes no duration");
        }
        Duration max = fault == UNREACHABLE_AFTER_REBOOT ? MAX_UNREACHABLE : MAX_DURATION;
        try {
            return new Setting(fault, duration(entry.substring(colon + 1), max));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + fault.specName + "' " + e.getMessage());
        }
    }

    /**
     * A duration as specs write it ({@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}), at most {@code max}; the
     * message of the exception says what is wrong, after the name of whatever takes the duration.
     */
    public static Duration duration(String text, Duration max) {
        Matcher m = text == null ? null : DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("takes a duration such as 500ms, 2s, 1m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.compareTo(max) > 0) {
            throw new IllegalArgumentException("lasts at most " + Setting.format(max));
        }
        return d;
    }

    /** A duration as {@link #duration} reads it back. */
    public static String format(Duration d) {
        return Setting.format(d);
    }

    public static Fault fromName(String name) {
        return Arrays.stream(values()).filter(f -> f.specName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault; known: " + known()));
    }

    private static String known() {
        return Arrays.stream(values()).map(f -> f.takesDuration() ? f.specName + "[:duration]" : f.specName)
                .collect(Collectors.joining(", "));
    }
}
