// Checks an Antidote audit export offline, with nothing but a JDK (17+), the export and the public keys:
//
//     java Verify.java export.jsonl key.pub [older-key.pub ...]
//
// An auditor must be able to prove the history without trusting the service that wrote it, so this file
// shares no code with it: it re-implements the canonical form from docs/event-store.md ("Export"), and imports
// nothing but the JDK (PartDependenciesTest holds it to that). The `antidote verify` command of the CLI runs this
// same class, compiled into the CLI's jar, so that the two can never disagree.
// Exit status: 0 every run verifies, 1 a run fails (first bad seq printed), 2 the input cannot be read.

package io.antidote.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public final class Verify {

    private Verify() {
    }

    static final String GENESIS = "0".repeat(64);

    /** What is known of one run so far, and where it first broke. */
    static final class Run {
        final List<String> hashes = new ArrayList<>();
        final List<Map<String, Object>> checkpoints = new ArrayList<>();
        Long firstBadSeq;
        String problem;

        void fail(long seq, String why) {
            if (firstBadSeq == null || seq < firstBadSeq) {
                firstBadSeq = seq;
                problem = why;
            }
        }
    }

    /** One run of an export, as checked: verified, or where its history first breaks and why. */
    public record RunResult(String runId, int events, long signedUpTo, Long firstBadSeq, String problem) {

        public boolean verified() {
            return firstBadSeq == null;
        }

        /** The line this program prints for the run. */
        public String describe() {
            return verified()
                    ? "run " + runId + ": verified, " + events + " events"
                            + (signedUpTo == 0 ? "; no checkpoint, so a cut-off tail would not show"
                                    : ", signed up to seq " + signedUpTo)
                    : "run " + runId + ": FAILS at seq " + firstBadSeq + ": " + problem;
        }
    }

    /** The export or a key cannot be read at all: nothing about any run can be said. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java Verify.java export.jsonl key.pub [older-key.pub ...]");
            System.exit(2);
        }
        List<Path> keyFiles = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            keyFiles.add(Path.of(args[i]));
        }
        List<RunResult> results;
        try {
            results = verify(Path.of(args[0]), keyFiles);
        } catch (Unreadable e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        boolean allGood = true;
        for (RunResult result : results) {
            System.out.println(result.describe());
            allGood &= result.verified();
        }
        System.exit(allGood ? 0 : 1);
    }

    /** Checks every run of the export against these public key files (PEM or bare base64), in the export's order. */
    public static List<RunResult> verify(Path export, List<Path> keyFiles) throws Unreadable {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (Path file : keyFiles) {
            try {
                PublicKey key = readKey(file);
                keys.put(keyId(key), key);
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new Unreadable("key " + file + " cannot be read as an Ed25519 public key: " + e.getMessage());
            }
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Unreadable("export " + export + " cannot be read: " + e.getMessage());
        }
        try {
            return verify(lines, keys);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot check SHA-256 or Ed25519", e);
        }
    }

    static List<RunResult> verify(List<String> lines, Map<String, PublicKey> keys) throws Unreadable, GeneralSecurityException {
        Map<String, Run> runs = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            Map<String, Object> record;
            String runId;
            String kind;
            try {
                record = object(new Parser(line).document());
                runId = text(record, "runId");
                kind = text(record, "record");
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new Unreadable("line " + lineNo + ": not JSON: " + e.getMessage());
            }
            Run run = runs.computeIfAbsent(runId, id -> new Run());
            try {
                if ("checkpoint".equals(kind)) {
                    if (!canonical(record).equals(line)) {
                        run.fail(number(record, "lastSeq"), "line " + lineNo + ": the checkpoint is not in canonical form");
                    }
                    run.checkpoints.add(record);
                } else if ("event".equals(kind)) {
                    event(run, record, line, lineNo);
                } else {
                    throw new Unreadable("line " + lineNo + ": unknown record " + kind);
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new Unreadable("line " + lineNo + ": " + e.getMessage());
            }
        }
        List<RunResult> results = new ArrayList<>();
        for (Map.Entry<String, Run> entry : runs.entrySet()) {
            Run run = entry.getValue();
            long covered = 0;
            for (Map<String, Object> checkpoint : run.checkpoints) {
                try {
                    covered = Math.max(covered, checkpoint(run, checkpoint, keys));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new Unreadable("a checkpoint of run " + entry.getKey() + ": " + e.getMessage());
                }
            }
            results.add(new RunResult(entry.getKey(), run.hashes.size(), covered, run.firstBadSeq, run.problem));
        }
        return results;
    }

    /** Recomputes the event's hash from its own fields and checks its place in the run's chain. */
    static void event(Run run, Map<String, Object> record, String line, int lineNo) throws GeneralSecurityException {
        long seq = number(record, "seq");
        if (run.firstBadSeq != null) {
            return; // everything after the first break is suspect already
        }
        long expectedSeq = run.hashes.size() + 1L;
        if (seq != expectedSeq) {
            run.fail(expectedSeq, "seq " + expectedSeq + " is missing (line " + lineNo + " holds seq " + seq + ")");
            return;
        }
        if (!canonical(record).equals(line)) {
            run.fail(seq, "line " + lineNo + " is not in canonical form");
            return;
        }
        String prevHash = text(record, "prevHash");
        String hash = text(record, "hash");
        String expectedPrev = run.hashes.isEmpty() ? GENESIS : run.hashes.get(run.hashes.size() - 1);
        if (!expectedPrev.equals(prevHash)) {
            run.fail(seq, "seq " + seq + " does not point at the hash of the event before it");
            return;
        }
        Map<String, Object> envelope = new TreeMap<>(record);
        envelope.remove("hash");
        envelope.remove("prevHash");
        envelope.remove("record");
        String recomputed = sha256Hex(prevHash + "\n" + canonical(envelope));
        if (!recomputed.equals(hash)) {
            run.fail(seq, "seq " + seq + " does not carry the hash of its content");
            return;
        }
        run.hashes.add(hash);
    }

    /** Checks the checkpoint's signature and that the run still reaches the head it signed; returns its seq. */
    static long checkpoint(Run run, Map<String, Object> checkpoint, Map<String, PublicKey> keys)
            throws GeneralSecurityException {
        long lastSeq = number(checkpoint, "lastSeq");
        String keyId = text(checkpoint, "keyId");
        PublicKey key = keys.get(keyId);
        if (key == null) {
            run.fail(lastSeq, "the checkpoint of seq " + lastSeq + " is signed with key " + keyId + ", not given");
            return lastSeq;
        }
        Map<String, Object> signed = new TreeMap<>(checkpoint);
        signed.remove("record");
        signed.remove("signature");
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(canonical(signed).getBytes(StandardCharsets.UTF_8));
        boolean good;
        try {
            good = verifier.verify(Base64.getDecoder().decode(text(checkpoint, "signature")));
        } catch (IllegalArgumentException | java.security.SignatureException e) {
            good = false;
        }
        if (!good) {
            run.fail(lastSeq, "the checkpoint of seq " + lastSeq + " has a bad signature");
        } else if (lastSeq > run.hashes.size() && run.firstBadSeq == null) {
            run.fail(run.hashes.size() + 1L, "the run ends at seq " + run.hashes.size() + " but a signed checkpoint covers seq "
                    + lastSeq + ": its tail is missing");
        } else if (lastSeq <= run.hashes.size() && !run.hashes.get((int) lastSeq - 1).equals(text(checkpoint, "lastHash"))) {
            run.fail(lastSeq, "seq " + lastSeq + " does not carry the hash its signed checkpoint names: rewritten");
        }
        return lastSeq;
    }

    // --- The canonical form: keys sorted by UTF-16 code units, no whitespace, integers only, RFC 8785 escapes.

    static String canonical(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : new TreeMap<>((Map<String, Object>) map).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof String s) {
            string(s, out);
        } else {
            out.append(value); // Boolean or BigInteger
        }
    }

    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    // --- A minimal JSON reader: objects, arrays, strings, integers, true, false, null.

    static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object document() {
            Object value = value();
            skipSpace();
            if (i != s.length()) {
                throw new IllegalArgumentException("text after the value at " + i);
            }
            return value;
        }

        private Object value() {
            skipSpace();
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                return obj();
            } else if (c == '[') {
                return arr();
            } else if (c == '"') {
                return str();
            } else if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            } else if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            } else if (s.startsWith("null", i)) {
                i += 4;
                return null;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                int start = i++;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    throw new IllegalArgumentException("a non-integer number at " + start + ": exports hold integers only");
                }
                return new BigInteger(s.substring(start, i));
            }
            throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
        }

        private Map<String, Object> obj() {
            Map<String, Object> map = new LinkedHashMap<>();
            i++;
            skipSpace();
            if (peek() == '}') {
                i++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = str();
                skipSpace();
                expect(':');
                if (map.containsKey(key)) {
                    throw new IllegalArgumentException("duplicate key " + key);
                }
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> arr() {
            List<Object> list = new ArrayList<>();
            i++;
            skipSpace();
            if (peek() == ']') {
                i++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String str() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i);
            }
            i++;
        }

        private void skipSpace() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }
    }

    // --- Small helpers.

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("a line must hold a JSON object");
        }
        return (Map<String, Object>) value;
    }

    static String text(Map<String, Object> record, String field) {
        if (!(record.get(field) instanceof String s)) {
            throw new IllegalArgumentException("field " + field + " must be a string");
        }
        return s;
    }

    static long number(Map<String, Object> record, String field) {
        if (!(record.get(field) instanceof BigInteger n)) {
            throw new IllegalArgumentException("field " + field + " must be an integer");
        }
        return n.longValueExact();
    }

    static String sha256Hex(String text) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A key file as GET /api/v1/audit/keys serves it: PEM, or the bare base64 of its X.509 encoding. */
    static PublicKey readKey(Path file) throws IOException, GeneralSecurityException {
        String body = Files.readString(file, StandardCharsets.US_ASCII).replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** First 16 hex digits of the SHA-256 of the key's X.509 encoding, as the service names its keys. */
    static String keyId(PublicKey key) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
    }
}
