package io.antidote.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A playbook name is declared by one file: requests name playbooks, and two files claiming one name would let
 * the order of a directory listing decide which runs. Shared by the service's catalog and the CLI's lint, so both
 * refuse the same files with the same words.
 */
public final class PlaybookNames {

    private PlaybookNames() {
    }

    /**
     * The results by file, each valid playbook whose name another valid file also declares turned into an error at
     * its {@code name}, naming the other files; every other result as it was, in the same order.
     */
    public static Map<String, ParseResult> declaredOnce(Map<String, ParseResult> results) {
        Map<String, List<String>> filesByName = new LinkedHashMap<>();
        results.forEach((file, result) -> {
            if (result instanceof ParseResult.Valid valid) {
                filesByName.computeIfAbsent(valid.playbook().name(), name -> new ArrayList<>()).add(file);
            }
        });
        Map<String, ParseResult> checked = new LinkedHashMap<>();
        results.forEach((file, result) -> {
            if (result instanceof ParseResult.Valid valid && filesByName.get(valid.playbook().name()).size() > 1) {
                Playbook playbook = valid.playbook();
                List<String> others = filesByName.get(playbook.name()).stream().filter(f -> !f.equals(file)).toList();
                int[] position = YamlDocument.positionOfTopLevelValue(playbook.source(), "name");
                checked.put(file, new ParseResult.Invalid(file, List.of(new PlaybookError(file, position[0], position[1],
                        "playbook name '" + playbook.name() + "' is also declared by " + String.join(", ", others)
                                + "; none of these files is loaded until the name is declared once"))));
            } else {
                checked.put(file, result);
            }
        });
        return checked;
    }
}
