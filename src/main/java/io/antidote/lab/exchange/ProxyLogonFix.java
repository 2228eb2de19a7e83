package io.antidote.lab.exchange;

/**
 * Whether a build carries the ProxyLogon fix, decided per cumulative update as PROXYLOGON.md
 * says: same major.minor.build as a known CU and a revision at least that CU's fixed one, or a CU
 * at or above 2016 CU20 / 2019 CU9. A plain version comparison is wrong: 15.1.2176.2 (CU19,
 * vulnerable) is greater than 15.1.2106.13 (CU18, patched).
 */
public final class ProxyLogonFix {

    public static final String KB = "KB5000871";

    private static final ExchangeBuild FIRST_FIXED_2016_CU = CumulativeUpdate.EX2016_CU20.build();
    private static final ExchangeBuild FIRST_FIXED_2019_CU = CumulativeUpdate.EX2019_CU9.build();

    private ProxyLogonFix() {
    }

    public static boolean isPatched(ExchangeBuild build) {
        var cu = CumulativeUpdate.of(build);
        if (cu.isPresent()) {
            return cu.get().includesFix() || build.revision() >= cu.get().fixedBuild().revision();
        }
        // A CU the table does not know: only later CUs than the first fixed ones can be trusted.
        if (build.major() == 15 && build.minor() == 1) {
            return build.build() >= FIRST_FIXED_2016_CU.build();
        }
        if (build.major() == 15 && build.minor() == 2) {
            return build.build() >= FIRST_FIXED_2019_CU.build();
        }
        return false;
    }

    /** Accepts either spelling ({@code 15.1.2176.9} or {@code 15.01.2176.009}); anything else is not patched. */
    public static boolean isPatched(String build) {
        try {
            return isPatched(ExchangeBuild.parse(build));
        } catch (IllegalArgumentException notABuild) {
            return false;
        }
    }
}
