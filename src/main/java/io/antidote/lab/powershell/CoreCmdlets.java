package io.antidote.lab.powershell;

import static io.antidote.lab.powershell.Param.Kind.*;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Cmdlets of Microsoft.PowerShell.Utility and Core: output, objects, pipelines, JSON. */
final class CoreCmdlets {

    private static final String UTILITY = "Microsoft.PowerShell.Utility";
    private static final String CORE = "Microsoft.PowerShell.Core";
    private static final String MANAGEMENT = "Microsoft.PowerShell.Management";

    private CoreCmdlets() {
    }

    private static String type(String verbNoun) {
        return "Microsoft.PowerShell.Commands." + verbNoun.replace("-", "") + "Command";
    }

    static void register() {
        Commands.add("Write-Output", type("Write-Output"), UTILITY, true, false, WriteOutput::new,
                Param.of("InputObject", OBJECT).pos(0).rest(), Param.of("NoEnumerate", SWITCH));
        Commands.add("Write-Host", type("Write-Host"), UTILITY, true, false, WriteHost::new,
                Param.of("Object", OBJECT).pos(0).rest(), Param.of("NoNewline", SWITCH), Param.of("Separator", OBJECT),
                Param.of("ForegroundColor", STRING), Param.of("BackgroundColor", STRING));
        Commands.add("Write-Error", type("Write-Error"), UTILITY, true, false, WriteError::new,
                Param.of("Message", STRING).pos(0).alias("Msg"), Param.of("Category", STRING),
                Param.of("ErrorId", STRING), Param.of("TargetObject", OBJECT), Param.of("RecommendedAction", STRING),
                Param.of("CategoryActivity", STRING).alias("Activity"), Param.of("CategoryReason", STRING).alias("Reason"),
                Param.of("CategoryTargetName", STRING).alias("TargetName"),
                Param.of("CategoryTargetType", STRING).alias("TargetType"), Param.of("ErrorRecord", OBJECT),
                Param.of("Exception", OBJECT));
        Commands.add("Write-Warning", type("Write-Warning"), UTILITY, true, false, WriteWarning::new,
                Param.of("Message", STRING).pos(0).alias("Msg"));
        Commands.add("Write-Verbose", type("Write-Verbose"), UTILITY, true, false, Discard::new,
                Param.of("Message", STRING).pos(0).alias("Msg"));
        Commands.add("Write-Debug", type("Write-Debug"), UTILITY, true, false, Discard::new,
                Param.of("Message", STRING).pos(0).alias("Msg"));
        Commands.add("Write-Progress", type("Write-Progress"), UTILITY, false, false, Discard::new,
                Param.of("Activity", STRING).pos(0), Param.of("Status", STRING).pos(1), Param.of("Id", INT).pos(2),
                Param.of("PercentComplete", INT), Param.of("Completed", SWITCH), Param.of("CurrentOperation", STRING),
                Param.of("SecondsRemaining", INT), Param.of("ParentId", INT));
        Commands.add("Out-Null", type("Out-Null"), CORE, true, false, Discard::new, Param.of("InputObject", OBJECT));
        Commands.add("Out-String", type("Out-String"), UTILITY, true, false, OutString::new,
                Param.of("InputObject", OBJECT), Param.of("Stream", SWITCH), Param.of("Width", INT));
        Commands.add("Out-Host", type("Out-Host"), CORE, true, false, OutHost::new, Param.of("InputObject", OBJECT),
                Param.of("Paging", SWITCH));
        Commands.add("Out-Default", type("Out-Default"), CORE, true, false, OutHost::new, Param.of("InputObject", OBJECT));
        Commands.add("Format-List", type("Format-List"), UTILITY, true, false, () -> new Format(false),
                Param.of("Property", OBJECTS).pos(0), Param.of("InputObject", OBJECT), Param.of("Force", SWITCH));
        Commands.add("Format-Table", type("Format-Table"), UTILITY, true, false, () -> new Format(true),
                Param.of("Property", OBJECTS).pos(0), Param.of("InputObject", OBJECT), Param.of("AutoSize", SWITCH),
                Param.of("Wrap", SWITCH), Param.of("HideTableHeaders", SWITCH), Param.of("Force", SWITCH));
        Commands.add("ConvertTo-Json", type("ConvertTo-Json"), UTILITY, true, false, ConvertToJson::new,
                Param.of("InputObject", OBJECT).pos(0), Param.of("Depth", INT), Param.of("Compress", SWITCH));
        Commands.add("ConvertTo-Xml", type("ConvertTo-Xml"), UTILITY, true, false, ConvertToXml::new,
                Param.of("InputObject", OBJECT).pos(0), Param.of("Depth", INT), Param.of("As", STRING),
                Param.of("NoTypeInformation", SWITCH));
        Commands.add("Select-Object", type("Select-Object"), UTILITY, true, false, SelectObject::new,
                Param.of("Property", OBJECTS).pos(0), Param.of("ExpandProperty", STRING), Param.of("First", INT),
                Param.of("Last", INT), Param.of("Skip", INT), Param.of("Unique", SWITCH), Param.of("InputObject", OBJECT),
                Param.of("ExcludeProperty", STRINGS));
        Commands.add("Where-Object", type("Where-Object"), CORE, true, false, WhereObject::new,
                Param.of("FilterScript", OBJECT).pos(0), Param.of("Property", STRING), Param.of("Value", OBJECT).pos(1),
                Param.of("InputObject", OBJECT), Param.of("EQ", SWITCH), Param.of("NE", SWITCH), Param.of("GT", SWITCH),
                Param.of("GE", SWITCH), Param.of("LT", SWITCH), Param.of("LE", SWITCH), Param.of("Like", SWITCH),
                Param.of("NotLike", SWITCH), Param.of("Match", SWITCH), Param.of("NotMatch", SWITCH),
                Param.of("Contains", SWITCH), Param.of("NotContains", SWITCH), Param.of("In", SWITCH),
                Param.of("NotIn", SWITCH), Param.of("CEQ", SWITCH), Param.of("CNE", SWITCH), Param.of("CLike", SWITCH),
                Param.of("CMatch", SWITCH), Param.of("Is", SWITCH), Param.of("IsNot", SWITCH));
        Commands.add("ForEach-Object", type("ForEach-Object"), CORE, true, false, ForEachObject::new,
                Param.of("Process", OBJECTS).pos(0).rest(), Param.of("Begin", SCRIPTBLOCK), Param.of("End", SCRIPTBLOCK),
                Param.of("MemberName", STRING), Param.of("ArgumentList", OBJECTS).alias("Args"),
                Param.of("InputObject", OBJECT), Param.of("RemainingScripts", SCRIPTBLOCKS));
        Commands.add("Sort-Object", type("Sort-Object"), UTILITY, true, false, SortObject::new,
                Param.of("Property", OBJECTS).pos(0), Param.of("Descending", SWITCH), Param.of("Unique", SWITCH),
                Param.of("CaseSensitive", SWITCH), Param.of("InputObject", OBJECT));
        Commands.add("Measure-Object", type("Measure-Object"), UTILITY, true, false, MeasureObject::new,
                Param.of("Property", STRINGS).pos(0), Param.of("Sum", SWITCH), Param.of("Average", SWITCH),
                Param.of("Maximum", SWITCH), Param.of("Minimum", SWITCH), Param.of("InputObject", OBJECT));
        Commands.add("Get-Date", type("Get-Date"), UTILITY, false, false, GetDate::new,
                Param.of("Date", OBJECT).pos(0), Param.of("Format", STRING), Param.of("UFormat", STRING));
        Commands.add("New-Object", type("New-Object"), UTILITY, false, false, NewObject::new,
                Param.of("TypeName", STRING).pos(0), Param.of("ArgumentList", OBJECTS).pos(1).alias("Args"),
                Param.of("Property", HASHTABLE), Param.of("ComObject", STRING));
        Commands.add("Add-PSSnapin", "Microsoft.PowerShell.Commands.AddPSSnapinCommand", CORE, false, false,
                AddSnapin::new, Param.of("Name", STRINGS).pos(0).required(), Param.of("PassThru", SWITCH));
        Commands.add("Import-Module", type("Import-Module"), CORE, false, false, ImportModule::new,
                Param.of("Name", STRINGS).pos(0).required(), Param.of("Force", SWITCH), Param.of("PassThru", SWITCH),
                Param.of("DisableNameChecking", SWITCH));
        Commands.add("Get-Location", type("Get-Location"), MANAGEMENT, false, false, GetLocation::new);
        Commands.add("Set-Location", type("Set-Location"), MANAGEMENT, false, false, SetLocation::new,
                Param.of("Path", STRING).pos(0), Param.of("LiteralPath", STRING), Param.of("PassThru", SWITCH));
    }

