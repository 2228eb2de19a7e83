package io.antidote.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A parsed and validated playbook.
 *
 * @param file   where it was read from, as given to the parser
 * @param source the exact text it was parsed from, so a run can record what it ran
 * @param digest lowercase hex SHA-256 of the UTF-8 bytes of {@link #versionText()}: of {@code source}
 *               alone when the playbook uses no library step
 * @param library the library steps its steps use, by name: part of its identity
 * @param targets the targets a run acts on when its request selects none
 */
public record Playbook(String name, String description, int version, Map<String, List<String>> references,
                       List<Param> params, List<Step> steps, String file, String source, String digest,
                       Rollout rollout, Map<String, LibraryStep> library, TargetSelector targets) {

    public Playbook(String name, String description, int version, Map<String, List<String>> references,
                    List<Param> params, List<Step> steps, String file, String source, String digest,
                    Rollout rollout) {
        this(name, description, version, references, params, steps, file, source, digest, rollout, Map.of(),
                TargetSelector.NONE);
    }

    public Playbook(String name, String description, int version, Map<String, List<String>> references,
                    List<Param> params, List<Step> steps, String file, String source, String digest) {
        this(name, description, version, references, params, steps, file, source, digest, Rollout.DEFAULT);
    }

    public Playbook {
        rollout = rollout == null ? Rollout.DEFAULT : rollout;
        description = description == null ? "" : description;
        LinkedHashMap<String, List<String>> refs = new LinkedHashMap<>();
        if (references != null) {
            references.forEach((kind, items) -> refs.put(kind, List.copyOf(items)));
        }
        references = Collections.unmodifiableMap(refs);
        params = params == null ? List.of() : List.copyOf(params);
        steps = List.copyOf(steps);
        library = library == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(library));
        targets = targets == null ? TargetSelector.NONE : targets;
    }

    /**
     * Everything this version of the playbook is made of, as stored by digest so that a run requested with
     * it can be reproduced exactly: the source itself, or a bundle of the source and the text of every
     * library step it uses ({@link VersionText}).
     */
    public String versionText() {
        return VersionText.of(source, library);
    }

    public Optional<Step> step(String id) {
        return steps.stream().filter(step -> step.id().equals(id)).findFirst();
    }

    public Optional<Param> param(String name) {
        return params.stream().filter(param -> param.name().equals(name)).findFirst();
    }
}
