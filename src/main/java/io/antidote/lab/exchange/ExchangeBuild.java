package io.antidote.lab.exchange;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Exchange build number, major.minor.build.revision (15.1.2176.2).
 *
 * <p>Two spellings exist and both are read: the short one Microsoft's build tables and
 * {@code AdminDisplayVersion} use ({@code 15.1.2176.2}) and the long file version of ExSetup.exe
 * ({@code 15.01.2176.002}: minor on two digits, build on four, revision on three).
 *
 * <p>Ordering is plain numeric and says nothing about being patched: see {@link ProxyLogonFix}.
 */
public record ExchangeBuild(int major, int minor, int build, int revision) implements Comparable<ExchangeBuild> {

    private static final Pattern DOTTED = Pattern.compile("\\s*(\\d{1,5})\\.(\\d{1,5})\\.(\\d{1,5})\\.(\\d{1,5})\\s*");
    private static final Pattern ADMIN_DISPLAY =
            Pattern.compile("\\s*Version\\s+(\\d{1,5})\\.(\\d{1,5})\\s+\\(Build\\s+(\\d{1,5})\\.(\\d{1,5})\\)\\s*");

    public ExchangeBuild {
        if (major < 0 || minor < 0 || build < 0 || revision < 0) {
            throw new IllegalArgumentException("a build number has no negative parts");
        }
    }

    /** Reads {@code 15.1.2176.2}, {@code 15.01.2176.002} or {@code Version 15.1 (Build 2176.2)}. */
    public static ExchangeBuild parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no build number given");
        }
        Matcher m = DOTTED.matcher(text);
        if (!m.matches()) {
            m = ADMIN_DISPLAY.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("not an Exchange build number: " + abbreviate(text));
            }
        }
        return new ExchangeBuild(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
    }

    /** The file version of ExSetup.exe as Windows reports it: {@code 15.01.2176.009}. */
    public String fileVersion() {
        return String.format("%d.%02d.%04d.%03d", major, minor, build, revision);
    }

    /** {@code Version 15.1 (Build 2176.2)}, the form of Get-ExchangeServer's AdminDisplayVersion. */
    public String adminDisplayVersion() {
        return "Version " + major + "." + minor + " (Build " + build + "." + revision + ")";
    }

    /** Same major.minor.build: the same cumulative update, whatever security update is on it. */
    public boolean sameCumulativeUpdateAs(ExchangeBuild other) {
        return major == other.major && minor == other.minor && build == other.build;
    }

    @Override
    public int compareTo(ExchangeBuild o) {
        if (major != o.major) return Integer.compare(major, o.major);
        if (minor != o.minor) return Integer.compare(minor, o.minor);
        if (build != o.build) return Integer.compare(build, o.build);
        return Integer.compare(revision, o.revision);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + build + "." + revision;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