    // --- output ---

    static final class WriteOutput extends Cmdlet {
        @Override
        void process(Object input) {
            if (input != Interpreter.NO_INPUT) {
                ctx.write(input);
                return;
            }
            if (!ctx.has("InputObject")) {
                return;
            }
            Object v = ctx.get("InputObject");
            if (v == null) {
                return;
            }
            if (ctx.flag("NoEnumerate")) {
                ctx.write(v);
            } else {
                ctx.writeEnumerated(v);
            }
        }
    }

    static final class WriteHost extends Cmdlet {
        @Override
        void process(Object input) {
            Object value = input != Interpreter.NO_INPUT ? input : ctx.get("Object");
            String separator = ctx.has("Separator") ? Values.toStr(ctx.get("Separator")) : " ";
            ctx.hostWrite(text(value, separator), !ctx.flag("NoNewline"));
        }

        private static String text(Object value, String separator) {
            if (value instanceof List) {
                List<String> parts = new ArrayList<>();
                for (Object e : Values.list(value)) {
                    parts.add(text(e, separator));
                }
                return String.join(separator, parts);
            }
            return OutDefault.scalarText(value == null ? "" : value);
        }
    }

    static final class WriteError extends Cmdlet {
        @Override
        void process(Object input) {
            if (ctx.get("ErrorRecord") instanceof ErrorRecord r) {
                ctx.writeError(r);
                return;
            }
            String message = input != Interpreter.NO_INPUT ? Values.toStr(input) : ctx.string("Message");
            if (message == null && ctx.get("Exception") != null) {
                message = Values.toStr(Members.get(ctx.get("Exception"), "Message"));
            }
            Object target = ctx.get("TargetObject");
            String targetName = ctx.has("CategoryTargetName") ? ctx.string("CategoryTargetName")
                    : target == null ? "" : Values.toStr(target);
            String targetType = ctx.has("CategoryTargetType") ? ctx.string("CategoryTargetType")
                    : target == null ? "" : simple(Values.typeNameOf(target));
            String fqid = ctx.has("ErrorId") ? ctx.string("ErrorId") : "Microsoft.PowerShell.Commands.WriteErrorException";
            String category = ctx.has("Category") ? ctx.string("Category") : "NotSpecified";
            String activity = ctx.has("CategoryActivity") ? ctx.string("CategoryActivity") : "Write-Error";
            // At the top of -EncodedCommand the invocation is the command text itself.
            String prefix = ctx.in.script;
            ctx.writeError(new ErrorRecord(message == null ? "" : message,
                    "Microsoft.PowerShell.Commands.WriteErrorException", category, activity, targetName, targetType, fqid,
                    target, prefix, null));
        }
    }

