package io.antidote.winrm;

/** The script could not be run or its outcome not read. The message names the target, never a secret. */
public class TransportException extends RuntimeException {

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
