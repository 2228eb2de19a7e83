package io.antidote.lab.powershell;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Renders output objects as Windows PowerShell's console would: strings and numbers one per
 * line; objects as tables or lists (the built-in views for services, files, processes, rules,
 * otherwise a table up to four properties and a list beyond); consecutive objects of one shape
 * share a table. Widths of tables without a fixed view fit their content. Lines end with CRLF.
 */
final class OutDefault {

    private static final String NL = "\r\n";

    record Column(String header, Function<Object, Object> value, int width, boolean right) {
    }

    /** How a group of objects is laid out: "table", "list", "files" or "tostring". */
    record View(String key, String kind, List<Column> columns) {
    }

    private final StringBuilder sb = new StringBuilder();
    private final List<Object> group = new ArrayList<>();
    private View groupView;

    void write(Object o) {
        if (o == null) {
            return;
        }
        if (o instanceof List) {
            for (Object e : Values.list(o)) {
                write(e);
            }
            return;
        }
        View v = viewFor(o);
        if (v == null) {
            endGroup();
            if (o instanceof ErrorRecord r) {
                sb.append(r.render());
            } else if (o instanceof FormatText f) {
                sb.append(f.text());
            } else {
                sb.append(scalarText(o)).append(NL);
            }
            return;
        }
        if (groupView == null || !groupView.key().equals(v.key())) {
            endGroup();
            groupView = v;
        }
        group.add(o);
    }

    void hostWrite(String text) {
        endGroup();
        sb.append(text);
    }

    int length() {
        return sb.length();
    }

    String text() {
        endGroup();
        return sb.toString();
    }

    void endGroup() {
        if (group.isEmpty()) {
            groupView = null;
            return;
        }
        switch (groupView.kind()) {
            case "table":
                renderTable(groupView.columns(), group, sb);
                break;
            case "list":
                renderList(groupView.columns(), group, sb);
                break;
            case "files":
                renderFiles(group, sb);
                break;
            default:
                sb.append(NL);
                for (Object o : group) {
                    sb.append(Values.toStr(o)).append(NL);
                }
                sb.append(NL);
        }
        group.clear();
        groupView = null;
    }

    // --- scalars and cells ---

    static String scalarText(Object o) {
        if (o instanceof LocalDateTime t) {
            return t.format(DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy h:mm:ss a", Locale.US));
        }
        if (o instanceof ScriptBlockValue sb) {
            return sb.block().text();
        }
        return Values.toStr(o);
    }

    static String cellText(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof List) {
            List<Object> l = Values.list(v);
            StringBuilder s = new StringBuilder("{");
            for (int i = 0; i < Math.min(4, l.size()); i++) {
                if (i > 0) {
                    s.append(", ");
                }
                s.append(cellText(l.get(i)));
            }
            if (l.size() > 4) {
                s.append("...");
            }
            return s.append('}').toString();
        }
        if (v instanceof LocalDateTime t) {
            return t.format(DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US));
        }
        if (v instanceof PsHashtable h) {
            List<String> parts = new ArrayList<>();
            for (Object k : h.keys()) {
                parts.add("[" + Values.toStr(k) + ", " + Values.toStr(h.get(k)) + "]");
            }
            return "{" + String.join(", ", parts) + "}";
        }
        return Values.toStr(v).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    // --- views ---

    private static Column col(String property, int width) {
        return new Column(property, o -> Members.get(o, property), width, false);
    }

    private static Column right(String property, int width) {
        return new Column(property, o -> Members.get(o, property), width, true);
    }