    private static String simple(String typeName) {
        return typeName.substring(typeName.lastIndexOf('.') + 1);
    }

    static final class WriteWarning extends Cmdlet {
        @Override
        void process(Object input) {
            String message = input != Interpreter.NO_INPUT ? Values.toStr(input) : ctx.string("Message");
            String pref = Values.toStr(ctx.in.getVariable("WarningPreference"));
            if (ctx.has("WarningAction")) {
                pref = ctx.string("WarningAction");
            }
            if (pref.equals("SilentlyContinue") || pref.equals("Ignore")) {
                return;
            }
            ctx.hostWrite("WARNING: " + message, true);
            if (pref.equals("Stop")) {
                throw ctx.terminating(new ErrorRecord("The running command stopped because the preference variable "
                        + "\"WarningPreference\" or common parameter is set to Stop: " + message,
                        "System.Management.Automation.ActionPreferenceStopException", "OperationStopped", "", "", "",
                        "ActionPreferenceStop", null, null, ctx.in.position(ctx.extent)));
            }
        }
    }

    static final class Discard extends Cmdlet {
    }

    static final class OutString extends Cmdlet {
        private final List<Object> items = new ArrayList<>();

        @Override
        void process(Object input) {
            if (input != Interpreter.NO_INPUT) {
                items.add(input);
            } else if (ctx.has("InputObject")) {
                items.add(ctx.get("InputObject"));
            }
        }

        @Override
        void end() {
            String text = OutDefault.render(items);
            if (ctx.flag("Stream")) {
                for (String line : text.split("\r\n", -1)) {
                    ctx.write(line);
                }
            } else {
                ctx.write(text);
            }
        }
    }

    static final class OutHost extends Cmdlet {
        @Override
        void process(Object input) {
            Object v = input != Interpreter.NO_INPUT ? input : ctx.get("InputObject");
            ctx.in.toHost(v);
        }
    }

    static final class Format extends Cmdlet {
        private final boolean table;
        private final List<Object> items = new ArrayList<>();

        Format(boolean table) {
            this.table = table;
        }

        @Override
        void process(Object input) {
            if (input != Interpreter.NO_INPUT) {
                items.add(input);
            } else if (ctx.get("InputObject") != null) {
                items.addAll(Values.asList(ctx.get("InputObject")));
            }
        }

