package io.antidote.playbook;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code powershell} of a step or library step: present, not blank, and free of what the
 * renderer cannot put after the param block it generates (docs/playbooks.md "How parameters reach the
 * script").
 */
final class ScriptReader {

    private final YamlValues yaml;

    ScriptReader(YamlValues yaml) {
        this.yaml = yaml;
    }

    /** The script under 'powershell' of {@code mapping}, or null once its problems are recorded. */
    String read(Map<String, NodeTuple> keys, MappingNode mapping, String where) {
        if (!keys.containsKey("powershell")) {
            yaml.error(mapping, "missing required key 'powershell' " + where);
            return null;
        }
        Node scriptNode = keys.get("powershell").getValueNode();
        String powershell = yaml.text(scriptNode, "'powershell' " + where);
        if (powershell != null && powershell.isBlank()) {
            yaml.error(scriptNode, "'powershell' " + where + " must not be blank");
        } else if (powershell != null) {
            checkCharacters(scriptNode, powershell, where);
            checkHeader((ScalarNode) scriptNode, powershell, where);
        }
        return powershell;
    }

    /** Escapes in a double-quoted scalar can put characters in a script that no transport carries intact. */
    private void checkCharacters(Node node, String script, String where) {
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F && c <= 0x9F
                    || c == 0xFFFE || c == 0xFFFF || Character.isSurrogate(c) && Text.unpairedSurrogate(script) >= 0) {
                yaml.error(node, String.format("'powershell' %s contains the control character U+%04X, which cannot be"
                        + " sent to a host; build it in the script, e.g. [char]0x%X", where, (int) c, (int) c));
                return;
            }
        }
    }

    private void checkHeader(ScalarNode node, String script, String where) {
        Optional<ScriptHeader.Finding> finding = ScriptHeader.find(script);
        if (finding.isEmpty()) {
            return;
        }
        ScriptHeader.Finding found = finding.get();
        int line = YamlDocument.line(node);
        int column = node.getStartMark().getColumn() + 1;
        // In a literal block (|) each line of the script is a line of the file, so we can point at it.
        if (node.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL) {
            line = node.getStartMark().getLine() + 2 + found.line();
            String word = found.kind() == ScriptHeader.Kind.PARAM_BLOCK ? "param" : "using";
            String text = yaml.document().sourceLine(line);
            int at = text.toLowerCase(Locale.ROOT).indexOf(word);
            column = at >= 0 ? text.codePointCount(0, at) + 1 : 1;
        }
        String message = found.kind() == ScriptHeader.Kind.PARAM_BLOCK
                ? "'powershell' " + where + " declares its own param(...) block; declare parameters under"
                + " 'params' instead, and Antidote generates the param block from them"
                : "'powershell' " + where + " starts with a 'using' statement, which PowerShell accepts only before"
                + " the param block that Antidote puts first; use full type names instead";
        yaml.document().error(line, column, message);
    }
}
