package io.antidote.playbook;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the catalog keeps, beyond its own process, the version of each playbook file in force: after a
 * restart, a file that is broken now still provides the last version of it that was valid. Files are named
 * relative to the playbook directory. Called from the catalog's own threads (start-up, reload), never from an
 * event loop, so an implementation may block.
 */
public interface LastValidVersions {

    /** Keeps nothing: a catalog on its own, as in unit tests. */
    LastValidVersions NONE = new LastValidVersions() {
        @Override
        public Optional<Playbook> lastValid(String file) {
            return Optional.empty();
        }

        @Override
        public void inForce(Map<String, Playbook> validByFile, Set<String> files) {
        }
    };

    /** The version of this file last in force, if one was ever kept. */
    Optional<Playbook> lastValid(String file);

    /**
     * The files that are valid now and their playbooks, among all the files found ({@code files}): what is
     * kept for a file no longer there is forgotten.
     */
    void inForce(Map<String, Playbook> validByFile, Set<String> files);
}