        @Override
        void end() {
            if (items.isEmpty()) {
                return;
            }
            List<Object> objects = new ArrayList<>();
            List<Object> scalars = new ArrayList<>();
            for (Object o : items) {
                (o instanceof PsObject || o instanceof PsHashtable ? objects : scalars).add(o);
            }
            StringBuilder sb = new StringBuilder();
            for (Object s : scalars) {
                sb.append(OutDefault.scalarText(s)).append("\r\n");
            }
            if (!objects.isEmpty()) {
                List<OutDefault.Column> columns = columns(objects);
                if (table) {
                    OutDefault.renderTable(columns, objects, sb);
                } else {
                    OutDefault.renderList(columns, objects, sb);
                }
            }
            ctx.write(new FormatText(sb.toString()));
        }

        private List<OutDefault.Column> columns(List<Object> objects) {
            List<Object> requested = ctx.get("Property") == null ? null : Values.list(ctx.get("Property"));
            List<String> names = new ArrayList<>();
            Object first = objects.get(0);
            List<String> available = first instanceof PsObject p ? p.propertyNames() : List.of("Name", "Value");
            if (requested == null) {
                OutDefault.View view = OutDefault.viewFor(first);
                if (view != null && view.columns() != null && !view.columns().isEmpty() && !(first instanceof PsHashtable)) {
                    return view.columns();
                }
                names.addAll(available);
            } else {
                for (Object r : requested) {
                    String pattern = Values.toStr(r);
                    if (Wildcard.hasWildcard(pattern)) {
                        for (String a : available) {
                            if (Wildcard.matches(pattern, a, false)) {
                                names.add(a);
                            }
                        }
                    } else {
                        names.add(first instanceof PsObject p && p.nameOf(pattern) != null ? p.nameOf(pattern) : pattern);
                    }
                }
            }
            List<OutDefault.Column> columns = new ArrayList<>();
            for (String n : names) {
                columns.add(new OutDefault.Column(n, o -> Members.get(o, n), 0, false));
            }
            return columns;
        }
    }

    // --- JSON ---

    static final class ConvertToJson extends Cmdlet {
        private final List<Object> items = new ArrayList<>();
        private boolean fromPipeline;

        @Override
        void begin() {
            int depth = ctx.integer("Depth", 2);
            if (depth < 0 || depth > 100) {
                throw ctx.terminating(new ErrorRecord("Cannot validate argument on parameter 'Depth'. The " + depth
                        + " argument is " + (depth < 0 ? "less than the minimum allowed range of 0. Supply an argument "
                        + "that is greater than or equal to 0" : "greater than the maximum allowed range of 100. Supply an "
                        + "argument that is less than or equal to 100") + " and then try the command again.",
                        "System.Management.Automation.ParameterBindingValidationException", "InvalidData", ctx.name(), "",
                        "", "ParameterArgumentValidationError," + ctx.info.implementingType(), null, ctx.prefix(),
                        ctx.in.position(ctx.extent)));
            }
        }

        @Override
        void process(Object input) {
            if (input != Interpreter.NO_INPUT) {
                fromPipeline = true;
                items.add(input);
            }
        }

        @Override
        void end() {
            Object value;
            if (!fromPipeline) {
                if (!ctx.has("InputObject")) {
                    return;
                }
                value = ctx.get("InputObject");
            } else if (items.size() == 1) {
                value = items.get(0);
            } else {
                value = items;
            }
            ctx.write(Json.serialize(value, ctx.integer("Depth", 2), ctx.flag("Compress")));
        }
    }

    /**
     * ConvertTo-Xml with {@code -As String} (one document for all input) or {@code -As Stream} (its lines); the
     * default, an XmlDocument object, is not modelled and says so.
     */
    static final class ConvertToXml extends Cmdlet {
        private final List<Object> items = new ArrayList<>();

        @Override
        void process(Object input) {
            if (input != Interpreter.NO_INPUT) {
                items.add(input);
            }
        }

        @Override
        void end() {
            if (items.isEmpty() && ctx.has("InputObject")) {
                items.add(ctx.get("InputObject"));
            }
            String as = ctx.has("As") ? Values.toStr(ctx.get("As")) : "Document";
            String xml = XmlText.objects(items, ctx.flag("NoTypeInformation"));
            if (as.equalsIgnoreCase("String")) {
                ctx.write(xml);
            } else if (as.equalsIgnoreCase("Stream")) {
                xml.lines().forEach(ctx::write);
            } else {
                throw new RuntimeError("The lab's ConvertTo-Xml writes -As String or -As Stream only, not an XmlDocument.",
                        "NotSupported", "NotImplemented", "System.NotSupportedException");
            }
        }
    }

