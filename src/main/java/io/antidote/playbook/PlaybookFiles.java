package io.antidote.playbook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * How a playbook or library step file is read before it is parsed (size, UTF-8, links), shared by the service's
 * catalog and the CLI's {@code antidote lint}, so that a file refused by one is refused by the other in the same words.
 */
public final class PlaybookFiles {

    /** A playbook is a small file: larger ones are refused unread; the parser's own limit is in characters. */
    static final long MAX_FILE_BYTES = 4L * PlaybookParser.MAX_CODE_POINTS;

    private PlaybookFiles() {
    }

    /**
     * The file's text, or why it cannot be read ({@link ParseResult.Invalid}). A file that is, or sits behind, a
     * symbolic link is refused unread: a link must not pull another file (a secret, a system file, another
     * playbook under a second name) into the catalog, nor its content into an error shown by the API. The one
     * exception is the layout of a Kubernetes ConfigMap volume, which is made of links: see {@link #linkRefused}.
     */
    public static Object read(Path root, Path path, String file) {
        Path real;
        try {
            String refused = linkRefused(root, path);
            if (refused != null) {
                return new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1, refused)));
            }
            real = path.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                return new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1, "the file is a symbolic link"
                        + " (or lies behind one) leading outside " + root + "; it is not read")));
            }
        } catch (IOException e) {
            return new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1,
                    "the file could not be read: " + e.getClass().getSimpleName())));
        }
        try {
            // The path checked is the one read: a link swapped meanwhile does not lead elsewhere.
            path = real;
            if (Files.size(path) > MAX_FILE_BYTES) {
                return new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1,
                        "the file is larger than " + MAX_FILE_BYTES + " bytes")));
            }
            String source = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
            if (source.startsWith("\uFEFF")) {
                source = source.substring(1);
            }
            return source;
        } catch (CharacterCodingException e) {
            return new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1, "the file is not valid UTF-8")));
        } catch (IOException e) {
            return new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1,
                    "the file could not be read: " + e.getClass().getSimpleName())));
        }
    }

    /** The kubelet's link to the volume's current hidden directory ({@code ..2026_12_06_20_00_00.000000001}). */
    static final String KUBERNETES_DATA = "..data";

    /**
     * Why {@code path}, or a directory between {@code root} and it, is a link not to follow; null when none is.
     * A kubelet writes a ConfigMap volume as a hidden {@code ..<timestamp>} directory, a {@code ..data} link to
     * it, and for each top-level name a link {@code name -> ..data/name}: those links, and only those, are
     * followed, so that the chart can mount the playbooks while a link an operator or an attacker adds (to a
     * file elsewhere, or to another playbook of the folder) is still refused.
     */
    public static String linkRefused(Path root, Path path) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Path full = path.toAbsolutePath().normalize();
        if (!full.startsWith(base)) {
            return "the file lies outside " + root + "; it is not read";
        }
        Path at = base;
        for (Path name : base.relativize(full)) {
            at = at.resolve(name);
            if (Files.isSymbolicLink(at) && !(at.getParent().equals(base) && kubeletLink(base, at))) {
                return "the file is a symbolic link (or lies behind one); only the links of a Kubernetes ConfigMap"
                        + " volume (name -> " + KUBERNETES_DATA + "/name) are followed, so it is not read";
            }
        }
        return null;
    }

    private static boolean kubeletLink(Path base, Path link) throws IOException {
        Path data = base.resolve(KUBERNETES_DATA);
        if (!Path.of(KUBERNETES_DATA).resolve(link.getFileName()).equals(Files.readSymbolicLink(link))
                || !Files.isSymbolicLink(data)) {
            return false;
        }
        Path current = Files.readSymbolicLink(data);
        return current.getNameCount() == 1 && current.toString().startsWith("..")
                && !current.toString().equals("..") && Files.isDirectory(base.resolve(current), LinkOption.NOFOLLOW_LINKS);
    }
}
