package io.antidote.playbook;

import java.util.List;
import java.util.stream.Collectors;

/** The requested parameters do not fit the playbook; every problem is listed, none repeats a secret. */
public class InvalidParamsException extends RuntimeException {

    private final List<ParamError> errors;

    public InvalidParamsException(List<ParamError> errors) {
        super("invalid parameters: " + errors.stream().map(ParamError::toString).collect(Collectors.joining("; ")),
                null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<ParamError> errors() {
        return errors;
    }
}