    // --- objects ---

    static final class SelectObject extends Cmdlet {
        private final List<Object> buffer = new ArrayList<>();
        private int seen;
        private int written;

        @Override
        void process(Object input) {
            Object in = input;
            if (input == Interpreter.NO_INPUT) {
                if (!ctx.has("InputObject")) {
                    return;
                }
                in = ctx.get("InputObject");
            }
            if (ctx.has("Last") || ctx.flag("Unique")) {
                buffer.add(in);
                return;
            }
            int skip = ctx.integer("Skip", 0);
            if (seen++ < skip) {
                return;
            }
            if (ctx.has("First") && written >= ctx.integer("First", 0)) {
                return;
            }
            written++;
            emit(in);
        }

        @Override
        void end() {
            if (!(ctx.has("Last") || ctx.flag("Unique"))) {
                return;
            }
            List<Object> items = new ArrayList<>(buffer);
            if (ctx.flag("Unique")) {
                List<Object> unique = new ArrayList<>();
                for (Object o : items) {
                    if (unique.stream().noneMatch(u -> Values.psEquals(Values.toStr(u), Values.toStr(o), true))) {
                        unique.add(o);
                    }
                }
                items = unique;
            }
            int skip = Math.min(ctx.integer("Skip", 0), items.size());
            items = items.subList(skip, items.size());
            if (ctx.has("First")) {
                items = items.subList(0, Math.min(ctx.integer("First", 0), items.size()));
            }
            if (ctx.has("Last")) {
                int last = ctx.integer("Last", 0);
                items = items.subList(Math.max(0, items.size() - last), items.size());
            }
            for (Object o : items) {
                emit(o);
            }
        }

        private void emit(Object o) {
            if (ctx.has("ExpandProperty")) {
                String name = ctx.string("ExpandProperty");
                boolean present = o instanceof PsObject p ? p.has(name)
                        : o instanceof PsHashtable h ? h.containsKey(name) : Members.get(o, name) != null;
                if (!present) {
                    ctx.writeError(ctx.error("Property \"" + name + "\" cannot be found.", "InvalidArgument",
                            Values.toStr(o), "PSObject", o, "System.Management.Automation.PSArgumentException",
                            "ExpandPropertyNotFound"));
                    return;
                }
                ctx.writeEnumerated(Members.get(o, name));
                return;
            }
            if (ctx.get("Property") == null) {
                ctx.write(o);
                return;
            }
            String baseType = o instanceof PsObject p ? p.typeName() : Values.typeNameOf(o);
            PsObject selected = PsObject.typed("Selected." + baseType, PsObject.CUSTOM);
            for (Object spec : Values.list(ctx.get("Property"))) {
                if (spec instanceof PsHashtable h) {
                    Object label = first(h, "Name", "N", "Label", "L");
                    Object expression = first(h, "Expression", "E");
                    Object value = expression instanceof ScriptBlockValue sb
                            ? Values.unwrap(ctx.in.invokeScriptBlockCollect(sb, o))
                            : Members.get(o, Values.toStr(expression));
                    selected.add(Values.toStr(label != null ? label : expression), value);
                    continue;
                }
                String pattern = Values.toStr(spec);
                if (Wildcard.hasWildcard(pattern) && o instanceof PsObject p) {
                    for (String n : p.propertyNames()) {
                        if (Wildcard.matches(pattern, n, false)) {
                            selected.add(n, p.get(n));
                        }
                    }
                } else {
                    String name = o instanceof PsObject p && p.nameOf(pattern) != null ? p.nameOf(pattern) : pattern;
                    selected.add(name, Members.get(o, pattern));
                }
            }
            List<String> excluded = ctx.strings("ExcludeProperty");
            if (excluded != null) {
                PsObject filtered = PsObject.typed("Selected." + baseType, PsObject.CUSTOM);
                for (String n : selected.propertyNames()) {
                    if (excluded.stream().noneMatch(x -> Wildcard.matches(x, n, false))) {
                        filtered.add(n, selected.get(n));
                    }
                }
                selected = filtered;
            }
            ctx.write(selected);
        }

        private static Object first(PsHashtable h, String... keys) {
            for (String k : keys) {
                if (h.containsKey(k)) {
                    return h.get(k);
                }
            }
            return null;
        }
    }

    static final class WhereObject extends Cmdlet {
        private static final String[] OPERATORS = {"EQ", "NE", "GT", "GE", "LT", "LE", "Like", "NotLike", "Match",
                "NotMatch", "Contains", "NotContains", "In", "NotIn", "CEQ", "CNE", "CLike", "CMatch", "Is", "IsNot"};

