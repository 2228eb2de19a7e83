package io.antidote.lab.exchange;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cumulative updates the lab can simulate, with their builds from PROXYLOGON.md.
 *
 * <p>Three kinds: a CU that the March 2021 security update KB5000871 targets (its package on the
 * patch share installs there and raises the revision to {@link #fixedBuild()}); a CU that already
 * contains the fix (2016 CU20, 2019 CU9); and a CU too old for that package (2013 CU21/CU22,
 * 2016 CU17, 2019 CU6), for which Microsoft shipped a separate out-of-band March update, one per
 * CU: msiexec refuses the share's package there (1642, as on a real server given the wrong
 * package) and installs only that CU's own out-of-band package.
 */
public enum CumulativeUpdate {
    EX2013_CU21("2013", "CU21", "15.0.1395.4", "15.0.1395.12", Kind.OUT_OF_BAND_UPDATE),
    EX2013_CU22("2013", "CU22", "15.0.1473.3", "15.0.1473.6", Kind.OUT_OF_BAND_UPDATE),
    EX2013_CU23("2013", "CU23", "15.0.1497.2", "15.0.1497.12", Kind.MARCH_UPDATE_TARGET),
    EX2016_CU17("2016", "CU17", "15.1.2044.4", "15.1.2044.13", Kind.OUT_OF_BAND_UPDATE),
    EX2016_CU18("2016", "CU18", "15.1.2106.2", "15.1.2106.13", Kind.MARCH_UPDATE_TARGET),
    EX2016_CU19("2016", "CU19", "15.1.2176.2", "15.1.2176.9", Kind.MARCH_UPDATE_TARGET),
    EX2016_CU20("2016", "CU20", "15.1.2242.4", "15.1.2242.4", Kind.INCLUDES_FIX),
    EX2019_CU6("2019", "CU6", "15.2.659.4", "15.2.659.12", Kind.OUT_OF_BAND_UPDATE),
    EX2019_CU7("2019", "CU7", "15.2.721.2", "15.2.721.13", Kind.MARCH_UPDATE_TARGET),
    EX2019_CU8("2019", "CU8", "15.2.792.3", "15.2.792.10", Kind.MARCH_UPDATE_TARGET),
    EX2019_CU9("2019", "CU9", "15.2.858.5", "15.2.858.5", Kind.INCLUDES_FIX);

    enum Kind { MARCH_UPDATE_TARGET, INCLUDES_FIX, OUT_OF_BAND_UPDATE }

    private final String version;
    private final String name;
    private final ExchangeBuild build;
    private final ExchangeBuild fixedBuild;
    private final Kind kind;

    CumulativeUpdate(String version, String name, String build, String fixedBuild, Kind kind) {
        this.version = version;
        this.name = name;
        this.build = ExchangeBuild.parse(build);
        this.fixedBuild = ExchangeBuild.parse(fixedBuild);
        this.kind = kind;
    }

    /** The product year: "2013", "2016" or "2019". */
    public String version() {
        return version;
    }

    /** "CU19". */
    public String cuName() {
        return name;
    }

    /** The build a fresh install of this CU has (vulnerable unless the CU includes the fix). */
    public ExchangeBuild build() {
        return build;
    }

    /** The lowest build on this CU that is fixed: the March 2021 SU's, or the CU itself. */
    public ExchangeBuild fixedBuild() {
        return fixedBuild;
    }

    public boolean includesFix() {
        return kind == Kind.INCLUDES_FIX;
    }

    /** Whether the KB5000871 package on the patch share installs on this CU. */
    public boolean targetedByMarchUpdatePackage() {
        return kind == Kind.MARCH_UPDATE_TARGET;
    }

    /** Whether the fix comes only as this CU's own out-of-band March update (a CU too old for the share's package). */
    public boolean hasOutOfBandUpdate() {
        return kind == Kind.OUT_OF_BAND_UPDATE;
    }

    public static Optional<CumulativeUpdate> find(String version, String cu) {
        if (version == null || cu == null) {
            return Optional.empty();
        }
        String v = version.trim();
        String c = cu.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(u -> u.version.equals(v) && u.name.equals(c)).findFirst();
    }

    /** The CU a build belongs to, by major.minor.build. */
    public static Optional<CumulativeUpdate> of(ExchangeBuild build) {
        return Arrays.stream(values()).filter(u -> u.build.sameCumulativeUpdateAs(build)).findFirst();
    }

    static String knownFor(String version) {
        return Arrays.stream(values()).filter(u -> u.version.equals(version)).map(u -> u.name)
                .collect(Collectors.joining(", "));
    }
}
