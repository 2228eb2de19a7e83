package io.antidote.api;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/runs}. Unknown fields are refused (see application.properties).
 *
 * @param onBusy what to do when a target is held by another run: {@code WAIT} (the default) or
 *               {@code REFUSE} (409, nothing recorded)
 */
public record RunRequestBody(String playbook, List<String> targets, Map<String, Object> params, String ticket,
                             String onBusy) {
}
