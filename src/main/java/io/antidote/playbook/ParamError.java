package io.antidote.playbook;

/** One problem with a requested parameter value; the message never repeats a secret's value. */
public record ParamError(String param, String message) {

    @Override
    public String toString() {
        return param + ": " + message;
    }
}
