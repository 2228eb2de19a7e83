package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code params} of a playbook and the {@code inputs} of a library step (the same format,
 * docs/playbooks.md "Parameters"): each a PowerShell variable with a type, and a default, values or
 * pattern that fit it.
 */
final class ParamsReader {

    static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final List<String> PARAM_KEYS = List.of("type", "description", "default", "required", "values", "pattern",
            "maxLength");

    /**
     * PowerShell variables a parameter must not shadow or overwrite: constants, automatic variables
     * and those that change how the script runs (every *Preference variable is refused too).
     */
    private static final Set<String> RESERVED_VARIABLES = Set.of(
            "true", "false", "null", "_", "args", "input", "this", "psitem", "host", "error", "executioncontext",
            "home", "pid", "pwd", "pshome", "shellid", "myinvocation", "psboundparameters", "pscmdlet",
            "psscriptroot", "pscommandpath", "psversiontable", "psedition", "matches", "lastexitcode", "foreach",
            "switch", "event", "eventargs", "eventsubscriber", "sender", "stacktrace", "consolefilename",
            "nestedpromptlevel", "profile", "psculture", "psuiculture", "psdebugcontext", "iscoreclr", "islinux",
            "ismacos", "iswindows", "enabledexperimentalfeatures", "ofs", "psdefaultparametervalues",
            "pssessionoption", "pssessionconfigurationname", "pssessionapplicationname", "psemailserver",
            "maximumhistorycount", "formatenumerationlimit", "psnativecommandargumentpassing", "psstyle", "env");

    private final YamlValues yaml;

    ParamsReader(YamlValues yaml) {
        this.yaml = yaml;
    }

