package io.antidote.playbook;

import java.util.List;

/** What {@link PlaybookParser#parse} found: a playbook ready to run, or every problem in the file. */
public sealed interface ParseResult {

    record Valid(Playbook playbook) implements ParseResult {
    }

    record Invalid(String file, List<PlaybookError> errors) implements ParseResult {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
