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

    /** A failure's type and masked message, root first: CXF messages can carry request details. */
    static String describe(Throwable e, String secret) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return mask(root.getClass().getSimpleName() + message, secret);
    }
}
