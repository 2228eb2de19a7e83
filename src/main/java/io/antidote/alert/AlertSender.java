package io.antidote.alert;

/**
 * Who handed an alert in, as authenticated, and the one source it may speak for (docs/alerts.md, "Who sent it").
 * The source names the requester of the run an alert starts ({@code alert:<source>}) and is what rules match, so a
 * caller of the API may not claim another's: an EDR's token cannot make its alerts pass for the SIEM's.
 *
 * @param channel    {@code api} or {@code queue}
 * @param receivedBy the API caller's subject ({@code token:defender}), or {@code queue:<name>}
 * @param mayClaim   the only source its alerts may name; null for the queue, whose senders the broker's
 *                   permissions authenticate, not this service
 */
public record AlertSender(String channel, String receivedBy, String mayClaim) {

    /** A caller of {@code POST /api/v1/alerts}: its alerts name itself as their source. */
    public static AlertSender api(String subject, String name) {
        return new AlertSender("api", subject, name);
    }

    static AlertSender queue(String queue) {
        return new AlertSender("queue", "queue:" + queue, null);
    }
}
