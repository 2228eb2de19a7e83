package io.antidote.supply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The known-bad dependency list of the repository (supply-chain/known-bad.txt): a version below a rule's bound
 * of a matching group and artifact must not ship. Read here so that one test can prove the check fails.
 */
record KnownBad(List<Rule> rules) {

    static final Path FILE = Path.of("supply-chain/known-bad.txt");
    private static final Pattern LINE = Pattern.compile("([^:\\s]+):([^\\s]+)\\s*<\\s*([0-9][0-9A-Za-z.\\-]*)");

    record Rule(String group, String artifact, String below, String line) {
        boolean matches(String group, String artifact, String version) {
            return this.group.equals(group) && ("*".equals(this.artifact) || this.artifact.equals(artifact))
                    && compare(version, below) < 0;
        }
    }

    static KnownBad read(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    static KnownBad parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("known-bad line is not 'group:artifact < version': " + raw);
            }
            rules.add(new Rule(m.group(1), m.group(2), m.group(3), raw.strip()));
        }
        return new KnownBad(List.copyOf(rules));
    }

    /** Each coordinate ("group:artifact:version") that a rule forbids, with that rule. */
    List<String> violations(List<String> coordinates) {
        List<String> found = new ArrayList<>();
        for (String coordinate : coordinates) {
            String[] parts = coordinate.split(":");
            for (Rule rule : rules) {
                if (parts.length >= 3 && rule.matches(parts[0], parts[1], parts[2])) {
                    found.add(coordinate + " is known bad (" + rule.line() + ")");
                }
            }
        }
        return found;
    }

    /** Numeric segments compared in order; a qualifier (1.4.0-b03) sorts before its release. */
    static int compare(String a, String b) {
        String[] x = a.split("[.\\-]");
        String[] y = b.split("[.\\-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "";
            String q = i < y.length ? y[i] : "";
            boolean pn = p.matches("[0-9]+");
            boolean qn = q.matches("[0-9]+");
            int c;
            if (p.isEmpty() || q.isEmpty()) {
                // 1.4 < 1.4.1, but 1.4.0-b03 < 1.4.0: a missing segment loses to a number, wins over a qualifier.
                c = p.isEmpty() && q.isEmpty() ? 0 : p.isEmpty() ? (qn ? -1 : 1) : (pn ? 1 : -1);
            } else if (pn && qn) {
                c = Long.compare(Long.parseLong(p), Long.parseLong(q));
            } else if (pn != qn) {
                c = pn ? 1 : -1;
            } else {
                c = p.compareTo(q);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
