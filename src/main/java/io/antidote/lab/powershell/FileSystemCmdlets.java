package io.antidote.lab.powershell;

import static io.antidote.lab.powershell.Param.Kind.*;

import io.antidote.lab.exchange.LabFileSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cmdlets of the FileSystem and Registry providers, over the server's disk and registry. */
final class FileSystemCmdlets {

    private static final String MANAGEMENT = "Microsoft.PowerShell.Management";
    private static final String UTILITY = "Microsoft.PowerShell.Utility";
    static final String FS_PREFIX = "Microsoft.PowerShell.Core\\FileSystem::";
    static final String REG_PREFIX = "Microsoft.PowerShell.Core\\Registry::";

    private FileSystemCmdlets() {
    }

    private static String type(String verbNoun) {
        return "Microsoft.PowerShell.Commands." + verbNoun.replace("-", "") + "Command";
    }

    static void register() {
        Commands.add("Join-Path", type("Join-Path"), MANAGEMENT, true, false, JoinPath::new,
                Param.of("Path", STRINGS).pos(0).required().nonEmpty().fromPipeline().alias("PSPath"),
                Param.of("ChildPath", STRING).pos(1).required(), Param.of("Resolve", SWITCH));
        Commands.add("Test-Path", type("Test-Path"), MANAGEMENT, true, false, TestPath::new,
                // Path and LiteralPath are two parameter sets: one of them is mandatory (checked in TestPath).
                Param.of("Path", STRINGS).pos(0).nonEmpty().fromPipeline(),
                Param.of("LiteralPath", STRINGS).alias("PSPath"), Param.of("PathType", STRING).oneOf("Any", "Container", "Leaf"),
                Param.of("IsValid", SWITCH));
        Commands.add("Get-ChildItem", type("Get-ChildItem"), MANAGEMENT, true, false, GetChildItem::new,
                Param.of("Path", STRINGS).pos(0), Param.of("LiteralPath", STRINGS).alias("PSPath"),
                Param.of("Filter", STRING).pos(1), Param.of("Include", STRINGS), Param.of("Exclude", STRINGS),
                Param.of("Recurse", SWITCH).alias("s"), Param.of("Depth", INT), Param.of("Force", SWITCH),
                Param.of("Name", SWITCH), Param.of("File", SWITCH), Param.of("Directory", SWITCH).alias("ad", "d"),
                Param.of("Hidden", SWITCH), Param.of("ReadOnly", SWITCH), Param.of("System", SWITCH),
                Param.of("Attributes", STRING));
        Commands.add("Get-Item", type("Get-Item"), MANAGEMENT, true, false, GetItem::new,
                Param.of("Path", STRINGS).pos(0).required().fromPipeline(), Param.of("LiteralPath", STRINGS).alias("PSPath"),
                Param.of("Force", SWITCH));
        Commands.add("Get-Content", type("Get-Content"), MANAGEMENT, true, false, GetContent::new,
                Param.of("Path", STRINGS).pos(0).required().fromPipeline(), Param.of("LiteralPath", STRINGS).alias("PSPath"),
                Param.of("Raw", SWITCH), Param.of("TotalCount", INT).alias("First", "Head"), Param.of("Tail", INT).alias("Last"),
                Param.of("Encoding", STRING), Param.of("ReadCount", INT), Param.of("Force", SWITCH));
        Commands.add("Select-String", type("Select-String"), UTILITY, true, false, SelectString::new,
                Param.of("Pattern", STRINGS).pos(0).required(), Param.of("Path", STRINGS).pos(1),
                Param.of("LiteralPath", STRINGS).alias("PSPath"), Param.of("InputObject", OBJECT),
                Param.of("SimpleMatch", SWITCH), Param.of("CaseSensitive", SWITCH), Param.of("List", SWITCH),
                Param.of("NotMatch", SWITCH), Param.of("Quiet", SWITCH), Param.of("AllMatches", SWITCH),
                Param.of("Encoding", STRING), Param.of("Include", STRINGS), Param.of("Exclude", STRINGS));
        Commands.add("Get-ItemProperty", type("Get-ItemProperty"), MANAGEMENT, true, false, GetItemProperty::new,
                Param.of("Path", STRINGS).pos(0).required().fromPipeline(), Param.of("Name", STRINGS).pos(1),
                Param.of("LiteralPath", STRINGS).alias("PSPath"));
        Commands.add("Get-ItemPropertyValue", type("Get-ItemPropertyValue"), MANAGEMENT, true, false,
                GetItemPropertyValue::new, Param.of("Path", STRINGS).pos(0).fromPipeline(),
                Param.of("Name", STRINGS).pos(1).required(), Param.of("LiteralPath", STRINGS).alias("PSPath"));
        Commands.add("Remove-Item", type("Remove-Item"), MANAGEMENT, true, true, RemoveItem::new,
                Param.of("Path", STRINGS).pos(0).required().fromPipeline(), Param.of("LiteralPath", STRINGS).alias("PSPath"),
                Param.of("Recurse", SWITCH), Param.of("Force", SWITCH), Param.of("Include", STRINGS),
                Param.of("Exclude", STRINGS), Param.of("Filter", STRING));
        Commands.add("New-Item", type("New-Item"), MANAGEMENT, true, true, NewItem::new,
                Param.of("Path", STRINGS).pos(0), Param.of("Name", STRING), Param.of("ItemType", STRING).alias("Type"),
                Param.of("Value", OBJECT), Param.of("Force", SWITCH));
        Commands.add("Set-Content", type("Set-Content"), MANAGEMENT, true, true, () -> new SetContent(false),
                Param.of("Path", STRINGS).pos(0).required(), Param.of("Value", OBJECTS).pos(1).fromPipeline(),
                Param.of("LiteralPath", STRINGS).alias("PSPath"), Param.of("Encoding", STRING), Param.of("NoNewline", SWITCH),
                Param.of("Force", SWITCH), Param.of("PassThru", SWITCH));
        Commands.add("Add-Content", type("Add-Content"), MANAGEMENT, true, true, () -> new SetContent(true),
                Param.of("Path", STRINGS).pos(0).required(), Param.of("Value", OBJECTS).pos(1).fromPipeline(),
                Param.of("LiteralPath", STRINGS).alias("PSPath"), Param.of("Encoding", STRING), Param.of("NoNewline", SWITCH),
                Param.of("Force", SWITCH), Param.of("PassThru", SWITCH));
        Commands.add("Out-File", type("Out-File"), UTILITY, true, true, OutFile::new,
                Param.of("FilePath", STRING).pos(0).required().alias("Path"), Param.of("InputObject", OBJECT),
                Param.of("Append", SWITCH), Param.of("Encoding", STRING).pos(1), Param.of("Force", SWITCH),
                Param.of("NoNewline", SWITCH), Param.of("Width", INT), Param.of("NoClobber", SWITCH));
        Commands.add("Copy-Item", type("Copy-Item"), MANAGEMENT, true, true, () -> new CopyMove(false),
                Param.of("Path", STRINGS).pos(0).fromPipeline(), Param.of("Destination", STRING).pos(1),
                Param.of("LiteralPath", STRINGS).alias("PSPath"), Param.of("Recurse", SWITCH), Param.of("Force", SWITCH),
                Param.of("PassThru", SWITCH));
        Commands.add("Move-Item", type("Move-Item"), MANAGEMENT, true, true, () -> new CopyMove(true),
                Param.of("Path", STRINGS).pos(0).fromPipeline(), Param.of("Destination", STRING).pos(1),
                Param.of("LiteralPath", STRINGS).alias("PSPath"), Param.of("Force", SWITCH), Param.of("PassThru", SWITCH));
    }

