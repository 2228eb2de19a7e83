package io.antidote.playbook;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether an Exchange build carries the March 2021 ProxyLogon fix, per cumulative update
 * (docs/PROXYLOGON.md, "Updates and build numbers").
 *
 * <p>A plain version comparison is wrong: 15.1.2176.2 (2016 CU19, vulnerable) is greater than
 * 15.1.2106.13 (2016 CU18, patched). A build is patched when it has the build number of a CU with
 * a March 2021 security update and at least that update's revision, or when its CU is at or after
 * the first CU that ships the fix (2013 CU23's fixed build, 2016 CU20, 2019 CU9, 2010 SP3 UR32).
 * Builds of CUs not listed here are reported as not patched: we do not claim a fix we cannot name.
 */
public final class ProxyLogonBuilds {

    /**
     * @param patched    whether the build carries the fix
     * @param cu         the cumulative update the build belongs to (e.g. "2016 CU19"), or {@code null} when unknown
     * @param fixedBuild the first build of that CU (or product line) with the fix, short form, or {@code null}
     * @param reason     the verdict in plain words, naming the build as it was given
     */
    public record Verdict(boolean patched, String cu, String fixedBuild, String reason) {
    }

    /** A product line whose CUs (update rollups for 2010) from {@code firstFixedCu} on include the fix. */
    private record Line(String product, String unit, int major, int minor, String firstFixedCu, int firstFixedBuild,
                        int firstFixedRevision, List<Cu> olderCus) {
        String firstFixed() {
            return major + "." + minor + "." + firstFixedBuild + "." + firstFixedRevision;
        }
    }

    /** An older CU that received the fix as a security update: same build number, revision at least {@code fixedRevision}. */
    private record Cu(String name, int build, int fixedRevision) {
    }

    private static final List<Line> LINES = List.of(
            new Line("2010 SP3", "an update rollup", 14, 3, "2010 SP3 UR32", 513, 0, List.of()),
            new Line("2013", "a CU", 15, 0, "2013 CU23", 1497, 12, List.of(
                    new Cu("2013 CU21", 1395, 12),
                    new Cu("2013 CU22", 1473, 6))),
            new Line("2016", "a CU", 15, 1, "2016 CU20", 2242, 4, List.of(
                    new Cu("2016 CU8", 1415, 10),
                    new Cu("2016 CU17", 2044, 13),
                    new Cu("2016 CU18", 2106, 13),
                    new Cu("2016 CU19", 2176, 9))),
            new Line("2019", "a CU", 15, 2, "2019 CU9", 858, 5, List.of(
                    new Cu("2019 RTM", 221, 18),
                    new Cu("2019 CU6", 659, 12),
                    new Cu("2019 CU7", 721, 13),
                    new Cu("2019 CU8", 792, 10))));

    // Long file-version form (15.01.2176.009) and short form (15.1.2176.9); bounded so no part overflows.
    private static final Pattern BUILD = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,6})\\.(\\d{1,6})");

    private ProxyLogonBuilds() {
    }

    public static Verdict verdict(String build) {
        if (build == null || build.isBlank()) {
            return new Verdict(false, null, null, "no build number was given");
        }
        String shown = Text.shorten(build.strip(), 40);
        Matcher parts = BUILD.matcher(build.strip());
        if (!parts.matches()) {
            return new Verdict(false, null, null, "'" + shown
                    + "' is not an Exchange build number (expected the form 15.1.2176.9 or 15.01.2176.009)");
        }
        int major = Integer.parseInt(parts.group(1));
        int minor = Integer.parseInt(parts.group(2));
        int number = Integer.parseInt(parts.group(3));
        int revision = Integer.parseInt(parts.group(4));
        Line line = LINES.stream().filter(l -> l.major == major && l.minor == minor).findFirst().orElse(null);
        if (line == null) {
            return new Verdict(false, null, null,
                    "'" + shown + "' is not an Exchange 2010 SP3, 2013, 2016 or 2019 build");
        }
        if (number > line.firstFixedBuild) {
            String cu = line.firstFixedCu + " or later";
            return new Verdict(true, cu, line.firstFixed(),
                    "build " + shown + " is patched against ProxyLogon (" + cu + ", fixed: " + line.firstFixed() + ")");
        }
        if (number == line.firstFixedBuild) {
            return byRevision(shown, line.firstFixedCu, line.major, line.minor, number, revision, line.firstFixedRevision);
        }
        for (Cu cu : line.olderCus) {
            if (cu.build == number) {
                return byRevision(shown, cu.name, line.major, line.minor, number, revision, cu.fixedRevision);
            }
        }
        return new Verdict(false, null, line.firstFixed(), "build " + shown + " is not patched against ProxyLogon: "
                + line.product + " build " + number + " is not " + line.unit + " with a known March 2021 fix"
                + " (update to " + line.firstFixedCu + ", " + line.firstFixed() + ", or later)");
    }

    private static Verdict byRevision(String shown, String cu, int major, int minor, int number, int revision,
                                      int fixedRevision) {
        String fixed = major + "." + minor + "." + number + "." + fixedRevision;
        if (revision >= fixedRevision) {
            return new Verdict(true, cu, fixed,
                    "build " + shown + " is patched against ProxyLogon (" + cu + ", fixed: " + fixed + ")");
        }
        return new Verdict(false, cu, fixed,
                "build " + shown + " is not patched against ProxyLogon for " + cu + " (fixed: " + fixed + ")");
    }
}