        @Override
        void process(Object input) {
            Object in = input == Interpreter.NO_INPUT ? ctx.get("InputObject") : input;
            if (input == Interpreter.NO_INPUT && !ctx.has("InputObject")) {
                return;
            }
            Object filter = ctx.get("FilterScript");
            if (filter instanceof ScriptBlockValue sb) {
                if (Values.toBool(Values.unwrap(ctx.in.invokeScriptBlockCollect(sb, in)))) {
                    ctx.write(in);
                }
                return;
            }
            String property = ctx.has("Property") ? ctx.string("Property") : filter == null ? null : Values.toStr(filter);
            if (property == null) {
                throw ctx.terminating(ctx.error("Cannot process command because of one or more missing mandatory "
                        + "parameters: FilterScript.", "InvalidArgument", "", "",
                        null, "System.Management.Automation.ParameterBindingException", "MissingMandatoryParameter"));
            }
            Object value = Members.get(in, property);
            String op = null;
            for (String o : OPERATORS) {
                if (ctx.flag(o)) {
                    op = o.toLowerCase(Locale.ROOT);
                }
            }
            boolean keep = op == null ? Values.toBool(value)
                    : Values.toBool(Operators.binary(op, value, ctx.get("Value"), null));
            if (keep) {
                ctx.write(in);
            }
        }
    }

    static final class ForEachObject extends Cmdlet {
        private ScriptBlockValue beginBlock;
        private ScriptBlockValue processBlock;
        private ScriptBlockValue endBlock;
        private String member;

        @Override
        void begin() {
            List<Object> blocks = ctx.get("Process") == null ? List.of() : Values.list(ctx.get("Process"));
            beginBlock = (ScriptBlockValue) ctx.get("Begin");
            endBlock = (ScriptBlockValue) ctx.get("End");
            if (ctx.has("MemberName")) {
                member = ctx.string("MemberName");
            } else if (blocks.size() == 1 && !(blocks.get(0) instanceof ScriptBlockValue)) {
                member = Values.toStr(blocks.get(0));
            } else {
                for (Object b : blocks) {
                    if (!(b instanceof ScriptBlockValue)) {
                        throw ctx.terminating(ctx.error("Cannot bind parameter 'Process'. Cannot convert the \""
                                + Values.toStr(b) + "\" value of type \"" + Values.typeNameOf(b) + "\" to type "
                                + "\"System.Management.Automation.ScriptBlock\".", "InvalidArgument", "", "", null,
                                "System.Management.Automation.ParameterBindingException", "CannotConvertArgument"));
                    }
                }
                if (blocks.size() == 1) {
                    processBlock = (ScriptBlockValue) blocks.get(0);
                } else if (blocks.size() >= 2) {
                    if (beginBlock == null) {
                        beginBlock = (ScriptBlockValue) blocks.get(0);
                    }
                    processBlock = (ScriptBlockValue) blocks.get(1);
                    if (blocks.size() >= 3 && endBlock == null) {
                        endBlock = (ScriptBlockValue) blocks.get(2);
                    }
                }
            }
            if (beginBlock != null) {
                ctx.in.invokeScriptBlock(beginBlock, null, null, false, ctx.out);
            }
        }

        @Override
        void process(Object input) {
            Object in = input == Interpreter.NO_INPUT ? ctx.get("InputObject") : input;
            if (member != null) {
                if (ctx.has("ArgumentList")) {
                    ctx.writeEnumerated(Members.invoke(ctx.in, in, member, Values.list(ctx.get("ArgumentList"))));
                } else {
                    Object v = Members.get(in, member);
                    if (v == null && !(in instanceof PsObject p && p.has(member))) {
                        ctx.writeError(ctx.error("The input name \"" + member + "\" cannot be resolved to a member.",
                                "InvalidArgument", Values.toStr(in), "PSObject", in,
                                "System.Management.Automation.PSArgumentException", "PropertyOrMethodNotFound"));
                        return;
                    }
                    ctx.writeEnumerated(v);
                }
                return;
            }
            if (processBlock != null) {
                ctx.in.invokeScriptBlock(processBlock, in, ctx.get("ArgumentList"), false, ctx.out);
            }
        }

        @Override
        void end() {
            if (endBlock != null) {
                ctx.in.invokeScriptBlock(endBlock, null, null, false, ctx.out);
            }
        }
    }

    static final class SortObject extends Cmdlet {
        private final List<Object> items = new ArrayList<>();

