package io.antidote.workflow;

/**
 * What the marker a change-making step's script leaves on its host said when the engine probed it, after the
 * attempt's outcome was lost (a crash, an adoption, a reply that never came). The script writes STARTED as its
 * first act and COMPLETED (with its exit code when it ran to its end) as its last, so the marker tells an
 * attempt that never began from one that began and one that finished.
 */
public enum HostMarker {
    /** The script finished; the probe found its outcome (or found that its exit code is unknown). */
    COMPLETED,
    /** The script began and did not finish: it died, or it is still running. */
    STARTED,
    /** No marker: the script never began, or the host lost the marker. */
    ABSENT,
    /** The probe could not read the host (unreachable, an unreadable marker): nothing is known. */
    UNREADABLE
}
