package io.antidote.engine;

import io.antidote.workflow.RunEvent;
import java.util.List;
import java.util.UUID;

/**
 * Told of every append {@link RunCommands} has committed, on the thread that learnt of the commit and
 * before anything the events ask for is carried out. The default does nothing; the orchestration
 * benchmark uses it to time from "outcome recorded" to "next step started". Must not block.
 */
public interface AppendListener {

    void committed(UUID runId, List<RunEvent> events);
}