    /** {@code section}: params of a playbook, or inputs of a library step. */
    List<Param> read(Node node, String section) {
        MappingNode mapping = yaml.mapping(node, "'" + section + "'");
        if (mapping == null) {
            return List.of();
        }
        List<Param> params = new ArrayList<>();
        Map<String, Node> byLowerCase = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || key.getTag().equals(Tag.NULL)
                    || key.getTag().equals(Tag.MERGE)) {
                continue; // reported by keys() below
            }
            String name = key.getValue();
            if (!validParamName(key, name)) {
                continue;
            }
            Node first = byLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), key);
            if (first != null && !((ScalarNode) first).getValue().equals(name)) {
                yaml.error(key, "parameter '" + name + "' differs from parameter '" + ((ScalarNode) first).getValue()
                        + "' (line " + YamlDocument.line(first) + ") only by case, and PowerShell variable names ignore case");
                continue;
            }
            if (first != null) {
                continue; // an exact duplicate: reported by keys() below
            }
            Param param = param(name, tuple.getValueNode());
            if (param != null) {
                params.add(param);
            }
        }
        yaml.keys(mapping, "in " + section, null);
        return params;
    }

    private boolean validParamName(ScalarNode key, String name) {
        if (!PARAM_NAME.matcher(name).matches()) {
            yaml.error(key, "parameter name '" + Text.shorten(name) + "' is not a PowerShell variable name;"
                    + " expected letters, digits and underscores, not starting with a digit");
            return false;
        }
        if (name.length() > YamlValues.MAX_NAME_LENGTH) {
            yaml.error(key, "parameter name '" + Text.shorten(name, 40) + "' is longer than " + YamlValues.MAX_NAME_LENGTH
                    + " characters");
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("steps_")) {
            yaml.error(key, "parameter name '" + name + "' starts with 'steps_', which names the outputs of earlier"
                    + " steps; choose another name");
            return false;
        }
        if (lower.startsWith("antidote_")) {
            yaml.error(key, "parameter name '" + name + "' starts with 'antidote_', which names the variables Antidote"
                    + " gives scripts (such as $" + PackagePins.VARIABLE + "); choose another name");
            return false;
        }
        if (RESERVED_VARIABLES.contains(lower) || lower.endsWith("preference")) {
            yaml.error(key, "parameter name '" + name + "' is a PowerShell automatic or preference variable;"
                    + " choose another name");
            return false;
        }
        return true;
    }

    private Param param(String name, Node node) {
        String where = "in parameter '" + name + "'";
        MappingNode mapping = yaml.mapping(node, "parameter '" + name + "'");
        if (mapping == null) {
            return null;
        }
        Map<String, NodeTuple> keys = yaml.keys(mapping, where, PARAM_KEYS);
        int before = yaml.errorCount();

        ParamType type = null;
        if (!keys.containsKey("type")) {
            yaml.error(mapping, "missing required key 'type' " + where + "; expected one of: "
                    + String.join(", ", typeNames()));
        } else {
            Node typeNode = keys.get("type").getValueNode();
            String text = yaml.text(typeNode, "'type' " + where);
            if (text != null) {
                type = typeNames().contains(text) ? ParamType.valueOf(text.toUpperCase(Locale.ROOT)) : null;
                if (type == null) {
                    yaml.error(typeNode, "'type' " + where + " must be one of: " + String.join(", ", typeNames())
                            + ", found '" + Text.shorten(text) + "'");
                }
            }
        }
        String description = yaml.optionalText(keys, "description", "'description' " + where);

        List<String> values = List.of();
        if (keys.containsKey("values")) {
            NodeTuple tuple = keys.get("values");
            if (type != null && type != ParamType.ENUM) {
                yaml.error(tuple.getKeyNode(), "'values' " + where + " applies only to enum parameters, and this one is "
                        + type.yamlName());
            } else {
                values = enumValues(tuple.getValueNode(), where);
            }
        } else if (type == ParamType.ENUM) {
            yaml.error(keys.get("type").getValueNode(), "enum parameter '" + name
                    + "' needs 'values', the list of values it accepts");
        }

        Pattern pattern = null;
        String patternText = null;
        if (keys.containsKey("pattern")) {
            NodeTuple tuple = keys.get("pattern");
            if (type != null && type != ParamType.STRING && type != ParamType.SECRET) {
                yaml.error(tuple.getKeyNode(), "'pattern' " + where + " applies only to string and secret parameters,"
                        + " and this one is " + type.yamlName());
            } else {
                patternText = yaml.text(tuple.getValueNode(), "'pattern' " + where);
                pattern = yaml.regex(tuple.getValueNode(), patternText, "'pattern' " + where);
            }
        }

        int maxLength = Param.DEFAULT_MAX_LENGTH;
        if (keys.containsKey("maxLength")) {
            NodeTuple tuple = keys.get("maxLength");
            if (type != null && type != ParamType.STRING && type != ParamType.SECRET) {
                yaml.error(tuple.getKeyNode(), "'maxLength' " + where + " applies only to string and secret parameters,"
                        + " and this one is " + type.yamlName());
            } else {
                maxLength = maxLength(tuple.getValueNode(), where);
            }
        }

        Object defaultValue = null;
        Node defaultNode = keys.containsKey("default") ? keys.get("default").getValueNode() : null;
        if (defaultNode != null && type != null) {
            defaultValue = defaultValue(name, type, defaultNode, values, pattern, patternText);
        }

        boolean hasDefault = defaultNode != null;
        boolean required = !hasDefault;
        if (keys.containsKey("required")) {
            Node requiredNode = keys.get("required").getValueNode();
            Boolean flag = yaml.bool(requiredNode, "'required' " + where);
            if (flag != null) {
                required = flag;
                if (flag && hasDefault) {
                    yaml.error(requiredNode, "parameter '" + name + "' has a default, so it cannot be required;"
                            + " remove 'required: true' or the default");
                }
            }
        }
        if (type == null || yaml.errorCount() > before) {
            return null;
        }
        return new Param(name, type, description, defaultValue, required, values, patternText, maxLength);
    }

    /** A declared {@code maxLength}: a whole number of UTF-8 bytes from 1 to 256 KiB. */
    private int maxLength(Node node, String where) {
        Long value = yaml.integer(node, "'maxLength' " + where);
        if (value == null) {
            return Param.DEFAULT_MAX_LENGTH;
        }
        if (value < 1 || value > Param.MAX_MAX_LENGTH) {
            yaml.error(node, "'maxLength' " + where + " must be from 1 to " + Param.MAX_MAX_LENGTH + " bytes, found "
                    + value);
            return Param.DEFAULT_MAX_LENGTH;
        }
        return value.intValue();
    }

    private static List<String> typeNames() {
        List<String> names = new ArrayList<>();
        for (ParamType type : ParamType.values()) {
            names.add(type.yamlName());
        }
        return names;
    }

    private List<String> enumValues(Node node, String where) {
        SequenceNode list = yaml.list(node, "'values' " + where);
        if (list == null) {
            return List.of();
        }
        if (list.getValue().isEmpty()) {
            yaml.error(node, "'values' " + where + " must list at least one value");
        }
        List<String> values = new ArrayList<>();
        for (Node item : list.getValue()) {
            String value = yaml.text(item, "each of 'values' " + where);
            if (value == null) {
                continue;
            }
            if (values.contains(value)) {
                yaml.error(item, "value '" + Text.shorten(value) + "' is listed twice in 'values' " + where);
            } else {
                values.add(value);
            }
        }
        return values;
    }

    private Object defaultValue(String name, ParamType type, Node node, List<String> values, Pattern pattern,
                                String patternText) {
        String what = "the default of parameter '" + name + "'";
        switch (type) {
            case SECRET -> {
                yaml.error(node, "secret parameter '" + name + "' cannot have a default: secrets are given with each run,"
                        + " never written in a playbook");
                return null;
            }
            case INTEGER -> {
                return yaml.integer(node, what);
            }
            case BOOLEAN -> {
                return yaml.bool(node, what);
            }
            default -> {
                String text = yaml.text(node, what);
                if (text == null) {
                    return null;
                }
                if (type == ParamType.ENUM && !values.isEmpty() && !values.contains(text)) {
                    yaml.error(node, what + " is '" + Text.shorten(text) + "', which is not one of its values: "
                            + String.join(", ", values));
                }
                if (pattern != null && !pattern.matcher(text).matches()) {
                    yaml.error(node, what + " is '" + Text.shorten(text) + "', which does not match its pattern "
                            + Text.shorten(patternText));
                }
                return text;
            }
        }
    }
}
