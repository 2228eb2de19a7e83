package io.antidote.lab.wsman;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Recovers the script from {@code powershell -EncodedCommand <base64 of UTF-16LE>}, the way
 * WinRM4j, pywinrm and Ansible all send PowerShell over WinRS.
 *
 * <p>powershell.exe accepts any unambiguous prefix of a parameter name ({@code -enc}, {@code -e}
 * is special-cased to EncodedCommand) and the alias {@code -ec}; other parameters may come first,
 * some of them with a value ({@code -ExecutionPolicy Bypass}) that must be skipped rather than
 * read as a flag.
 */
public final class EncodedCommand {

    private static final Set<String> EXECUTABLES =
            Set.of("powershell", "powershell.exe", "pwsh", "pwsh.exe");

    /** Parameters of powershell.exe that take a value, with their shortest accepted prefix. */
    private static final List<String[]> VALUED_PARAMETERS = List.of(
            new String[] {"executionpolicy", "ex"},
            new String[] {"ep", "ep"},
            new String[] {"windowstyle", "w"},
            new String[] {"version", "v"},
            new String[] {"psconsolefile", "ps"},
            new String[] {"inputformat", "inp"},
            new String[] {"if", "if"},
            new String[] {"outputformat", "o"},
            new String[] {"of", "of"},
            new String[] {"configurationname", "config"},
            new String[] {"workingdirectory", "wo"},
            new String[] {"wd", "wd"},
            new String[] {"settingsfile", "settings"});

    private EncodedCommand() {
    }

    /** The decoded script, or empty if the command line is not an encoded PowerShell invocation. */
    public static Optional<String> decode(String commandLine) {
        if (commandLine == null) {
            return Optional.empty();
        }
        List<String> tokens = tokenize(commandLine);
        if (tokens.isEmpty() || !isPowerShell(tokens.get(0))) {
            return Optional.empty();
        }
        for (int i = 1; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!isParameter(token)) {
                // A bare word is a script (-Command is implied): there is no encoded command.
                return Optional.empty();
            }
            String name = token.substring(1).toLowerCase(Locale.ROOT);
            if (name.equals("ec") || (!name.isEmpty() && "encodedcommand".startsWith(name))) {
                return i + 1 < tokens.size() ? decodeBase64Utf16(tokens.get(i + 1)) : Optional.empty();
            }
            if (!name.isEmpty() && ("command".startsWith(name) || "file".startsWith(name))) {
                return Optional.empty();
            }
            if (takesValue(name)) {
                i++;
            }
        }
        return Optional.empty();
    }

    private static boolean isPowerShell(String executable) {
        int slash = Math.max(executable.lastIndexOf('\\'), executable.lastIndexOf('/'));
        return EXECUTABLES.contains(executable.substring(slash + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean isParameter(String token) {
        return token.length() > 1 && (token.charAt(0) == '-' || token.charAt(0) == '/');
    }

    private static boolean takesValue(String name) {
        for (String[] parameter : VALUED_PARAMETERS) {
            if (name.startsWith(parameter[1]) && parameter[0].startsWith(name)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> decodeBase64Utf16(String value) {
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            return Optional.of(new String(bytes, StandardCharsets.UTF_16LE));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** Splits on blanks, keeping double-quoted parts (a path with spaces) together. */
    private static List<String> tokenize(String commandLine) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean inToken = false;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                inToken = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
