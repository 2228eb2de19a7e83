package io.antidote.playbook;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The places an update may be installed from, as configured ({@code antidote.patch-sources.<name>.path}): a folder
 * on the server itself ({@code C:\Patches}) or a share ({@code \\fs01\patches}). A {@code source} parameter of a run
 * names one of them, or a folder under one ({@code local\OutOfBand}, {@code C:\Patches\OutOfBand}), and the script
 * gets that folder's path; any other path, such as a share on another host, is refused when the run is requested.
 *
 * <p>A path is compared segment by segment, without case, after it is checked to be plain: no {@code .} or
 * {@code ..}, no empty segment, none ending in a dot or a space (Windows drops them, so two spellings would name one
 * folder), no wildcard, stream ({@code :}), device prefix ({@code \\?\}, {@code \\.\}), forward slash or control
 * character. So a value that passes names a folder inside a configured source by its text alone.
 */
public final class PatchSources {

    /** No source: every source parameter is refused. */
    public static final PatchSources NONE = new PatchSources(Map.of());

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern DRIVE = Pattern.compile("[A-Za-z]:");
    private static final int MAX_SEGMENT = 255;

    /** Source name to its folder, as configured (checked), in name order. */
    private final Map<String, String> paths;

    private PatchSources(Map<String, String> paths) {
        this.paths = Collections.unmodifiableMap(new TreeMap<>(paths));
    }

    /**
     * The configured sources; throws {@link IllegalArgumentException} naming the first unusable one (a name that is
     * not lower-case letters, digits and hyphens, or a path that is not a plain local folder or share).
     */
    public static PatchSources of(Map<String, String> byName) {
        Map<String, String> checked = new TreeMap<>();
        byName.forEach((name, path) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("patch source name '" + Text.shorten(String.valueOf(name))
                        + "' must be lower-case letters, digits and hyphens");
            }
            String problem = path == null ? "no path" : problem(path, true);
            if (problem != null) {
                throw new IllegalArgumentException("patch source '" + name + "': " + problem);
            }
            checked.put(name, stripTrailingSeparator(path));
        });
        return new PatchSources(checked);
    }

    /** Source name to folder. */
    public Map<String, String> paths() {
        return paths;
    }

    /**
     * The folder a parameter value names: a source's name, a source's name followed by {@code \} and a folder
     * under it, or a path equal to or under a source's folder. Throws {@link IllegalArgumentException} with a
     * message for the requester otherwise.
     */
    public String resolve(String value) {
        if (value == null || value.isEmpty()) {
            throw refused("an empty value");
        }
        int separator = value.indexOf('\\');
        String head = separator < 0 ? value : value.substring(0, separator);
        if (paths.containsKey(head)) {
            if (separator < 0) {
                return paths.get(head);
            }
            String rest = value.substring(separator + 1);
            String problem = relativeProblem(rest);
            if (problem != null) {
                throw refused("'" + Text.shorten(value) + "': " + problem);
            }
            return paths.get(head) + "\\" + rest;
        }
        boolean looksLikePath = DRIVE.matcher(head).matches() || value.startsWith("\\\\") || value.indexOf(':') >= 0
                || value.indexOf('/') >= 0;
        if (!looksLikePath) {
            throw refused("'" + Text.shorten(value) + "', which names no configured source");
        }
        String problem = problem(value, false);
        if (problem != null) {
            throw refused("'" + Text.shorten(value) + "': " + problem);
        }
        String wanted = stripTrailingSeparator(value);
        for (String folder : paths.values()) {
            if (wanted.equalsIgnoreCase(folder) || wanted.toLowerCase(Locale.ROOT).startsWith(
                    folder.toLowerCase(Locale.ROOT) + "\\")) {
                return wanted;
            }
        }
        throw refused("'" + Text.shorten(value) + "', which is not a configured source's folder or under one");
    }

    private IllegalArgumentException refused(String what) {
        String configured = paths.isEmpty() ? "none is configured (antidote.patch-sources.<name>.path)"
                : "configured: " + paths.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .collect(Collectors.joining(", "));
        return new IllegalArgumentException("updates are installed only from a configured patch source or a folder"
                + " under one, not from " + what + "; " + configured);
    }

    /** What is wrong with an absolute folder path (a drive folder or a share), or null when it is plain. */
    private static String problem(String path, boolean configuring) {
        String rest;
        if (path.startsWith("\\\\")) {
            String[] parts = path.substring(2).split("\\\\", 3);
            if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                return "a share is written \\\\host\\share";
            }
            if (parts[0].equals("?") || parts[0].equals(".")) {
                return "device paths (\\\\?\\, \\\\.\\) are not accepted";
            }
            String host = segmentProblem(parts[0]);
            String share = segmentProblem(parts[1]);
            if (host != null || share != null) {
                return host != null ? host : share;
            }
            rest = parts.length == 3 ? parts[2] : "";
        } else if (path.length() >= 2 && DRIVE.matcher(path.substring(0, 2)).matches()) {
            if (path.length() == 2 || path.charAt(2) != '\\') {
                return "a drive path is written with a backslash after the drive (C:\\Patches)";
            }
            rest = path.substring(3);
            if (configuring && rest.isEmpty()) {
                return "a whole drive is not a patch source; name a folder";
            }
        } else {
            return "not an absolute path (C:\\Patches or \\\\host\\share)";
        }
        if (rest.endsWith("\\")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return rest.isEmpty() ? null : relativeProblem(rest);
    }

    /** What is wrong with a folder path relative to a source ({@code OutOfBand\2016}), or null. */
    private static String relativeProblem(String rest) {
        if (rest.isEmpty()) {
            return "nothing after the separator";
        }
        for (String segment : rest.split("\\\\", -1)) {
            String problem = segmentProblem(segment);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String segmentProblem(String segment) {
        if (segment.isEmpty()) {
            return "an empty path segment (\\\\ inside the path)";
        }
        if (segment.equals(".") || segment.equals("..")) {
            return "'.' and '..' are not accepted in a path";
        }
        if (segment.length() > MAX_SEGMENT) {
            return "a path segment longer than " + MAX_SEGMENT + " characters";
        }
        if (segment.endsWith(".") || segment.endsWith(" ") || segment.startsWith(" ")) {
            return "a path segment that starts with a space or ends with a dot or a space";
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 0x20 || c == 0x7F || "<>:\"/|?*".indexOf(c) >= 0) {
                return "the character " + (c < 0x20 || c == 0x7F ? String.format("U+%04X", (int) c) : "'" + c + "'")
                        + ", which a plain folder path does not hold";
            }
        }
        return null;
    }

    private static String stripTrailingSeparator(String path) {
        return path.endsWith("\\") && !path.endsWith(":\\") ? path.substring(0, path.length() - 1) : path;
    }
}