    // --- shared ---

    static ErrorRecord notFound(CommandContext ctx, String path) {
        return ctx.error("Cannot find path '" + path + "' because it does not exist.", "ObjectNotFound", path, "String",
                path, "System.Management.Automation.ItemNotFoundException", "PathNotFound");
    }

    static ErrorRecord driveNotFound(CommandContext ctx, String drive) {
        return ctx.error("Cannot find drive. A drive with the name '" + drive + "' does not exist.", "ObjectNotFound",
                drive, "String", drive, "System.Management.Automation.DriveNotFoundException", "DriveNotFound");
    }

    /** A path given to a cmdlet: its resolved form, or empty when it names no drive the host has. */
    static Optional<String> resolve(CommandContext ctx, String raw) {
        try {
            String p = ctx.in.resolvePath(raw);
            return Optional.of(p);
        } catch (IllegalArgumentException bad) {
            return Optional.empty();
        }
    }

    /** A drive letter or PowerShell drive the path starts with, if the host has no such drive. */
    static String missingDrive(String path) {
        Matcher m = Pattern.compile("^([A-Za-z][A-Za-z0-9]*):").matcher(path);
        if (!m.find()) {
            return null;
        }
        String d = m.group(1);
        if (d.equalsIgnoreCase("C") || d.equalsIgnoreCase("HKLM") || d.equalsIgnoreCase("HKCU")
                || d.equalsIgnoreCase("Env") || d.equalsIgnoreCase("Variable") || d.equalsIgnoreCase("Function")
                || d.equalsIgnoreCase("Alias") || d.equalsIgnoreCase("Cert") || d.equalsIgnoreCase("WSMan")
                || d.equalsIgnoreCase("Registry") || d.equalsIgnoreCase("FileSystem")
                || d.equalsIgnoreCase("Microsoft")) {
            return null;
        }
        return d;
    }

    /** Existing entries a (possibly wildcarded) absolute path names, in order. */
    static List<LabFileSystem.Entry> expand(LabFileSystem fs, String path) {
        if (!Wildcard.hasWildcard(path)) {
            return fs.get(path).map(List::of).orElse(List.of());
        }
        String[] segments = path.split("\\\\");
        List<String> current = new ArrayList<>();
        current.add(segments[0] + "\\");
        for (int i = 1; i < segments.length; i++) {
            String seg = segments[i];
            if (seg.isEmpty()) {
                continue;
            }
            List<String> next = new ArrayList<>();
            for (String dir : current) {
                if (!Wildcard.hasWildcard(seg)) {
                    String candidate = LabFileSystem.normalize(dir + "\\" + seg);
                    if (fs.exists(candidate)) {
                        next.add(candidate);
                    }
                    continue;
                }
                if (!fs.isDirectory(dir)) {
                    continue;
                }
                for (LabFileSystem.Entry child : fs.children(dir)) {
                    if (Wildcard.matches(seg, child.name(), false)) {
                        next.add(child.path());
                    }
                }
            }
            current = next;
        }
        List<LabFileSystem.Entry> out = new ArrayList<>();
        for (String p : current) {
            fs.get(p).ifPresent(out::add);
        }
        return out;
    }

