package io.antidote.lab.exchange;

import java.time.LocalDate;

/**
 * A Windows update as Get-HotFix (Win32_QuickFixEngineering) lists it. Exchange security updates
 * are Windows Installer patches and never appear here, which the lab reproduces.
 */
public record Hotfix(String hotFixId, String description, String installedBy, LocalDate installedOn) {
}
