package io.antidote.alert;

import io.antidote.engine.InvalidRequestException;
import io.antidote.store.AlertRecord;

import java.util.List;

/**
 * A malformed or hostile alert: recorded as REFUSED, and answered with every problem by its field (the API's
 * problem document) or dead-lettered (the queue).
 *
 * @param malformed not even a JSON object (the API's 400), rather than an object with bad fields (422)
 */
public class AlertRefused extends InvalidRequestException {

    private final transient AlertRecord record;
    private final boolean malformed;

    AlertRefused(AlertRecord record, List<Violation> violations, boolean malformed) {
        super(violations);
        this.record = record;
        this.malformed = malformed;
    }

    public AlertRecord record() {
        return record;
    }

    public boolean malformed() {
        return malformed;
    }
}
