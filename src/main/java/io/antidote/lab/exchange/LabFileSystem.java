package io.antidote.lab.exchange;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The host's disk: Windows paths, case-insensitive and case-preserving, with {@code \} as the
 * separator ({@code /} is read as one too). Only absolute paths reach it (drive-rooted like
 * {@code C:\x} or UNC like {@code \\server\share\x}); the shell resolves relative ones. Contents
 * are Java strings, so any character, NUL included, is kept as written. Not thread-safe on its
 * own: {@link ExchangeServer} guards it.
 */
public final class LabFileSystem {

    /** A file or directory; {@code path} keeps the case it was created with. */
    public record Entry(String path, boolean directory, String content, LocalDateTime lastWriteTime) {

        public String name() {
            int i = path.lastIndexOf('\\');
            return i < 0 || i == path.length() - 1 ? path : path.substring(i + 1);
        }

        /** Bytes on disk, counting the content as UTF-8. */
        public long length() {
            return directory ? 0 : content.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private final TreeMap<String, Entry> entries = new TreeMap<>();

    /**
     * The canonical spelling of an absolute path: separators unified, "." and ".." resolved,
     * no trailing separator except on a drive root ({@code C:\}). Throws for a relative path.
     */
    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        String p = path.replace('/', '\\');
        String root;
        String rest;
        if (p.length() >= 2 && Character.isLetter(p.charAt(0)) && p.charAt(1) == ':'
                && (p.length() == 2 || p.charAt(2) == '\\')) {
            root = Character.toUpperCase(p.charAt(0)) + ":\\";
            rest = p.length() > 3 ? p.substring(3) : "";
        } else if (p.startsWith("\\\\")) {
            String[] parts = p.substring(2).split("\\\\+", 3);
            if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new IllegalArgumentException("incomplete UNC path");
            }
            root = "\\\\" + parts[0] + "\\" + parts[1] + "\\";
            rest = parts.length == 3 ? parts[2] : "";
        } else {
            throw new IllegalArgumentException("not an absolute path");
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String s : rest.split("\\\\")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(s);
            }
        }
        if (segments.isEmpty()) {
            return root;
        }
        return root + String.join("\\", segments);
    }

    public static boolean isAbsolute(String path) {
        if (path == null) {
            return false;
        }
        String p = path.replace('/', '\\');
        return (p.length() >= 2 && Character.isLetter(p.charAt(0)) && p.charAt(1) == ':'
                && (p.length() == 2 || p.charAt(2) == '\\')) || p.startsWith("\\\\");
    }

    /** The folder holding a path, or empty for a root. */
    public static Optional<String> parent(String path) {
        String n = normalize(path);
        if (n.endsWith("\\")) {
            return Optional.empty();
        }
        return Optional.of(normalize(n.substring(0, n.lastIndexOf('\\') + 1)));
    }

    private static String key(String normalized) {
        return normalized.toLowerCase(Locale.ROOT);
    }

    public Optional<Entry> get(String path) {
        String n = normalize(path);
        if (n.endsWith("\\")) {
            // Drive C: exists as long as anything is on it; other drives and shares do not.
            return entries.keySet().stream().anyMatch(k -> k.startsWith(key(n)))
                    ? Optional.of(new Entry(n, true, "", Compromise.DROPPED.minusYears(3)))
                    : Optional.empty();
        }
        return Optional.ofNullable(entries.get(key(n)));
    }

    public boolean exists(String path) {
        return get(path).isPresent();
    }

    public boolean isDirectory(String path) {
        return get(path).map(Entry::directory).orElse(false);
    }

    public boolean isFile(String path) {
        return get(path).map(e -> !e.directory()).orElse(false);
    }

    /** The drive or share a path lives on exists (C: always; others never, in the lab). */
    public boolean rootExists(String path) {
        String n = normalize(path);
        return n.toUpperCase(Locale.ROOT).startsWith("C:\\");
    }

    /** Direct children of a directory, in the case-insensitive order NTFS lists them. */
    public List<Entry> children(String directory) {
        String n = normalize(directory);
        String prefix = key(n.endsWith("\\") ? n : n + "\\");
        List<Entry> result = new ArrayList<>();
        for (var e : entries.subMap(prefix, true, prefix + Character.MAX_VALUE, true).entrySet()) {
            String rest = e.getKey().substring(prefix.length());
            if (!rest.isEmpty() && rest.indexOf('\\') < 0) {
                result.add(e.getValue());
            }
        }
        return result;
    }

    /** Every file and directory, in path order. */
    public List<Entry> all() {
        return List.copyOf(entries.values());
    }

    public void createDirectory(String path, LocalDateTime time) {
        String n = normalize(path);
        if (n.endsWith("\\")) {
            return;
        }
        Entry existing = entries.get(key(n));
        if (existing != null) {
            if (!existing.directory()) {
                throw new IllegalStateException("a file is in the way");
            }
            return;
        }
        parent(n).ifPresent(p -> createDirectory(p, time));
        entries.put(key(n), new Entry(n, true, "", time));
    }

    public void writeFile(String path, String content, LocalDateTime time) {
        String n = normalize(path);
        Entry existing = entries.get(key(n));
        if (existing != null && existing.directory()) {
            throw new IllegalStateException("a directory is in the way");
        }
        parent(n).ifPresent(p -> createDirectory(p, time));
        String spelled = existing != null ? existing.path() : n;
        entries.put(key(n), new Entry(spelled, false, content, time));
    }

    /** Removes a file, or a directory with everything under it. */
    public boolean delete(String path) {
        String n = normalize(path);
        if (entries.remove(key(n)) == null) {
            return false;
        }
        String prefix = key(n) + "\\";
        entries.subMap(prefix, true, prefix + Character.MAX_VALUE, true).clear();
        return true;
    }
}