    static View viewFor(Object o) {
        if (o instanceof PsHashtable) {
            return new View("hashtable", "table", List.of(col("Name", 0), col("Value", 0)));
        }
        if (o instanceof PsVersion) {
            return new View("version", "table", List.of(right("Major", 0), right("Minor", 0), right("Build", 0),
                    right("Revision", 0)));
        }
        if (!(o instanceof PsObject p)) {
            return null;
        }
        switch (p.typeName()) {
            case "System.ServiceProcess.ServiceController":
                return new View(p.typeName(), "table", List.of(col("Status", 8), col("Name", 18), col("DisplayName", 38)));
            case "System.IO.FileInfo":
            case "System.IO.DirectoryInfo":
                return new View("files:" + Values.toStr(p.get("PSParentPath")).toLowerCase(Locale.ROOT), "files", List.of());
            case "Microsoft.PowerShell.Commands.MatchInfo":
                return new View(p.typeName(), "tostring", List.of());
            case "System.Diagnostics.Process":
                return new View(p.typeName(), "table", List.of(right("Handles", 7), right("NPM(K)", 6), right("PM(K)", 8),
                        right("WS(K)", 10), right("CPU(s)", 10), right("Id", 6), right("SI", 3), col("ProcessName", 0)));
            case "System.Management.ManagementObject#root\\cimv2\\Win32_QuickFixEngineering":
                return new View(p.typeName(), "table", List.of(col("Source", 13), col("Description", 15), col("HotFixID", 11),
                        col("InstalledBy", 20), col("InstalledOn", 0)));
            case "Microsoft.Exchange.Data.Directory.Management.ExchangeServer":
                return new View(p.typeName(), "table", List.of(col("Name", 15), col("Site", 18), col("ServerRole", 14),
                        col("Edition", 12), col("AdminDisplayVersion", 0)));
            case "System.Management.Automation.CmdletInfo":
            case "System.Management.Automation.ApplicationInfo":
            case "System.Management.Automation.AliasInfo":
                return new View("commandinfo", "table", List.of(col("CommandType", 15), col("Name", 50), col("Version", 10),
                        col("Source", 0)));
            case "System.Management.Automation.PathInfo":
                return new View(p.typeName(), "table", List.of(col("Path", 0)));
            case "Microsoft.PowerShell.Commands.GenericMeasureInfo":
                return new View(p.typeName(), "list", columns(p, List.of("Count", "Average", "Sum", "Maximum", "Minimum",
                        "Property")));
            default:
                break;
        }
        if (p.typeName().startsWith("Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule")) {
            return new View(p.typeName(), "list", columns(p, List.of("Name", "DisplayName", "Description", "DisplayGroup",
                    "Group", "Enabled", "Profile", "Platform", "Direction", "Action", "EdgeTraversalPolicy",
                    "LooseSourceMapping", "LocalOnlyMapping", "Owner", "PrimaryStatus", "Status", "EnforcementStatus",
                    "PolicyStoreSource", "PolicyStoreSourceType")));
        }
        List<String> props = p.propertyNames();
        if (props.isEmpty()) {
            return new View("tostring:" + p.typeName(), "tostring", List.of());
        }
        if (props.size() <= 4) {
            return new View("table:" + p.typeName() + ":" + String.join(",", props).toLowerCase(Locale.ROOT), "table",
                    columns(p, props));
        }
        return new View("list", "list", null);
    }

    private static List<Column> columns(PsObject p, List<String> props) {
        List<Column> cols = new ArrayList<>();
        for (String name : props) {
            cols.add(new Column(name, o -> Members.get(o, name), 0, false));
        }
        return cols;
    }

    // --- layouts ---

