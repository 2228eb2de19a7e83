package io.antidote.lab.exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's stand-in for an Exchange security update (.msp): a first line saying which update for which
 * version (and, for an out-of-band update, which CU), then an Authenticode block holding the SHA-256 of
 * every other line and the signer. Enough for msiexec to decide where it installs, for Get-FileHash to give a
 * stable hash, and for Get-AuthenticodeSignature to tell a signed package from an altered or unsigned one.
 * An altered or unsigned package still reads as a patch, so msiexec would install it: only a check before
 * the install stops it, as on Windows.
 */
public record PatchPackage(String kb, String version, String cu) {

    /** Microsoft's code-signing certificate subject, as Get-AuthenticodeSignature shows it. */
    public static final String MICROSOFT = "CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US";

    private static final Pattern FIRST_LINE = Pattern.compile(
            "Windows Installer patch (KB\\d+) for Microsoft Exchange Server (2013|2016|2019)(?: (CU\\d+))?");
    private static final Pattern SIGNATURE = Pattern.compile("Authenticode sha256=([0-9a-f]{64}); signer=(.+)");

    /** What Get-AuthenticodeSignature reports: Valid, HashMismatch (signed, then altered) or NotSigned. */
    public record Signature(String status, String signer) {
    }

    /** The signed package file's text. {@code cu} is null for the package of every CU the update targets. */
    public static String content(String kb, String version, String cu) {
        String first = "Windows Installer patch " + kb + " for Microsoft Exchange Server " + version
                + (cu == null ? "" : " " + cu);
        return first + "\r\nAuthenticode sha256=" + sha256(signed(first)) + "; signer=" + MICROSOFT + "\r\n";
    }

    /** A signed package altered afterwards: a line slipped in after the first, its signature kept. */
    public static String tampered(String content) {
        int end = content.indexOf('\n');
        return content.substring(0, end + 1) + "Custom action: powershell -enc SQBFAFgA (added after signing)\r\n"
                + content.substring(end + 1);
    }

    /** The package with its Authenticode block taken off. */
    public static String unsigned(String content) {
        StringBuilder kept = new StringBuilder();
        for (String line : content.split("(?<=\n)")) {
            if (!SIGNATURE.matcher(line.strip()).matches()) {
                kept.append(line);
            }
        }
        return kept.toString();
    }

    /** The package a file's text describes, or empty when it is not a patch package. */
    public static Optional<PatchPackage> read(String content) {
        String first = firstLine(content);
        Matcher m = FIRST_LINE.matcher(first);
        return m.matches() ? Optional.of(new PatchPackage(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    /** The Authenticode verdict on any file's text. */
    public static Signature signature(String content) {
        String[] lines = content.split("\r?\n");
        for (String line : lines) {
            Matcher m = SIGNATURE.matcher(line.strip());
            if (m.matches()) {
                return new Signature(m.group(1).equals(sha256(signed(content))) ? "Valid" : "HashMismatch", m.group(2));
            }
        }
        return new Signature("NotSigned", null);
    }

    /** The SHA-256 of a file's text as its UTF-8 bytes, upper-case hex as Get-FileHash prints it. */
    public static String fileHash(String content) {
        return sha256(content).toUpperCase(java.util.Locale.ROOT);
    }

    /** What the signature covers: every line but the Authenticode block's, line ends as LF. */
    private static String signed(String content) {
        StringBuilder covered = new StringBuilder();
        for (String line : content.split("\r?\n")) {
            if (!SIGNATURE.matcher(line.strip()).matches()) {
                covered.append(line).append('\n');
            }
        }
        return covered.toString();
    }

    private static String firstLine(String content) {
        int end = content.indexOf('\n');
        return (end < 0 ? content : content.substring(0, end)).strip();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
