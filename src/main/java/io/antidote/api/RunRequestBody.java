package io.antidote.api;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/runs}. Unknown fields are refused (see application.properties).
 *
 * @param onBusy what to do when a target is held by another run: {@code WAIT} (the default) or
 *               {@code REFUSE} (409, nothing recorded)
 * @param dryRun {@code true}: validate and answer with the rendered scripts, writing and running nothing
 * @param targetLabels also act on every target carrying all these labels (resolved once, at request time)
 */
public record RunRequestBody(String playbook, List<String> targets, Map<String, Object> params, String ticket,
                             String onBusy, Boolean dryRun, Map<String, String> targetLabels) {

    boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }
}
