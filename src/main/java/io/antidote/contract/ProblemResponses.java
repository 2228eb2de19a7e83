package io.antidote.contract;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Completes the generated API contract with what the resources cannot say in their signatures: every
 * operation's summary and tag, the problem documents it can answer (the exception mappers decide those, not
 * the methods) and an example of each request body. Operations live in one table so that an endpoint added
 * without a line here is caught by ApiContractTest, not shipped undocumented.
 */
public class ProblemResponses implements OASFilter {

    static final String PROBLEM = "application/problem+json";

    /** What the contract says of one operation beyond its generated shape. */
    record Doc(String tag, String summary, Set<Integer> problems, String requestExample) {
        Doc(String tag, String summary, Integer... problems) {
            this(tag, summary, Set.of(problems), null);
        }

        Doc withRequest(String example) {
            return new Doc(tag, summary, problems, example);
        }
    }

    /** Keyed by method and path as the document spells them. */
    static final Map<String, Doc> OPERATIONS = new LinkedHashMap<>();

    static {
        OPERATIONS.put("POST /api/v1/runs", new Doc("Runs", "Request a run (or, with dryRun, preview its scripts)",
                400, 409, 422).withRequest("""
                {"playbook": "proxylogon-remediation", "targets": ["exch-01"], "targetLabels": {"site": "paris"},
                 "params": {"patchShare": "\\\\\\\\files\\\\patches"}, "ticket": "CHG-1042", "onBusy": "WAIT", "dryRun": false}"""));
        OPERATIONS.put("GET /api/v1/runs", new Doc("Runs", "List runs, newest first, filtered and paged;"
                + " with Accept: text/event-stream, the list's changes as server-sent events", 400));
        OPERATIONS.put("GET /api/v1/runs/{id}", new Doc("Runs", "A run with its targets and steps", 404));
        OPERATIONS.put("GET /api/v1/runs/{id}/events", new Doc("Runs", "A run's hash-chained events in order;"
                + " with Accept: text/event-stream, live as server-sent events (Last-Event-ID resumes)", 404, 422));
        OPERATIONS.put("GET /api/v1/runs/{id}/approvals", new Doc("Runs", "The steps waiting for approval, each with"
                + " the exact script its next attempt will send and that script's SHA-256", 404));
        OPERATIONS.put("POST /api/v1/runs/{id}/approvals", new Doc("Runs", "Approve or reject a step waiting for approval",
                400, 403, 404, 409, 422).withRequest("""
                {"step": "patch", "target": "exch-01", "decision": "APPROVE", "comment": "maintenance window CHG-1042"}"""));
        OPERATIONS.put("POST /api/v1/runs/{id}/cancel", new Doc("Runs", "Cancel a run; undo steps then run",
                400, 404, 409, 422).withRequest("""
                {"mode": "FINISH_STEP"}"""));
        OPERATIONS.put("POST /api/v1/runs/{id}/targets/{target}/release", new Doc("Runs",
                "Release an isolated server to service on record, unverified", 400, 404, 409, 422).withRequest("""
                {"reason": "verified by hand after the DFIR review of CHG-1042"}"""));
        OPERATIONS.put("POST /api/v1/runs/{id}/retry", new Doc("Runs", "Go on from where an ended run failed: a linked"
                + " run for its targets that did not succeed, each from its failed step (an admin may skip steps on"
                + " record)", 400, 404, 409, 422).withRequest("""
                {"skip": [{"target": "exch-01", "step": "evidence", "reason": "log share full; evidence kept by DFIR, CHG-1042"}]}"""));
        OPERATIONS.put("GET /api/v1/runs/{id}/commands/{commandId}", new Doc("Runs", "A person's command that a replica"
                + " not carrying the run accepted (202): PENDING until the run's owner decides it, then APPLIED or"
                + " REFUSED with the problem", 404));
        OPERATIONS.put("GET /api/v1/runs/{id}/verification", new Doc("Audit",
                "Verify a run's hash chain and signed checkpoints", 404));
        OPERATIONS.put("GET /api/v1/runs/{id}/export", new Doc("Audit", "A run's events and checkpoints as JSON Lines", 404));
        OPERATIONS.put("GET /api/v1/audit/keys", new Doc("Audit", "The public keys checkpoints are signed with"));
        OPERATIONS.put("GET /api/v1/audit/export", new Doc("Audit", "Every run first recorded in [from, to) as JSON Lines",
                422));
        OPERATIONS.put("GET /api/v1/servers", new Doc("Audit",
                "Every server's last verdict, filtered by verdict word and labels", 400));
        OPERATIONS.put("GET /api/v1/servers/{name}", new Doc("Audit",
                "One server's last verdict with its evidence, and every run that named it", 404));
        OPERATIONS.put("GET /api/v1/playbooks", new Doc("Playbooks", "The playbooks in force"));
        OPERATIONS.put("GET /api/v1/playbooks/{name}", new Doc("Playbooks", "One playbook with its source", 404));
        OPERATIONS.put("GET /api/v1/playbooks/errors", new Doc("Playbooks", "Playbook files that do not load"));
        OPERATIONS.put("GET /api/v1/playbooks/schema", new Doc("Playbooks", "The JSON Schema of the playbook format"));
        OPERATIONS.put("GET /api/v1/steps", new Doc("Steps", "The step library"));
        OPERATIONS.put("GET /api/v1/steps/{name}", new Doc("Steps", "One library step with its PowerShell", 404));
        OPERATIONS.put("GET /api/v1/targets", new Doc("Targets", "The targets in the inventory (never credentials)"));
        OPERATIONS.put("GET /api/v1/targets/errors", new Doc("Targets", "Inventory entries left out at the last load"));
        OPERATIONS.put("POST /api/v1/targets/reload", new Doc("Targets", "Read the inventory again"));
        OPERATIONS.put("POST /api/v1/tokens", new Doc("Tokens", "Issue an API token (shown once) to a machine", 400, 422)
                .withRequest("""
                {"name": "servicenow", "roles": ["operator", "viewer"], "playbooks": ["proxylogon-ioc-scan"],
                 "expiresAt": "2027-06-30T00:00:00Z"}"""));
        OPERATIONS.put("GET /api/v1/tokens", new Doc("Tokens", "Every API token issued, without its text"));
        OPERATIONS.put("DELETE /api/v1/tokens/{id}", new Doc("Tokens", "Revoke an API token", 404, 409));
        OPERATIONS.put("POST /api/v1/webhooks", new Doc("Webhooks",
                "Subscribe a URL to run events or statuses, signed with a secret", 400, 422).withRequest("""
                {"url": "https://example.service-now.com/api/x_antidote/callback", "events": ["TargetVerdictRecorded"],
                 "statuses": ["SUCCEEDED", "FAILED", "CANCELLED"], "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                 "description": "ServiceNow: update the incident"}"""));
        OPERATIONS.put("GET /api/v1/webhooks", new Doc("Webhooks", "Every webhook subscription, secrets masked"));
        OPERATIONS.put("GET /api/v1/webhooks/{id}", new Doc("Webhooks", "One webhook subscription, its secret masked",
                404));
        OPERATIONS.put("DELETE /api/v1/webhooks/{id}", new Doc("Webhooks", "Disable a webhook subscription", 404, 409));
        OPERATIONS.put("GET /api/v1/webhooks/{id}/deliveries", new Doc("Webhooks",
                "A subscription's delivery log, newest first", 400, 404));
        OPERATIONS.put("POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay", new Doc("Webhooks",
                "Send a delivery again now, with the same webhook-id", 404, 409));
        OPERATIONS.put("POST /api/v1/alerts", new Doc("Alerts",
                "Send an alert: a rule may request a run for its server, once per window (docs/alerts.md)", 400, 422)
                .withRequest("""
                {"source": "defender", "externalId": "da637-4411", "server": "exch-01", "type": "webshell",
                 "severity": "high", "occurredAt": "2026-12-07T11:42:00Z", "summary": "China Chopper in aspnet_client"}"""));
        OPERATIONS.put("GET /api/v1/alerts", new Doc("Alerts",
                "Every alert received and what was decided, newest first, filtered and paged", 400));
        OPERATIONS.put("GET /api/v1/alerts/{id}", new Doc("Alerts", "One alert received and what was decided", 404));
        OPERATIONS.put("GET /lab/hosts", new Doc("Lab", "The simulated hosts (404 unless the lab is enabled)", 404));
        OPERATIONS.put("POST /lab/hosts", new Doc("Lab", "Create a simulated Exchange host", 404, 422).withRequest("""
                {"name": "lab-exch-01", "version": "2016", "cu": "CU19", "compromise": ["webshell"], "faults": []}"""));
        OPERATIONS.put("GET /lab/hosts/{name}", new Doc("Lab", "A simulated host's state", 404));
        OPERATIONS.put("DELETE /lab/hosts/{name}", new Doc("Lab", "Remove a simulated host", 404));
        OPERATIONS.put("GET /lab/hosts/{name}/commands", new Doc("Lab", "The commands a simulated host received", 404));
        OPERATIONS.put("GET /lab/hosts/{name}/faults", new Doc("Lab", "The faults set on a running simulated host", 404));
        OPERATIONS.put("POST /lab/hosts/{name}/faults", new Doc("Lab",
                "Set a fault on a running simulated host, now, at a command or for a window", 404, 422).withRequest("""
                {"kind": "freeze", "duration": "60s", "trigger": {"matching": "KB5000871"}}"""));
        OPERATIONS.put("DELETE /lab/hosts/{name}/faults", new Doc("Lab", "Clear the faults set on a running simulated host", 404));
    }