    /** A FileInfo or DirectoryInfo. Items listed from a folder print as their name, as in 5.1. */
    static PsObject item(LabFileSystem.Entry e, boolean listed) {
        String full = e.path();
        String parent = LabFileSystem.parent(full).orElse("");
        String name = e.name();
        int dot = name.lastIndexOf('.');
        String extension = dot <= 0 && !e.directory() ? (dot == 0 ? name : "") : dot < 0 ? "" : name.substring(dot);
        PsObject o = PsObject.typed(e.directory() ? "System.IO.DirectoryInfo" : "System.IO.FileInfo",
                "System.IO.FileSystemInfo", "System.MarshalByRefObject");
        o.add("PSPath", FS_PREFIX + full).add("PSParentPath", FS_PREFIX + parent).add("PSChildName", name)
                .add("PSDrive", full.length() > 1 && full.charAt(1) == ':' ? full.substring(0, 1) : null)
                .add("PSProvider", "Microsoft.PowerShell.Core\\FileSystem").add("PSIsContainer", e.directory())
                .add("Mode", e.directory() ? "d-----" : "-a----")
                .add("BaseName", e.directory() || dot <= 0 ? name : name.substring(0, dot))
                .add("Name", name).add("FullName", full).add("Extension", extension);
        if (e.directory()) {
            o.add("Parent", parent.isEmpty() ? null : LabFileSystem.parent(full).map(p -> p.substring(p.lastIndexOf('\\') + 1))
                    .orElse(null));
            o.add("Root", full.substring(0, Math.min(3, full.length())));
        } else {
            o.add("DirectoryName", parent).add("Directory", parent).add("Length", e.length()).add("IsReadOnly", false);
        }
        o.add("Exists", true).add("CreationTime", e.lastWriteTime()).add("LastAccessTime", e.lastWriteTime())
                .add("LastWriteTime", e.lastWriteTime())
                .add("Attributes", new EnumValue("System.IO.FileAttributes", e.directory() ? "Directory" : "Archive",
                        e.directory() ? 16 : 32));
        return o.toStringAs(x -> listed ? name : full);
    }

    /** The path an input object stands for: a file object's full name, or the string itself. */
    static String pathOf(Object input) {
        if (input instanceof PsObject o && o.has("PSPath")) {
            String p = Values.toStr(o.get("PSPath"));
            if (p.startsWith(FS_PREFIX)) {
                return p.substring(FS_PREFIX.length());
            }
            if (p.startsWith(REG_PREFIX)) {
                return p;
            }
            return o.has("FullName") ? Values.toStr(o.get("FullName")) : p;
        }
        return Values.toStr(input);
    }

    /** -Path and -LiteralPath are two parameter sets, each making its own parameter mandatory. */
    static void requirePathOrLiteralPath(CommandContext ctx, Object input) {
        if (input == Interpreter.NO_INPUT && !ctx.has("Path") && !ctx.has("LiteralPath")) {
            throw ctx.terminating(ctx.error("Cannot process command because of one or more missing mandatory "
                    + "parameters: Path.", "InvalidArgument", "", "", null,
                    "System.Management.Automation.ParameterBindingException", "MissingMandatoryParameter"));
        }
    }

    static List<String> paths(CommandContext ctx, Object input) {
        if (input != Interpreter.NO_INPUT) {
            return List.of(pathOf(input));
        }
        if (ctx.has("LiteralPath")) {
            return ctx.strings("LiteralPath");
        }
        return ctx.strings("Path");
    }

