package io.antidote.lab.exchange;

import java.time.LocalDateTime;

/** One record of a Windows event log (only the Application log is modelled). */
public record EventLogEntry(String logName, String providerName, int id, String level, LocalDateTime timeCreated,
                            String message) {
}
