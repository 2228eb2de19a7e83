package io.antidote.alert;

import io.antidote.playbook.Severity;

import java.time.OffsetDateTime;

/**
 * An alert as an EDR or SIEM sent it, once read and found well-formed (docs/alerts.md).
 *
 * @param source     the product or integration that raised it ({@code defender}, {@code sentinel})
 * @param externalId its id in that product: the run's ticket, so that the incident finds its run
 * @param server     the inventory name of the server it is about
 * @param type       the indicator or alert type ({@code webshell}, {@code CVE-2021-26855})
 * @param occurredAt when the source saw it
 * @param summary    a line for people, or null
 */
record Alert(String source, String externalId, String server, String type, Severity severity,
             OffsetDateTime occurredAt, String summary) {
}
