package io.antidote.lab.powershell;

import java.util.regex.Pattern;

/** PowerShell wildcards: * ? [abc] [a-z], backtick escapes; case-insensitive unless asked. */
final class Wildcard {

    private Wildcard() {
    }

    static boolean hasWildcard(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '`') {
                i++;
            } else if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String pattern, String text, boolean caseSensitive) {
        return compile(pattern, caseSensitive).matcher(text).matches();
    }

    static Pattern compile(String pattern, boolean caseSensitive) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '`' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int close = pattern.indexOf(']', i + 1);
                if (close < 0) {
                    throw new RuntimeError("The specified wildcard character pattern is not valid: " + pattern,
                            "RuntimeException", "NotSpecified", "System.Management.Automation.WildcardPatternException");
                }
                StringBuilder set = new StringBuilder("[");
                for (int j = i + 1; j < close; j++) {
                    char k = pattern.charAt(j);
                    if (k == '-' && j > i + 1 && j < close - 1) {
                        set.append('-');
                    } else {
                        set.append(k == '\\' || k == '[' || k == ']' || k == '^' || k == '&' || k == '-' ? "\\" + k : k);
                    }
                }
                re.append(set).append(']');
                i = close;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return Pattern.compile(re.toString(), flags);
    }
}
