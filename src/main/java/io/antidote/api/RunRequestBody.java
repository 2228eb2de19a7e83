package io.antidote.api;

import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/runs}. Unknown fields are refused (see application.properties). */
public record RunRequestBody(String playbook, List<String> targets, Map<String, Object> params, String ticket) {
}