        @Override
        void process(Object input) {
            if (input != Interpreter.NO_INPUT) {
                items.add(input);
            } else if (ctx.has("InputObject")) {
                items.add(ctx.get("InputObject"));
            }
        }

        @Override
        void end() {
            boolean cs = ctx.flag("CaseSensitive");
            List<Object> specs = ctx.get("Property") == null ? null : Values.list(ctx.get("Property"));
            List<Object[]> keyed = new ArrayList<>();
            for (Object o : items) {
                keyed.add(new Object[] {o, keys(o, specs)});
            }
            Comparator<Object[]> order = (a, b) -> {
                List<?> ka = (List<?>) a[1];
                List<?> kb = (List<?>) b[1];
                for (int i = 0; i < ka.size(); i++) {
                    int c;
                    try {
                        c = Values.psCompare(ka.get(i), kb.get(i), cs);
                    } catch (RuntimeError incomparable) {
                        c = Values.toStr(ka.get(i)).compareToIgnoreCase(Values.toStr(kb.get(i)));
                    }
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            };
            if (ctx.flag("Descending")) {
                order = order.reversed();
            }
            keyed.sort(order);
            List<Object[]> result = new ArrayList<>();
            for (Object[] k : keyed) {
                if (ctx.flag("Unique") && !result.isEmpty() && order.compare(result.get(result.size() - 1), k) == 0) {
                    continue;
                }
                result.add(k);
            }
            for (Object[] k : result) {
                ctx.write(k[0]);
            }
        }

        private List<Object> keys(Object o, List<Object> specs) {
            List<Object> keys = new ArrayList<>();
            if (specs == null) {
                keys.add(o instanceof PsObject || o instanceof PsHashtable ? Values.toStr(o) : o);
                return keys;
            }
            for (Object spec : specs) {
                if (spec instanceof ScriptBlockValue sb) {
                    keys.add(Values.unwrap(ctx.in.invokeScriptBlockCollect(sb, o)));
                } else if (spec instanceof PsHashtable h) {
                    Object e = h.containsKey("Expression") ? h.get("Expression") : h.get("E");
                    keys.add(e instanceof ScriptBlockValue sb ? Values.unwrap(ctx.in.invokeScriptBlockCollect(sb, o))
                            : Members.get(o, Values.toStr(e)));
                } else {
                    keys.add(Members.get(o, Values.toStr(spec)));
                }
            }
            return keys;
        }
    }

    static final class MeasureObject extends Cmdlet {
        private final List<Object> items = new ArrayList<>();

        @Override
        void process(Object input) {
            if (input != Interpreter.NO_INPUT) {
                items.add(input);
            } else if (ctx.has("InputObject")) {
                items.add(ctx.get("InputObject"));
            }
        }

        @Override
        void end() {
            List<String> properties = ctx.strings("Property");
            String property = properties == null || properties.isEmpty() ? null : properties.get(0);
            List<Object> values = new ArrayList<>();
            for (Object o : items) {
                Object v = property == null ? o : Members.get(o, property);
                if (property != null && v == null) {
                    continue;
                }
                values.add(v);
            }
            boolean stats = ctx.flag("Sum") || ctx.flag("Average") || ctx.flag("Maximum") || ctx.flag("Minimum");
            Double sum = null;
            Double min = null;
            Double max = null;
            if (stats) {
                double s = 0;
                for (Object v : values) {
                    double d;
                    try {
                        d = Values.toDouble(v);
                    } catch (RuntimeError notANumber) {
                        throw ctx.terminating(ctx.error("Input object \"" + Values.toStr(v) + "\" is not numeric.",
                                "InvalidType", Values.toStr(v), "String", v,
                                "System.Management.Automation.PSInvalidOperationException", "NonNumericInputObject"));
                    }
                    s += d;
                    min = min == null ? d : Math.min(min, d);
                    max = max == null ? d : Math.max(max, d);
                }
                sum = s;
            }
            PsObject result = PsObject.typed("Microsoft.PowerShell.Commands.GenericMeasureInfo",
                    "Microsoft.PowerShell.Commands.MeasureInfo")
                    .add("Count", values.size())
                    .add("Average", ctx.flag("Average") && !values.isEmpty() ? sum / values.size() : null)
                    .add("Sum", ctx.flag("Sum") ? sum : null)
                    .add("Maximum", ctx.flag("Maximum") ? max : null)
                    .add("Minimum", ctx.flag("Minimum") ? min : null)
                    .add("Property", property);
            ctx.write(result);
        }
    }