    static List<String> lines(String content) {
        List<String> lines = new ArrayList<>(List.of(content.split("\r\n|\n|\r", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    // --- registry ---

    static String registryDisplay(String path) {
        String p = registryKey(path);
        return "HKEY_LOCAL_MACHINE" + p.substring("HKLM:".length()).replaceAll("\\\\$", "");
    }

    static String registryKey(String path) {
        String p = path;
        if (p.regionMatches(true, 0, REG_PREFIX, 0, REG_PREFIX.length())) {
            p = p.substring(REG_PREFIX.length());
        } else if (p.regionMatches(true, 0, "Registry::", 0, 10)) {
            p = p.substring(10);
        }
        if (p.regionMatches(true, 0, "HKEY_LOCAL_MACHINE", 0, 18)) {
            p = "HKLM:" + p.substring(18);
        }
        return p;
    }

    static PsObject registryKeyObject(CommandContext ctx, String path, Map<String, Object> values) {
        String display = registryDisplay(path);
        String child = display.substring(display.lastIndexOf('\\') + 1);
        return PsObject.typed("Microsoft.Win32.RegistryKey")
                .add("PSPath", REG_PREFIX + display).add("PSChildName", child)
                .add("PSDrive", "HKLM").add("PSProvider", "Microsoft.PowerShell.Core\\Registry").add("PSIsContainer", true)
                .add("Name", display).add("Property", new ArrayList<Object>(values.keySet()))
                .add("SubKeyCount", ctx.server().registrySubkeys(registryKey(path)).size()).add("ValueCount", values.size())
                .toStringAs(o -> display);
    }

    // --- cmdlets ---

    static final class JoinPath extends Cmdlet {
        @Override
        void process(Object input) {
            List<String> bases = input != Interpreter.NO_INPUT ? List.of(pathOf(input)) : ctx.strings("Path");
            String child = ctx.string("ChildPath");
            for (String base : bases) {
                String drive = missingDrive(base);
                if (drive != null) {
                    ctx.writeError(driveNotFound(ctx, drive));
                    continue;
                }
                boolean registry = Interpreter.isRegistryPath(base);
                String b = registry ? base : base.replace('/', '\\');
                String c = child == null ? "" : registry ? child : child.replace('/', '\\');
                while (b.endsWith("\\") && !(b.length() == 3 && b.charAt(1) == ':')) {
                    b = b.substring(0, b.length() - 1);
                }
                while (c.startsWith("\\")) {
                    c = c.substring(1);
                }
                String joined = b.endsWith("\\") ? b + c : b + "\\" + c;
                if (ctx.flag("Resolve")) {
                    Optional<String> resolved = resolve(ctx, joined);
                    List<LabFileSystem.Entry> found = resolved.map(p -> expand(ctx.server().files(), p)).orElse(List.of());
                    if (found.isEmpty()) {
                        ctx.writeError(notFound(ctx, joined));
                        continue;
                    }
                    for (LabFileSystem.Entry e : found) {
                        ctx.write(e.path());
                    }
                    continue;
                }
                ctx.write(joined);
            }
        }
    }

    static final class TestPath extends Cmdlet {
        @Override
        void process(Object input) {
            requirePathOrLiteralPath(ctx, input);
            for (String raw : paths(ctx, input)) {
                ctx.write(test(raw));
            }
        }

        private boolean test(String raw) {
            String type = ctx.has("PathType") ? ctx.string("PathType") : "Any";
            if (ctx.flag("IsValid")) {
                return raw.chars().noneMatch(c -> c == '"' || c == '<' || c == '>' || c == '|' || c < 32);
            }
            if (Interpreter.isRegistryPath(raw)) {
                boolean exists = ctx.server().registryKey(registryKey(raw)).isPresent();
                return exists && !type.equals("Leaf");
            }
            if (missingDrive(raw) != null) {
                return false;
            }
            Optional<String> path = resolve(ctx, raw);
            if (path.isEmpty()) {
                return false;
            }
            List<LabFileSystem.Entry> found = ctx.has("LiteralPath")
                    ? ctx.server().files().get(path.get()).map(List::of).orElse(List.of())
                    : expand(ctx.server().files(), path.get());
            return found.stream().anyMatch(e -> type.equals("Any") || (type.equals("Container") == e.directory()));
        }
    }

    static final class GetChildItem extends Cmdlet {
        @Override
        void process(Object input) {
            List<String> specs = input != Interpreter.NO_INPUT ? List.of(pathOf(input))
                    : ctx.has("LiteralPath") ? ctx.strings("LiteralPath")
                    : ctx.has("Path") ? ctx.strings("Path") : List.of(ctx.in.location);
            for (String raw : specs) {
                if (Interpreter.isRegistryPath(raw)) {
                    registry(raw);
                    continue;
                }
                String drive = missingDrive(raw);
                if (drive != null) {
                    ctx.writeError(driveNotFound(ctx, drive));
                    continue;
                }
                Optional<String> path = resolve(ctx, raw);
                boolean wildcard = !ctx.has("LiteralPath") && Wildcard.hasWildcard(raw);
                List<LabFileSystem.Entry> found = path.map(p -> wildcard ? expand(ctx.server().files(), p)
                        : ctx.server().files().get(p).map(List::of).orElse(List.<LabFileSystem.Entry>of()))
                        .orElse(List.of());
                if (found.isEmpty()) {
                    if (!wildcard) {
                        ctx.writeError(notFound(ctx, raw));
                    }
                    continue;
                }
                if (ctx.has("Include") && !recursing() && !wildcard) {
                    // Windows PowerShell applies -Include to the folder itself unless -Recurse or a wildcard is given.
                    continue;
                }
                for (LabFileSystem.Entry e : found) {
                    if (e.directory() && !wildcard) {
                        list(e.path(), e.path(), 0);
                    } else if (e.directory() && wildcard) {
                        emit(e, e.path());
                        if (recursing()) {
                            list(e.path(), e.path(), 0);
                        }
                    } else {
                        emit(e, LabFileSystem.parent(e.path()).orElse(""));
                    }
                }
            }
        }

        private boolean recursing() {
            return ctx.flag("Recurse") || ctx.has("Depth");
        }

        private void list(String dir, String root, int depth) {
            List<LabFileSystem.Entry> children = ctx.server().files().children(dir);
            for (LabFileSystem.Entry child : children) {
                emit(child, root);
            }
            if (!recursing() || (ctx.has("Depth") && depth >= ctx.integer("Depth", 0))) {
                return;
            }
            for (LabFileSystem.Entry child : children) {
                if (child.directory()) {
                    list(child.path(), root, depth + 1);
                }
            }
        }

        private void emit(LabFileSystem.Entry e, String root) {
            if (ctx.flag("File") && e.directory() || ctx.flag("Directory") && !e.directory()) {
                return;
            }
            if (ctx.has("Filter") && !Wildcard.matches(ctx.string("Filter"), e.name(), false)) {
                return;
            }
            if (ctx.has("Include") && ctx.strings("Include").stream().noneMatch(p -> Wildcard.matches(p, e.name(), false))) {
                return;
            }
            if (ctx.has("Exclude") && ctx.strings("Exclude").stream().anyMatch(p -> Wildcard.matches(p, e.name(), false))) {
                return;
            }
            if (ctx.flag("Name")) {
                String relative = e.path().length() > root.length() ? e.path().substring(root.length()) : e.name();
                ctx.write(relative.startsWith("\\") ? relative.substring(1) : relative);
                return;
            }
            ctx.write(item(e, true));
        }

        private void registry(String raw) {
            String key = registryKey(raw);
            Optional<Map<String, Object>> values = ctx.server().registryKey(key);
            if (values.isEmpty()) {
                ctx.writeError(notFound(ctx, raw));
                return;
            }
            for (String sub : ctx.server().registrySubkeys(key)) {
                String subPath = key.replaceAll("\\\\$", "") + "\\" + sub;
                ctx.write(registryKeyObject(ctx, subPath, ctx.server().registryKey(subPath).orElse(Map.of())));
            }
        }
    }

    static final class GetItem extends Cmdlet {
        @Override
        void process(Object input) {
            for (String raw : paths(ctx, input)) {
                if (Interpreter.isRegistryPath(raw)) {
                    Optional<Map<String, Object>> values = ctx.server().registryKey(registryKey(raw));
                    if (values.isEmpty()) {
                        ctx.writeError(notFound(ctx, raw));
                    } else {
                        ctx.write(registryKeyObject(ctx, raw, values.get()));
                    }
                    continue;
                }
                String drive = missingDrive(raw);
                if (drive != null) {
                    ctx.writeError(driveNotFound(ctx, drive));
                    continue;
                }
                List<LabFileSystem.Entry> found = resolve(ctx, raw).map(p -> ctx.has("LiteralPath")
                        ? ctx.server().files().get(p).map(List::of).orElse(List.<LabFileSystem.Entry>of())
                        : expand(ctx.server().files(), p)).orElse(List.of());
                if (found.isEmpty()) {
                    ctx.writeError(notFound(ctx, raw));
                }
                for (LabFileSystem.Entry e : found) {
                    ctx.write(item(e, false));
                }
            }
        }
    }

    static final class GetContent extends Cmdlet {
        @Override
        void process(Object input) {
            for (String raw : paths(ctx, input)) {
                List<LabFileSystem.Entry> found = resolve(ctx, raw).map(p -> expand(ctx.server().files(), p)).orElse(List.of());
                if (found.isEmpty()) {
                    ctx.writeError(notFound(ctx, raw));
                    continue;
                }
                for (LabFileSystem.Entry e : found) {
                    if (e.directory()) {
                        ctx.writeError(ctx.error("Access to the path '" + e.path() + "' is denied.", "PermissionDenied",
                                e.path(), "String", e.path(), "System.UnauthorizedAccessException",
                                "GetContentReaderUnauthorizedAccessError"));
                        continue;
                    }
                    if (ctx.flag("Raw")) {
                        ctx.write(e.content());
                        continue;
                    }
                    List<String> lines = lines(e.content());
                    if (ctx.has("TotalCount") && ctx.integer("TotalCount", -1) >= 0) {
                        lines = lines.subList(0, Math.min(lines.size(), ctx.integer("TotalCount", 0)));
                    }
                    if (ctx.has("Tail")) {
                        int tail = ctx.integer("Tail", 0);
                        lines = lines.subList(Math.max(0, lines.size() - tail), lines.size());
                    }
                    for (String line : lines) {
                        ctx.write(line);
                    }
                }
            }
        }
    }

    static final class SelectString extends Cmdlet {
        private final List<Pattern> patterns = new ArrayList<>();
        private boolean any;
        private int inputLine;

        @Override
        void begin() {
            boolean cs = ctx.flag("CaseSensitive");
            for (String p : ctx.strings("Pattern")) {
                String regex = ctx.flag("SimpleMatch") ? Pattern.quote(p) : p;
                try {
                    patterns.add(Pattern.compile(regex, cs ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw ctx.terminating(ctx.error("The string " + p + " is not a valid regular expression: "
                            + e.getDescription() + ".", "InvalidArgument", "", "", p, "System.ArgumentException",
                            "InvalidRegex"));
                }
            }
        }

        @Override
        void process(Object input) {
            if (input == Interpreter.NO_INPUT) {
                if (ctx.has("InputObject")) {
                    searchText(Values.toStr(ctx.get("InputObject")), input);
                    return;
                }
                List<String> paths = ctx.has("LiteralPath") ? ctx.strings("LiteralPath") : ctx.strings("Path");
                if (paths == null) {
                    return;
                }
                for (String raw : paths) {
                    List<LabFileSystem.Entry> found = resolve(ctx, raw).map(p -> expand(ctx.server().files(), p))
                            .orElse(List.of());
                    if (found.isEmpty()) {
                        ctx.writeError(notFound(ctx, raw));
                    }
                    for (LabFileSystem.Entry e : found) {
                        searchFile(e);
                    }
                }
                return;
            }
            if (input instanceof PsObject o && (o.typeNames().contains("System.IO.FileInfo")
                    || o.typeNames().contains("System.IO.DirectoryInfo"))) {
                Optional<LabFileSystem.Entry> e = ctx.server().files().get(Values.toStr(o.get("FullName")));
                if (e.isEmpty()) {
                    ctx.writeError(notFound(ctx, Values.toStr(o.get("FullName"))));
                } else {
                    searchFile(e.get());
                }
                return;
            }
            searchText(Values.toStr(input), input);
        }

        private void searchFile(LabFileSystem.Entry e) {
            if (e.directory()) {
                ctx.writeError(ctx.error("The file " + e.path() + " cannot be read: Access to the path '" + e.path()
                        + "' is denied.", "InvalidArgument", "", "", e.path(), "System.ArgumentException", "ProcessingFile"));
                return;
            }
            int n = 0;
            for (String line : lines(e.content())) {
                n++;
                if (matchLine(line, n, e.path(), e.name()) && ctx.flag("List")) {
                    return;
                }
            }
        }

        private void searchText(String text, Object input) {
            inputLine++;
            matchLine(text, inputLine, "InputStream", "InputStream");
        }

        private boolean matchLine(String line, int number, String path, String fileName) {
            Matcher hit = null;
            String pattern = null;
            for (int i = 0; i < patterns.size(); i++) {
                Matcher m = patterns.get(i).matcher(line);
                if (m.find()) {
                    hit = m;
                    pattern = ctx.strings("Pattern").get(i);
                    break;
                }
            }
            boolean matched = hit != null;
            if (ctx.flag("NotMatch")) {
                matched = !matched;
                pattern = ctx.strings("Pattern").get(0);
            }
            if (!matched) {
                return false;
            }
            any = true;
            if (ctx.flag("Quiet")) {
                return true;
            }
            List<Object> matches = new ArrayList<>();
            if (hit != null) {
                do {
                    matches.add(PsObject.typed("System.Text.RegularExpressions.Match").add("Value", hit.group())
                            .add("Index", hit.start()).add("Length", hit.end() - hit.start()).add("Success", true)
                            .toStringAs(o -> Values.toStr(o.get("Value"))));
                } while (ctx.flag("AllMatches") && hit.find());
            }
            boolean fromFile = !path.equals("InputStream");
            PsObject info = PsObject.typed("Microsoft.PowerShell.Commands.MatchInfo")
                    .add("IgnoreCase", !ctx.flag("CaseSensitive")).add("LineNumber", number).add("Line", line)
                    .add("Filename", fileName).add("Path", path).add("Pattern", pattern).add("Context", null)
                    .add("Matches", matches);
            info.toStringAs(o -> fromFile ? path + ":" + number + ":" + line : line);
            ctx.write(info);
            return true;
        }

        @Override
        void end() {
            if (ctx.flag("Quiet")) {
                ctx.write(any);
            }
        }
    }

    static final class GetItemProperty extends Cmdlet {
        @Override
        void process(Object input) {
            for (String raw : paths(ctx, input)) {
                PsObject props = properties(ctx, raw, ctx.strings("Name"));
                if (props != null) {
                    ctx.write(props);
                }
            }
        }
    }

    /** Get-ItemProperty's object for a registry key or file; null after writing the error. */
    static PsObject properties(CommandContext ctx, String raw, List<String> names) {
        if (Interpreter.isRegistryPath(raw)) {
            Optional<Map<String, Object>> values = ctx.server().registryKey(registryKey(raw));
            if (values.isEmpty()) {
                ctx.writeError(notFound(ctx, raw));
                return null;
            }
            String display = registryDisplay(raw);
            PsObject o = PsObject.custom();
            for (Map.Entry<String, Object> v : values.get().entrySet()) {
                if (names == null || names.stream().anyMatch(n -> Wildcard.matches(n, v.getKey(), false))) {
                    o.add(v.getKey(), v.getValue());
                }
            }
            if (names != null) {
                for (String n : names) {
                    if (!Wildcard.hasWildcard(n) && !o.has(n)) {
                        ctx.writeError(ctx.error("Property " + n + " does not exist at path " + display + ".",
                                "InvalidArgument", n, "String", n, "System.Management.Automation.PSArgumentException",
                                "System.Management.Automation.PSArgumentException"));
                        return null;
                    }
                }
            }
            String parent = display.substring(0, display.lastIndexOf('\\'));
            o.add("PSPath", REG_PREFIX + display).add("PSParentPath", REG_PREFIX + parent)
                    .add("PSChildName", display.substring(display.lastIndexOf('\\') + 1)).add("PSDrive", "HKLM")
                    .add("PSProvider", "Microsoft.PowerShell.Core\\Registry");
            return o;
        }
        List<LabFileSystem.Entry> found = resolve(ctx, raw).map(p -> expand(ctx.server().files(), p)).orElse(List.of());
        if (found.isEmpty()) {
            ctx.writeError(notFound(ctx, raw));
            return null;
        }
        return item(found.get(0), false);
    }

    static final class GetItemPropertyValue extends Cmdlet {
        @Override
        void process(Object input) {
            List<String> paths = input != Interpreter.NO_INPUT ? List.of(pathOf(input))
                    : ctx.has("LiteralPath") ? ctx.strings("LiteralPath")
                    : ctx.has("Path") ? ctx.strings("Path") : List.of(ctx.in.location);
            for (String raw : paths) {
                PsObject props = properties(ctx, raw, ctx.strings("Name"));
                if (props == null) {
                    continue;
                }
                for (String n : ctx.strings("Name")) {
                    ctx.write(props.get(n));
                }
            }
        }
    }

    static final class RemoveItem extends Cmdlet {
        @Override
        void process(Object input) {
            LabFileSystem fs = ctx.server().files();
            for (String raw : paths(ctx, input)) {
                List<LabFileSystem.Entry> found = resolve(ctx, raw).map(p -> ctx.has("LiteralPath")
                        ? fs.get(p).map(List::of).orElse(List.<LabFileSystem.Entry>of()) : expand(fs, p)).orElse(List.of());
                if (found.isEmpty()) {
                    ctx.writeError(notFound(ctx, raw));
                    continue;
                }
                for (LabFileSystem.Entry e : found) {
                    if (e.directory() && !fs.children(e.path()).isEmpty() && !ctx.flag("Recurse")) {
                        ctx.writeError(ctx.error("Directory " + e.path() + " cannot be removed because it is not empty.",
                                "WriteError", e.path(), "DirectoryInfo", e.path(), "System.IO.IOException",
                                "RemoveItemIOError"));
                        continue;
                    }
                    if (ctx.shouldProcess(e.directory() ? "Remove Directory" : "Remove File", e.path())) {
                        fs.delete(e.path());
                    }
                }
            }
        }
    }

    static final class NewItem extends Cmdlet {
        @Override
        void process(Object input) {
            LabFileSystem fs = ctx.server().files();
            List<String> paths = ctx.has("Path") ? ctx.strings("Path") : List.of(ctx.in.location);
            for (String raw : paths) {
                String target = ctx.has("Name") ? raw + "\\" + ctx.string("Name") : raw;
                Optional<String> path = resolve(ctx, target);
                if (path.isEmpty() || !fs.rootExists(path.get())) {
                    ctx.writeError(notFound(ctx, target));
                    continue;
                }
                String kind = ctx.has("ItemType") ? ctx.string("ItemType").toLowerCase(Locale.ROOT) : "file";
                boolean directory = kind.equals("directory") || kind.equals("d");
                if (fs.exists(path.get()) && !(ctx.flag("Force") && !(directory && fs.isFile(path.get())))) {
                    if (directory && fs.isDirectory(path.get()) && ctx.flag("Force")) {
                        ctx.write(item(fs.get(path.get()).orElseThrow(), false));
                        continue;
                    }
                    ctx.writeError(ctx.error("An item with the specified name " + path.get() + " already exists.",
                            "ResourceExists", path.get(), "String", path.get(), "System.IO.IOException",
                            directory ? "DirectoryExist" : "NewItemIOError"));
                    continue;
                }
                Optional<String> parent = LabFileSystem.parent(path.get());
                if (parent.isPresent() && !fs.isDirectory(parent.get()) && !ctx.flag("Force")) {
                    ctx.writeError(ctx.error("Could not find a part of the path '" + path.get() + "'.", "WriteError",
                            path.get(), "String", path.get(), "System.IO.DirectoryNotFoundException", "NewItemIOError"));
                    continue;
                }
                Optional<String> fileInTheWay = fileAbove(fs, path.get());
                if (fileInTheWay.isPresent()) {
                    // .NET's Directory.CreateDirectory, under New-Item -Force too, when a file holds a folder's name.
                    ctx.writeError(ctx.error("Cannot create \"" + fileInTheWay.get() + "\" because a file or directory"
                            + " with the same name already exists.", "WriteError", path.get(), "String", path.get(),
                            "System.IO.IOException", "NewItemIOError"));
                    continue;
                }
                if (!ctx.shouldProcess(directory ? "Create Directory" : "Create File", "Destination: " + path.get())) {
                    continue;
                }
                if (directory) {
                    fs.createDirectory(path.get(), ctx.now());
                } else {
                    Object v = ctx.get("Value");
                    fs.writeFile(path.get(), v == null ? "" : Values.toStr(v), ctx.now());
                }
                ctx.write(item(fs.get(path.get()).orElseThrow(), false));
            }
        }
    }

    /** The nearest folder of {@code path}'s ancestors that is a file on the model's disk, if any. */
    static Optional<String> fileAbove(LabFileSystem fs, String path) {
        Optional<String> parent = LabFileSystem.parent(path);
        while (parent.isPresent()) {
            if (fs.isFile(parent.get())) {
                return parent;
            }
            parent = LabFileSystem.parent(parent.get());
        }
        return Optional.empty();
    }

    static final class SetContent extends Cmdlet {
        private final boolean append;
        private final List<Object> values = new ArrayList<>();

        SetContent(boolean append) {
            this.append = append;
        }

        @Override
        void process(Object input) {
            if (input != Interpreter.NO_INPUT) {
                values.add(input);
            } else if (ctx.get("Value") != null) {
                values.addAll(Values.list(ctx.get("Value")));
            }
        }

        @Override
        void end() {
            StringBuilder text = new StringBuilder();
            for (Object v : values) {
                text.append(Values.toStr(v));
                if (!ctx.flag("NoNewline")) {
                    text.append("\r\n");
                }
            }
            List<String> paths = ctx.has("LiteralPath") ? ctx.strings("LiteralPath") : ctx.strings("Path");
            for (String raw : paths) {
                write(ctx, raw, text.toString(), append);
            }
        }
    }

    static void write(CommandContext ctx, String raw, String text, boolean append) {
        LabFileSystem fs = ctx.server().files();
        Optional<String> path = resolve(ctx, raw);
        Optional<String> parent = path.flatMap(LabFileSystem::parent);
        if (path.isEmpty() || !fs.rootExists(path.get()) || parent.isEmpty() || !fs.isDirectory(parent.get())) {
            ctx.writeError(ctx.error("Could not find a part of the path '" + raw + "'.", "ObjectNotFound", raw, "String",
                    raw, "System.IO.DirectoryNotFoundException", "GetContentWriterDirectoryNotFoundError"));
            return;
        }
        if (fs.isDirectory(path.get())) {
            ctx.writeError(ctx.error("Access to the path '" + path.get() + "' is denied.", "PermissionDenied", path.get(),
                    "String", path.get(), "System.UnauthorizedAccessException", "GetContentWriterUnauthorizedAccessError"));
            return;
        }
        if (!ctx.shouldProcess(append ? "Add Content" : "Set Content", "Path: " + path.get())) {
            return;
        }
        String existing = append ? fs.get(path.get()).map(LabFileSystem.Entry::content).orElse("") : "";
        fs.writeFile(path.get(), existing + text, ctx.now());
    }

    static final class OutFile extends Cmdlet {
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
            write(ctx, ctx.string("FilePath"), OutDefault.render(items), ctx.flag("Append"));
        }
    }

    static final class CopyMove extends Cmdlet {
        private final boolean move;

        CopyMove(boolean move) {
            this.move = move;
        }

        @Override
        void process(Object input) {
            requirePathOrLiteralPath(ctx, input);
            LabFileSystem fs = ctx.server().files();
            String destinationRaw = ctx.has("Destination") ? ctx.string("Destination") : ctx.in.location;
            Optional<String> destination = resolve(ctx, destinationRaw);
            for (String raw : paths(ctx, input)) {
                List<LabFileSystem.Entry> found = resolve(ctx, raw).map(p -> expand(fs, p)).orElse(List.of());
                if (found.isEmpty()) {
                    ctx.writeError(notFound(ctx, raw));
                    continue;
                }
                for (LabFileSystem.Entry e : found) {
                    if (destination.isEmpty() || !fs.rootExists(destination.get())) {
                        ctx.writeError(notFound(ctx, destinationRaw));
                        continue;
                    }
                    String target = fs.isDirectory(destination.get())
                            ? LabFileSystem.normalize(destination.get() + "\\" + e.name()) : destination.get();
                    Optional<String> parent = LabFileSystem.parent(target);
                    if (parent.isEmpty() || !fs.isDirectory(parent.get())) {
                        ctx.writeError(ctx.error("Could not find a part of the path '" + target + "'.", "WriteError",
                                target, "String", target, "System.IO.DirectoryNotFoundException",
                                move ? "MoveFileInfoItemIOError" : "CopyFileInfoItemIOError"));
                        continue;
                    }
                    if (move && fs.exists(target) && !ctx.flag("Force")) {
                        ctx.writeError(ctx.error("Cannot create a file when that file already exists.", "WriteError",
                                e.path(), "FileInfo", e.path(), "System.IO.IOException", "MoveFileInfoItemIOError"));
                        continue;
                    }
                    if (!ctx.shouldProcess(move ? "Move File" : "Copy File", "Item: " + e.path() + " Destination: " + target)) {
                        continue;
                    }
                    copy(fs, e, target);
                    if (move) {
                        fs.delete(e.path());
                    }
                    if (ctx.flag("PassThru")) {
                        ctx.write(item(fs.get(target).orElseThrow(), false));
                    }
                }
            }
        }

        private void copy(LabFileSystem fs, LabFileSystem.Entry e, String target) {
            if (!e.directory()) {
                fs.writeFile(target, e.content(), e.lastWriteTime());
                return;
            }
            fs.createDirectory(target, e.lastWriteTime());
            if (move || ctx.flag("Recurse")) {
                for (LabFileSystem.Entry child : fs.children(e.path())) {
                    copy(fs, child, target + "\\" + child.name());
                }
            }
        }
    }
}
