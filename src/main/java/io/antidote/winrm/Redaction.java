package io.antidote.winrm;

/** Masks a secret wherever a host echoed it back, before output is stored or logged. */
final class Redaction {

    static final String MASK = "***";

    private Redaction() {
    }

    static String mask(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, MASK);
    }
}