    static final class GetDate extends Cmdlet {
        @Override
        void process(Object input) {
            LocalDateTime t = ctx.has("Date") ? Values.toDateTime(ctx.get("Date")) : ctx.now();
            if (ctx.has("Format")) {
                ctx.write(Formatting.formatDate(t, ctx.string("Format")));
            } else if (ctx.has("UFormat")) {
                ctx.write(uformat(t, ctx.string("UFormat")));
            } else {
                ctx.write(t);
            }
        }

        private static String uformat(LocalDateTime t, String f) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < f.length(); i++) {
                char c = f.charAt(i);
                if (c != '%' || i + 1 >= f.length()) {
                    sb.append(c);
                    continue;
                }
                char k = f.charAt(++i);
                switch (k) {
                    case 'Y': sb.append(t.getYear()); break;
                    case 'm': sb.append(String.format("%02d", t.getMonthValue())); break;
                    case 'd': sb.append(String.format("%02d", t.getDayOfMonth())); break;
                    case 'H': sb.append(String.format("%02d", t.getHour())); break;
                    case 'M': sb.append(String.format("%02d", t.getMinute())); break;
                    case 'S': sb.append(String.format("%02d", t.getSecond())); break;
                    case 's': sb.append(t.toEpochSecond(java.time.ZoneOffset.UTC)); break;
                    default: sb.append('%').append(k);
                }
            }
            return sb.toString();
        }
    }

    static final class NewObject extends Cmdlet {
        @Override
        void process(Object input) {
            String type = ctx.string("TypeName");
            String t = type == null ? "" : type.toLowerCase(Locale.ROOT).replace("system.management.automation.", "");
            if (t.equals("psobject") || t.equals("pscustomobject") || t.equals("object") || t.equals("system.object")) {
                PsObject o = PsObject.custom();
                PsHashtable props = (PsHashtable) ctx.get("Property");
                if (props != null) {
                    for (Object k : props.keys()) {
                        o.add(Values.toStr(k), props.get(k));
                    }
                }
                ctx.write(o);
                return;
            }
            if (t.equals("system.collections.hashtable") || t.equals("hashtable")) {
                ctx.write(new PsHashtable());
                return;
            }
            throw ctx.terminating(ctx.error("Cannot find type [" + type + "]: verify that the assembly containing this "
                    + "type is loaded.", "InvalidType", "", "", null, "System.Management.Automation.PSArgumentException",
                    "TypeNotFound"));
        }
    }

    static final class AddSnapin extends Cmdlet {
        @Override
        void process(Object input) {
            for (String name : ctx.strings("Name")) {
                if (!name.toLowerCase(Locale.ROOT).startsWith("microsoft.exchange.management.powershell.")) {
                    ctx.writeError(ctx.error("The Windows PowerShell snap-in '" + name + "' is not installed on this "
                            + "computer.", "InvalidArgument", name, "String", name,
                            "System.Management.Automation.PSArgumentException", "AddPSSnapInRead"));
                }
            }
        }
    }

    static final class ImportModule extends Cmdlet {
        private static final List<String> KNOWN = List.of("netsecurity", "webadministration", "iisadministration",
                "microsoft.powershell.management", "microsoft.powershell.utility", "microsoft.powershell.security",
                "servermanager", "exchangepowershell");

        @Override
        void process(Object input) {
            for (String name : ctx.strings("Name")) {
                if (!KNOWN.contains(name.toLowerCase(Locale.ROOT))) {
                    ctx.writeError(ctx.error("The specified module '" + name + "' was not loaded because no valid module "
                            + "file was found in any module directory.", "ResourceUnavailable", name, "String", name,
                            "System.IO.FileNotFoundException", "Modules_ModuleNotFound"));
                }
            }
        }
    }

    static final class GetLocation extends Cmdlet {
        @Override
        void process(Object input) {
            ctx.write(ctx.in.getVariable("PWD"));
        }
    }

    static final class SetLocation extends Cmdlet {
        @Override
        void process(Object input) {
            String raw = ctx.has("LiteralPath") ? ctx.string("LiteralPath") : ctx.has("Path") ? ctx.string("Path")
                    : "C:\\Users\\Administrator";
            String path;
            try {
                path = ctx.in.resolvePath(raw);
            } catch (IllegalArgumentException bad) {
                path = raw;
            }
            if (Interpreter.isRegistryPath(path) || !ctx.server().files().isDirectory(path)) {
                ctx.writeError(FileSystemCmdlets.notFound(ctx, raw));
                return;
            }
            ctx.in.location = ctx.server().files().get(path).map(e -> e.path()).orElse(path);
            if (ctx.flag("PassThru")) {
                ctx.write(ctx.in.getVariable("PWD"));
            }
        }
    }
}
