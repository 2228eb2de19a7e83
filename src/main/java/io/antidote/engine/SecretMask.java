package io.antidote.engine;

import io.antidote.playbook.Param;
import io.antidote.playbook.ParamType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Masks the values of a run's secret parameters in what a host printed, before it is recorded: a script
 * that echoes a secret must not put it in an event, the API, a log or a captured output.
 *
 * <p>A script rarely prints a secret as it is. PowerShell doubles its quotes in error records, shows the last
 * 15 characters of a long one in {@code CategoryInfo}, ConvertTo-Json escapes {@code ' < > &}, XML and CLIXML
 * escape markup and control characters, base64 hides it from a plain search, and a console code page turns
 * non-ASCII characters into {@code ?}. So what is masked is every run of {@value #RUN} or more consecutive
 * characters of any of these {@linkplain SecretForms forms} of the value, in any case, and with non-ASCII
 * characters lost to {@code ?} as long as five of the eight came through; a value shorter than that is masked
 * only whole, in each form (a short run of a short value would mask ordinary text everywhere).
 *
 * <p>Bounded and linear: every {@value #RUN}-character run of every form is one key (8 UTF-16 units fit in
 * two longs, so keys never collide) in a hash set; the text is scanned once per distinct key length (at most
 * {@value #RUN}), each position is a lookup, and overlapping or adjacent hits merge into one mask.
 */
final class SecretMask {

    static final String MASK = "***";
    /** The shortest run of a secret's characters that is masked wherever it appears. */
    static final int RUN = 8;
    /** Fewest exact characters a run with code-page casualties ({@code ?}) must keep to be masked. */
    private static final int EXACT_IN_MANGLED_RUN = 5;
    private static final char WILDCARD = '\uFFFD';

    private final Set<Key> exact = new HashSet<>();
    private final Set<Key> mangled = new HashSet<>();
    /** Key lengths present in {@link #exact}, each scanned: {@value #RUN} and the lengths of short values' forms. */
    private final boolean[] lengths = new boolean[RUN + 1];

    private SecretMask() {
    }

    static SecretMask of(List<Param> declared, Map<String, Object> params) {
        List<String> values = new ArrayList<>();
        for (Param p : declared) {
            if (p.type() == ParamType.SECRET && params.get(p.name()) instanceof String value && !value.isEmpty()) {
                values.add(value);
            }
        }
        return of(values);
    }

    static SecretMask of(List<String> secrets) {
        SecretMask mask = new SecretMask();
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                continue;
            }
            if (secret.length() < RUN) {
                SecretForms.whole(secret).forEach(mask::addWhole);
            } else {
                for (String form : SecretForms.all(secret)) {
                    mask.addRuns(form);
                    mask.addMangledRuns(form);
                }
            }
        }
        return mask;
    }

    boolean isEmpty() {
        return exact.isEmpty();
    }

    private void addWhole(String form) {
        if (form.length() >= RUN) {
            addRuns(form);
        } else if (!form.isEmpty()) {
            exact.add(Key.of(form, 0, form.length(), false));
            lengths[form.length()] = true;
        }
    }

    private void addRuns(String form) {
        if (form.length() < RUN) {
            addWhole(form);
            return;
        }
        for (int i = 0; i + RUN <= form.length(); i++) {
            exact.add(Key.of(form, i, RUN, false));
        }
        lengths[RUN] = true;
    }

    private void addMangledRuns(String form) {
        for (int i = 0; i + RUN <= form.length(); i++) {
            int kept = 0;
            boolean lost = false;
            for (int j = i; j < i + RUN; j++) {
                if (normalized(form.charAt(j)) == WILDCARD) {
                    lost = true;
                } else {
                    kept++;
                }
            }
            // A run that lost nothing is an exact run; one that lost most of its characters says little of the
            // secret and would mask any text in another script.
            if (lost && kept >= EXACT_IN_MANGLED_RUN) {
                mangled.add(Key.of(form, i, RUN, true));
            }
        }
    }

    String apply(String text) {
        if (text == null || text.isEmpty() || exact.isEmpty()) {
            return text;
        }
        int n = text.length();
        // Hits overlap (every run of a long secret is one), so they merge into the current mask as the scan goes.
        int maskStart = -1;
        int maskEnd = -1;
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < n; i++) {
            int end = matchEnd(text, i, n);
            if (end < 0) {
                continue;
            }
            if (maskEnd >= 0 && i <= maskEnd) {
                maskEnd = Math.max(maskEnd, end);
                continue;
            }
            if (maskEnd >= 0) {
                out = flush(out, text, copied, maskStart);
                copied = maskEnd;
            }
            maskStart = i;
            maskEnd = end;
        }
        if (maskEnd < 0) {
            return text;
        }
        out = flush(out, text, copied, maskStart);
        return out.append(text, maskEnd, n).toString();
    }

    private static StringBuilder flush(StringBuilder out, String text, int from, int maskStart) {
        StringBuilder builder = out == null ? new StringBuilder(text.length()) : out;
        return builder.append(text, from, maskStart).append(MASK);
    }

    /** The end of the longest hit starting at {@code i}, or -1. */
    private int matchEnd(String text, int i, int n) {
        for (int length = RUN; length >= 1; length--) {
            if (!lengths[length] || i + length > n) {
                continue;
            }
            if (exact.contains(Key.of(text, i, length, false))) {
                return i + length;
            }
        }
        if (!mangled.isEmpty() && i + RUN <= n && mangled.contains(Key.of(text, i, RUN, true))) {
            return i + RUN;
        }
        return -1;
    }

    /** What a console code page may have made of a character: anything not ASCII may come back as '?' or U+FFFD. */
    static char normalized(char c) {
        return c >= 0x80 || c == '?' ? WILDCARD : c;
    }

    /**
     * Up to 8 UTF-16 units packed into two longs, with their count: equal keys are equal strings, ignoring case
     * (a script that upper-cases a secret, or a writer that spells an escape {@code \u003C}, still shows it).
     */
    private record Key(long high, long low, int length) {
        static Key of(String text, int from, int length, boolean normalize) {
            long high = 0;
            long low = 0;
            for (int k = 0; k < length; k++) {
                char c = Character.toLowerCase(normalize ? normalized(text.charAt(from + k)) : text.charAt(from + k));
                if (k < 4) {
                    high = high << 16 | c;
                } else {
                    low = low << 16 | c;
                }
            }
            return new Key(high, low, length);
        }
    }
}