    /** An example problem per status, as the exception mappers write them. */
    static final Map<Integer, String[]> EXAMPLES = Map.of(
            400, new String[] {"Malformed request body", "Unrecognized field \"target\"", ProblemType.MALFORMED_BODY.uri()},
            401, new String[] {"Not authenticated", "an OIDC bearer token or an API token is required (docs/security.md)",
                    ProblemType.NOT_AUTHENTICATED.uri()},
            403, new String[] {"Not allowed",
                    "'alice' requested this run and the playbook does not let the requester approve step 'patch'",
                    ProblemType.NOT_ALLOWED.uri()},
            415, new String[] {"Unsupported media type", "a request body is application/json",
                    ProblemType.UNSUPPORTED_MEDIA_TYPE.uri()},
            404, new String[] {"Not found", "no run 5b0e8a52-6f1d-4c64-9d7e-0c1f2a3b4c5d", ProblemType.NOT_FOUND.uri()},
            409, new String[] {"Conflict with the run's state", "no step 'patch' waits for approval",
                    ProblemType.RUN_STATE_CONFLICT.uri()},
            422, new String[] {"Invalid request", "params.patchShare: is required", ProblemType.INVALID_REQUEST.uri()},
            500, new String[] {"Internal error", "see the service log for incident 0f3c2b1a-0000-4000-8000-000000000000",
                    ProblemType.INTERNAL_ERROR.uri()});

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            Doc doc = OPERATIONS.get(method + " " + path);
            if (doc == null) {
                return;  // left bare on purpose: ApiContractTest names it
            }
            operation.setSummary(doc.summary());
            operation.setTags(List.of(doc.tag()));
            Set<Integer> statuses = new TreeSet<>(doc.problems());
            statuses.add(500);
            // Every operation needs a credential and admits only some roles (docs/security.md).
            statuses.add(401);
            statuses.add(403);
            if (operation.getRequestBody() != null) {
                statuses.add(415);
            }
            if (operation.getResponses() == null) {
                operation.setResponses(OASFactory.createAPIResponses());
            }
            // Errors the scanner added on its own (a 400 for a bad parameter) are problems too.
            operation.getResponses().getAPIResponses().keySet().stream().filter(code -> code.matches("[45]\\d\\d"))
                    .map(Integer::valueOf).filter(EXAMPLES::containsKey).forEach(statuses::add);
            statuses.forEach(status -> addProblem(operation.getResponses(), status));
            if (doc.requestExample() != null && operation.getRequestBody() != null
                    && operation.getRequestBody().getContent() != null) {
                operation.getRequestBody().getContent().getMediaTypes().values()
                        .forEach(media -> media.setExample(doc.requestExample()));
            }
        }));
    }

    private static void addProblem(APIResponses responses, int status) {
        String[] example = EXAMPLES.get(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", example[2]);
        body.put("title", example[0]);
        body.put("status", status);
        body.put("detail", example[1]);
        MediaType media = OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))
                .example(body);
        Content content = OASFactory.createContent().addMediaType(PROBLEM, media);
        responses.addAPIResponse(String.valueOf(status), OASFactory.createAPIResponse()
                .description(example[0]).content(content));
    }
}
