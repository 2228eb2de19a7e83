package io.antidote.playbook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
     * symbolic link to somewhere outside {@code root} is refused unread: a link must not pull another file (a
     * secret, a system file) into the catalog, nor its content into an error shown by the API. Links that stay
     * inside {@code root} are read: a Kubernetes ConfigMap volume is made of them.
     */
    public static Object read(Path root, Path path, String file) {
        Path real;
        try {
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
}
