package io.antidote.engine;

import io.antidote.workflow.RunEvent;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Nobody listens to appends unless a benchmark does. */
@DefaultBean
@ApplicationScoped
class NoAppendListener implements AppendListener {

    @Override
    public void committed(UUID runId, List<RunEvent> events) {
    }
}
