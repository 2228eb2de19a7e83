package io.antidote.lab.exchange;

import java.time.LocalDate;

/** An Exchange security update on the server, as its registry key under Updates records it. */
public record InstalledUpdate(String kb, String packageName, LocalDate installedOn) {
}
