package io.antidote.identity;

import java.util.List;

/**
 * The roles the API knows (docs/security.md). A person gets them from the OIDC token's role claim, a machine
 * from its API token. Annotations need constant expressions, hence strings and not an enum.
 */
public final class Roles {

    /** Reads runs. */
    public static final String VIEWER = "viewer";
    /** Reads everything, events and exports included. */
    public static final String AUDITOR = "auditor";
    /** Requests runs of the playbooks it is allowed. */
    public static final String OPERATOR = "operator";
    /** Decides the approvals whose playbook role it also holds. */
    public static final String APPROVER = "approver";
    /** Cancels runs, releases isolated servers, reloads the inventory, manages API tokens. */
    public static final String ADMIN = "admin";
    /** Sends alerts (an EDR's or SIEM's API token): POST /api/v1/alerts, nothing else (docs/alerts.md). */
    public static final String ALERT_SOURCE = "alert-source";
    /** Controls the simulated lab hosts. */
    public static final String LAB_ADMIN = "lab-admin";

    public static final List<String> ALL = List.of(VIEWER, AUDITOR, OPERATOR, APPROVER, ADMIN, ALERT_SOURCE, LAB_ADMIN);

    private Roles() {
    }
}
