package io.antidote.lab.wsman;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A shell's output code page (WINRS_CODEPAGE). Windows converts console output with it and
 * replaces what the code page cannot hold with '?', so non-ASCII text reaches a 437 client mangled
 * exactly as it does from a real host; 65001 carries UTF-8.
 */
record CodePage(int number, Charset charset) {

    static final int OEM_US = 437;
    static final int UTF_8 = 65001;

    static CodePage defaultCodePage() {
        return of(OEM_US).orElseThrow();
    }

    static Optional<CodePage> of(int number) {
        if (number == UTF_8) {
            return Optional.of(new CodePage(number, StandardCharsets.UTF_8));
        }
        for (String name : new String[] {"cp" + number, "IBM" + number, "windows-" + number, "x-IBM" + number}) {
            try {
                if (Charset.isSupported(name)) {
                    Charset charset = Charset.forName(name);
                    if (charset.canEncode()) {
                        return Optional.of(new CodePage(number, charset));
                    }
                }
            } catch (IllegalArgumentException notAName) {
                // try the next spelling
            }
        }
        return Optional.empty();
    }

    /** Most bytes one char can take, to size output chunks without encoding twice. */
    int maxBytesPerChar() {
        return (int) Math.ceil(encoder().maxBytesPerChar());
    }

    byte[] encode(CharSequence text) {
        try {
            ByteBuffer bytes = encoder().encode(CharBuffer.wrap(text));
            return Arrays.copyOfRange(bytes.array(), bytes.arrayOffset() + bytes.position(),
                    bytes.arrayOffset() + bytes.limit());
        } catch (CharacterCodingException cannotHappenWithReplace) {
            throw new IllegalStateException(cannotHappenWithReplace);
        }
    }

    private CharsetEncoder encoder() {
        CharsetEncoder encoder = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        byte[] questionMark = {'?'};
        return encoder.isLegalReplacement(questionMark) ? encoder.replaceWith(questionMark) : encoder;
    }
}