    static void renderTable(List<Column> columns, List<Object> objects, StringBuilder sb) {
        List<List<String>> rows = new ArrayList<>();
        List<Object[]> raw = new ArrayList<>();
        for (Object o : objects) {
            if (o instanceof PsHashtable h) {
                for (Object k : h.keys()) {
                    rows.add(List.of(cellText(k), cellText(h.get(k))));
                    raw.add(new Object[] {k, h.get(k)});
                }
                continue;
            }
            List<String> row = new ArrayList<>();
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                values[i] = columns.get(i).value().apply(o);
                row.add(cellText(values[i]));
            }
            rows.add(row);
            raw.add(values);
        }
        int n = columns.size();
        int[] widths = new int[n];
        boolean[] right = new boolean[n];
        for (int i = 0; i < n; i++) {
            Column c = columns.get(i);
            right[i] = c.right();
            if (!c.right()) {
                boolean numeric = !raw.isEmpty();
                for (Object[] r : raw) {
                    numeric &= r.length <= i || r[i] == null || Values.isNumber(r[i]);
                }
                final int column = i;
                right[i] = numeric && raw.stream().anyMatch(r -> r.length > column && r[column] != null);
            }
            if (c.width() > 0) {
                widths[i] = c.width();
            } else {
                int w = c.header().length();
                for (List<String> r : rows) {
                    w = Math.max(w, r.get(i).length());
                }
                widths[i] = w;
            }
        }
        sb.append(NL);
        List<String> headers = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Column c : columns) {
            headers.add(c.header());
            lines.add("-".repeat(c.header().length()));
        }
        sb.append(line(headers, widths, right)).append(NL);
        sb.append(line(lines, widths, right)).append(NL);
        for (List<String> r : rows) {
            sb.append(line(r, widths, right)).append(NL);
        }
        sb.append(NL).append(NL);
    }

    private static String line(List<String> cells, int[] widths, boolean[] right) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String text = cells.get(i);
            boolean last = i == cells.size() - 1;
            if (text.length() > widths[i] && !last) {
                text = widths[i] > 3 ? text.substring(0, widths[i] - 3) + "..." : text.substring(0, widths[i]);
            }
            if (right[i]) {
                s.append(" ".repeat(Math.max(0, widths[i] - text.length()))).append(text);
            } else {
                s.append(text);
                if (!last) {
                    s.append(" ".repeat(Math.max(0, widths[i] - text.length())));
                }
            }
            if (!last) {
                s.append(' ');
            }
        }
        return s.toString().replaceAll("\\s+$", "");
    }

    static void renderList(List<Column> columns, List<Object> objects, StringBuilder sb) {
        sb.append(NL);
        for (Object o : objects) {
            List<String> names = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            if (columns == null) {
                PsObject p = (PsObject) o;
                for (String name : p.propertyNames()) {
                    names.add(name);
                    values.add(p.get(name));
                }
            } else {
                for (Column c : columns) {
                    names.add(c.header());
                    values.add(c.value().apply(o));
                }
            }
            int w = names.stream().mapToInt(String::length).max().orElse(0);
            for (int i = 0; i < names.size(); i++) {
                String value = cellText(values.get(i));
                sb.append(names.get(i)).append(" ".repeat(w - names.get(i).length())).append(" : ").append(value);
                trimEnd(sb);
                sb.append(NL);
            }
            sb.append(NL);
        }
        sb.append(NL);
    }

    private static void trimEnd(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
    }

    static void renderFiles(List<Object> objects, StringBuilder sb) {
        PsObject first = (PsObject) objects.get(0);
        String parent = Values.toStr(first.get("PSParentPath"));
        if (parent.startsWith(FileSystemCmdlets.FS_PREFIX)) {
            parent = parent.substring(FileSystemCmdlets.FS_PREFIX.length());
        }
        sb.append(NL).append("    Directory: ").append(parent).append(NL).append(NL).append(NL);
        sb.append(String.format("%-7s %25s %14s %s", "Mode", "LastWriteTime", "Length", "Name")).append(NL);
        sb.append(String.format("%-7s %25s %14s %s", "----", "-------------", "------", "----")).append(NL);
        for (Object o : objects) {
            PsObject f = (PsObject) o;
            LocalDateTime t = (LocalDateTime) f.get("LastWriteTime");
            String when = String.format("%10s %8s", t.format(DateTimeFormatter.ofPattern("M/d/yyyy", Locale.US)),
                    t.format(DateTimeFormatter.ofPattern("h:mm a", Locale.US)));
            Object length = f.get("Length");
            sb.append(String.format("%-7s %25s %14s %s", Values.toStr(f.get("Mode")), when,
                    length == null ? "" : Values.toStr(length), Values.toStr(f.get("Name")))).append(NL);
        }
        sb.append(NL).append(NL);
    }

    /** Out-String: the objects rendered as one text. */
    static String render(List<Object> objects) {
        OutDefault o = new OutDefault();
        for (Object e : objects) {
            o.write(e);
        }
        return o.text();
    }
}
