package io.antidote.lab.wsman;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * The parts of a WS-Management request that the shell operations read.
 *
 * @param body the first element inside {@code s:Body}, or null when the body is empty (Delete)
 */
record WsManRequest(
        String action,
        String messageId,
        String resourceUri,
        Optional<String> shellId,
        Map<String, String> options,
        int maxEnvelopeSize,
        Duration operationTimeout,
        Element body) {

    static final int DEFAULT_MAX_ENVELOPE_SIZE = 153600;
    static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(60);
}
