package io.antidote.lab.powershell;

import static io.antidote.lab.powershell.Param.Kind.*;

import io.antidote.lab.exchange.ExchangeBuild;
import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.FirewallRule;
import io.antidote.lab.exchange.Hotfix;
import io.antidote.lab.exchange.LabFileSystem;
import io.antidote.lab.exchange.WindowsService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Cmdlets over the host: services, firewall, updates, processes, restart, Exchange, commands. */
final class SystemCmdlets {

    private static final String MANAGEMENT = "Microsoft.PowerShell.Management";
    private static final String FIREWALL_TYPE =
            "Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule";
    private static final String EXCHANGE_SNAPIN = "Microsoft.Exchange.Management.PowerShell.SnapIn";

    private SystemCmdlets() {
    }

    private static String type(String verbNoun) {
        return "Microsoft.PowerShell.Commands." + verbNoun.replace("-", "") + "Command";
    }

    static void register() {
        Commands.add("Get-Service", type("Get-Service"), MANAGEMENT, true, false, GetService::new,
                Param.of("Name", STRINGS).pos(0).alias("ServiceName"), Param.of("DisplayName", STRINGS),
                Param.of("Include", STRINGS), Param.of("Exclude", STRINGS), Param.of("InputObject", OBJECTS),
                Param.of("ComputerName", STRINGS).alias("Cn"), Param.of("DependentServices", SWITCH),
                Param.of("RequiredServices", SWITCH));
        for (String verb : List.of("Stop", "Start", "Restart")) {
            Commands.add(verb + "-Service", type(verb + "-Service"), MANAGEMENT, true, true, () -> new ServiceControl(verb),
                    Param.of("Name", STRINGS).pos(0).alias("ServiceName").required().fromPipeline(),
                    Param.of("DisplayName", STRINGS), Param.of("InputObject", OBJECTS), Param.of("Force", SWITCH),
                    Param.of("PassThru", SWITCH), Param.of("NoWait", SWITCH), Param.of("Include", STRINGS),
                    Param.of("Exclude", STRINGS));
        }
        Commands.add("Set-Service", type("Set-Service"), MANAGEMENT, true, true, SetService::new,
                Param.of("Name", STRING).pos(0).alias("ServiceName", "SN").required().fromPipeline(),
                Param.of("InputObject", OBJECT), Param.of("DisplayName", STRING), Param.of("Description", STRING),
                Param.of("StartupType", STRING).alias("StartMode", "SM", "ST")
                        .oneOf("Automatic", "Manual", "Disabled", "Boot", "System")
                        .type("System.ServiceProcess.ServiceStartMode"),
                Param.of("Status", STRING).oneOf("Running", "Stopped", "Paused"), Param.of("PassThru", SWITCH),
                Param.of("ComputerName", STRINGS));
        Commands.add("Get-NetFirewallRule", "Get-NetFirewallRule", "NetSecurity", true, false, GetFirewallRule::new,
                Param.of("DisplayName", STRINGS), Param.of("Name", STRINGS).pos(0).alias("ID"), Param.of("All", SWITCH),
                Param.of("Enabled", STRING).oneOf("True", "False"), Param.of("Direction", STRING).oneOf("Inbound", "Outbound"),
                Param.of("Action", STRING).oneOf("NotConfigured", "Allow", "Block"), Param.of("PolicyStore", STRING),
                Param.of("Group", STRINGS), Param.of("DisplayGroup", STRINGS));
        Commands.add("New-NetFirewallRule", "New-NetFirewallRule", "NetSecurity", false, true, NewFirewallRule::new,
                Param.of("DisplayName", STRING).required(), Param.of("Name", STRING).alias("ID"),
                Param.of("Description", STRING), Param.of("Direction", STRING).oneOf("Inbound", "Outbound"),
                Param.of("Protocol", STRING), Param.of("LocalPort", STRINGS), Param.of("RemotePort", STRINGS),
                Param.of("LocalAddress", STRINGS), Param.of("RemoteAddress", STRINGS),
                Param.of("Action", STRING).oneOf("NotConfigured", "Allow", "Block"),
                Param.of("Enabled", STRING).oneOf("True", "False"), Param.of("Profile", STRINGS), Param.of("Group", STRING),
                Param.of("Program", STRING), Param.of("Service", STRING), Param.of("PolicyStore", STRING),
                Param.of("EdgeTraversalPolicy", STRING), Param.of("InterfaceType", STRING));
        Commands.add("Remove-NetFirewallRule", "Remove-NetFirewallRule", "NetSecurity", true, true,
                () -> new ChangeFirewallRule("Remove"), Param.of("Name", STRINGS).pos(0).alias("ID"),
                Param.of("DisplayName", STRINGS), Param.of("InputObject", OBJECTS), Param.of("All", SWITCH),
                Param.of("PolicyStore", STRING));
        for (String verb : List.of("Enable", "Disable")) {
            Commands.add(verb + "-NetFirewallRule", verb + "-NetFirewallRule", "NetSecurity", true, true,
                    () -> new ChangeFirewallRule(verb), Param.of("Name", STRINGS).pos(0).alias("ID"),
                    Param.of("DisplayName", STRINGS), Param.of("InputObject", OBJECTS), Param.of("All", SWITCH),
                    Param.of("PassThru", SWITCH), Param.of("PolicyStore", STRING));
        }
        Commands.add("Get-NetFirewallPortFilter", "Get-NetFirewallPortFilter", "NetSecurity", true, false,
                PortFilter::new, Param.of("AssociatedNetFirewallRule", OBJECT), Param.of("All", SWITCH),
                Param.of("Protocol", STRINGS));
        Commands.add("Get-HotFix", type("Get-HotFix"), MANAGEMENT, false, false, GetHotFix::new,
                Param.of("Id", STRINGS).pos(0).alias("HFID"), Param.of("Description", STRINGS),
                Param.of("ComputerName", STRINGS).alias("CN", "__Server", "IPAddress"));
        Commands.add("Start-Process", type("Start-Process"), MANAGEMENT, false, false, StartProcess::new,
                Param.of("FilePath", STRING).pos(0).required().nonEmpty().alias("PSPath"),
                Param.of("ArgumentList", STRINGS).pos(1).alias("Args"), Param.of("Wait", SWITCH),
                Param.of("PassThru", SWITCH), Param.of("NoNewWindow", SWITCH), Param.of("WindowStyle", STRING),
                Param.of("WorkingDirectory", STRING), Param.of("Verb", STRING), Param.of("RedirectStandardOutput", STRING),
                Param.of("RedirectStandardError", STRING), Param.of("RedirectStandardInput", STRING),
                Param.of("UseNewEnvironment", SWITCH), Param.of("LoadUserProfile", SWITCH).alias("Lup"));
        Commands.add("Restart-Computer", type("Restart-Computer"), MANAGEMENT, false, true, RestartComputer::new,
                Param.of("ComputerName", STRINGS).pos(0).alias("CN", "__SERVER", "Server", "IPAddress"),
                Param.of("Force", SWITCH).alias("f"), Param.of("Wait", SWITCH), Param.of("Timeout", INT),
                Param.of("For", STRING), Param.of("Delay", INT), Param.of("Protocol", STRING));
        Commands.add("Get-ExchangeServer", "Microsoft.Exchange.Management.SystemConfigurationTasks.GetExchangeServer",
                EXCHANGE_SNAPIN, true, false, GetExchangeServer::new, Param.of("Identity", STRING).pos(0),
                Param.of("Status", SWITCH), Param.of("DomainController", STRING), Param.of("Domain", STRING));
        Commands.add("Get-Command", type("Get-Command"), "Microsoft.PowerShell.Core", true, false, GetCommand::new,
                Param.of("Name", STRINGS).pos(0), Param.of("CommandType", STRINGS).alias("Type"),
                Param.of("Module", STRINGS), Param.of("Syntax", SWITCH), Param.of("All", SWITCH),
                Param.of("ListImported", SWITCH));
    }

    // --- services ---

    static EnumValue status(WindowsService.Status s) {
        return new EnumValue("System.ServiceProcess.ServiceControllerStatus", s.name(), s.value());
    }

    static EnumValue startType(WindowsService.StartType t) {
        return new EnumValue("System.ServiceProcess.ServiceStartMode", t.name(), t.value());
    }

    static PsObject service(WindowsService s) {
        return PsObject.typed("System.ServiceProcess.ServiceController", "System.ComponentModel.Component")
                .add("Name", s.name()).add("RequiredServices", new ArrayList<>())
                .add("CanPauseAndContinue", false).add("CanShutdown", s.status() == WindowsService.Status.Running)
                .add("CanStop", s.status() == WindowsService.Status.Running).add("DisplayName", s.displayName())
                .add("DependentServices", new ArrayList<>()).add("MachineName", ".").add("ServiceName", s.name())
                .add("ServicesDependedOn", new ArrayList<>()).add("ServiceHandle", null).add("Status", status(s.status()))
                .add("ServiceType", new EnumValue("System.ServiceProcess.ServiceType", "Win32OwnProcess", 16))
                .add("StartType", startType(s.startType())).add("Site", null).add("Container", null)
                .toStringAs(o -> "System.ServiceProcess.ServiceController");
    }

    static ErrorRecord noService(CommandContext ctx, String name) {
        return ctx.error("Cannot find any service with service name '" + name + "'.", "ObjectNotFound", name, "String",
                name, "Microsoft.PowerShell.Commands.ServiceCommandException", "NoServiceFoundForGivenName");
    }

    /** The services named by -Name/-DisplayName/-InputObject or an input object, with errors for names not found. */
    static List<WindowsService> selectServices(CommandContext ctx, Object input) {
        ExchangeServer server = ctx.server();
        List<WindowsService> out = new ArrayList<>();
        List<Object> inputs = new ArrayList<>();
        if (input != Interpreter.NO_INPUT) {
            inputs.add(input);
        } else if (ctx.get("InputObject") != null) {
            inputs.addAll(Values.list(ctx.get("InputObject")));
        }
        for (Object o : inputs) {
            String name = o instanceof PsObject p && p.has("ServiceName") ? Values.toStr(p.get("ServiceName"))
                    : o instanceof PsObject p && p.has("Name") ? Values.toStr(p.get("Name")) : Values.toStr(o);
            Optional<WindowsService> s = server.service(name);
            if (s.isPresent()) {
                out.add(s.get());
            } else {
                ctx.writeError(noService(ctx, name));
            }
        }
        if (!inputs.isEmpty()) {
            return out;
        }
        List<String> names = ctx.strings("Name");
        List<String> displayNames = ctx.strings("DisplayName");
        if (names == null && displayNames == null) {
            out.addAll(server.services());
        }
        if (names != null) {
            for (String n : names) {
                List<WindowsService> matches = server.services().stream()
                        .filter(s -> Wildcard.matches(n, s.name(), false)).toList();
                if (matches.isEmpty() && !Wildcard.hasWildcard(n)) {
                    ctx.writeError(noService(ctx, n));
                }
                matches.stream().filter(m -> !out.contains(m)).forEach(out::add);
            }
        }
        if (displayNames != null) {
            for (String n : displayNames) {
                List<WindowsService> matches = server.services().stream()
                        .filter(s -> Wildcard.matches(n, s.displayName(), false)).toList();
                if (matches.isEmpty() && !Wildcard.hasWildcard(n)) {
                    ctx.writeError(ctx.error("Cannot find any service with display name '" + n + "'.", "ObjectNotFound",
                            n, "String", n, "Microsoft.PowerShell.Commands.ServiceCommandException",
                            "NoServiceFoundForGivenDisplayName"));
                }
                matches.stream().filter(m -> !out.contains(m)).forEach(out::add);
            }
        }
        List<String> include = ctx.strings("Include");
        List<String> exclude = ctx.strings("Exclude");
        out.removeIf(s -> include != null && include.stream().noneMatch(p -> Wildcard.matches(p, s.name(), false))
                || exclude != null && exclude.stream().anyMatch(p -> Wildcard.matches(p, s.name(), false)));
        return out;
    }

    static final class GetService extends Cmdlet {
        @Override
        void process(Object input) {
            for (WindowsService s : selectServices(ctx, input)) {
                ctx.write(service(s));
            }
        }
    }

    static final class ServiceControl extends Cmdlet {
        private final String verb;

        ServiceControl(String verb) {
            this.verb = verb;
        }

        @Override
        void process(Object input) {
            ExchangeServer server = ctx.server();
            for (WindowsService s : selectServices(ctx, input)) {
                String target = s.displayName() + " (" + s.name() + ")";
                if (!ctx.shouldProcess(verb + "-Service", target)) {
                    continue;
                }
                if (!verb.equals("Stop") && s.startType() == WindowsService.StartType.Disabled) {
                    ctx.writeError(ctx.error("Service '" + target + "' cannot be started due to the following error: "
                            + "Cannot start service " + s.name() + " on computer '.'.", "OpenError",
                            "System.ServiceProcess.ServiceController", "ServiceController", s.name(),
                            "Microsoft.PowerShell.Commands.ServiceCommandException", "CouldNotStartService"));
                    continue;
                }
                server.setServiceStatus(s.name(), verb.equals("Stop") ? WindowsService.Status.Stopped
                        : WindowsService.Status.Running);
                if (ctx.flag("PassThru")) {
                    ctx.write(service(server.service(s.name()).orElseThrow()));
                }
            }
        }
    }

    static final class SetService extends Cmdlet {
        @Override
        void process(Object input) {
            ExchangeServer server = ctx.server();
            String name = input != Interpreter.NO_INPUT ? serviceName(input)
                    : ctx.get("InputObject") != null ? serviceName(ctx.get("InputObject")) : ctx.string("Name");
            Optional<WindowsService> found = server.service(name);
            if (found.isEmpty()) {
                ctx.writeError(ctx.error("Service " + name + " was not found on computer '.'.", "ObjectNotFound", name,
                        "String", name, "System.InvalidOperationException", "InvalidOperationException"));
                return;
            }
            WindowsService s = found.get();
            if (!ctx.shouldProcess("Set-Service", s.displayName() + " (" + s.name() + ")")) {
                return;
            }
            if (ctx.has("StartupType")) {
                server.setServiceStartType(s.name(), WindowsService.StartType.valueOf(ctx.string("StartupType")));
            }
            if (ctx.has("Status")) {
                String status = ctx.string("Status");
                WindowsService now = server.service(s.name()).orElseThrow();
                if (status.equals("Running") && now.startType() == WindowsService.StartType.Disabled) {
                    ctx.writeError(ctx.error("Service '" + s.displayName() + " (" + s.name() + ")' cannot be started due "
                            + "to the following error: Cannot start service " + s.name() + " on computer '.'.",
                            "OpenError", "System.ServiceProcess.ServiceController", "ServiceController", s.name(),
                            "Microsoft.PowerShell.Commands.ServiceCommandException", "CouldNotStartService"));
                    return;
                }
                server.setServiceStatus(s.name(), status.equals("Running") ? WindowsService.Status.Running
                        : WindowsService.Status.Stopped);
            }
            if (ctx.flag("PassThru")) {
                ctx.write(service(server.service(s.name()).orElseThrow()));
            }
        }

        private static String serviceName(Object o) {
            if (o instanceof PsObject p && p.has("Name")) {
                return Values.toStr(p.get("Name"));
            }
            return Values.toStr(o);
        }
    }

    // --- firewall ---

    static PsObject rule(FirewallRule r) {
        return PsObject.typed(FIREWALL_TYPE, "Microsoft.Management.Infrastructure.CimInstance#MSFT_NetFirewallRule",
                "Microsoft.Management.Infrastructure.CimInstance")
                .add("Name", r.name()).add("ID", r.name()).add("DisplayName", r.displayName())
                .add("Description", r.description()).add("DisplayGroup", null).add("Group", null)
                .add("Enabled", new EnumValue("Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled",
                        r.enabled() ? "True" : "False", r.enabled() ? 1 : 2))
                .add("Profile", new EnumValue("Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile",
                        "Any", 0))
                .add("Platform", new ArrayList<>())
                .add("Direction", new EnumValue("Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction",
                        r.direction().name(), r.direction() == FirewallRule.Direction.Inbound ? 1 : 2))
                .add("Action", new EnumValue("Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action",
                        r.action().name(), r.action() == FirewallRule.Action.Allow ? 2 : 4))
                .add("EdgeTraversalPolicy", new EnumValue(
                        "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EdgeTraversal", "Block", 0))
                .add("LooseSourceMapping", false).add("LocalOnlyMapping", false).add("Owner", null)
                .add("PrimaryStatus", new EnumValue("Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PrimaryStatus",
                        "OK", 1))
                .add("Status", "The rule was parsed successfully from the store. (65536)")
                .add("EnforcementStatus", new EnumValue(
                        "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EnforcementStatus", "NotApplicable", 0))
                .add("PolicyStoreSource", "PersistentStore")
                .add("PolicyStoreSourceType", new EnumValue(
                        "Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PolicyStoreType", "Local", 1))
                .toStringAs(o -> "MSFT_NetFirewallRule (InstanceID = \"" + r.name() + "\")");
    }

    static ErrorRecord noRule(CommandContext ctx, String property, String value) {
        return new ErrorRecord("No MSFT_NetFirewallRule objects found with property '" + property + "' equal to '" + value
                + "'.  Verify the value of the property and retry.", "Microsoft.Management.Infrastructure.CimJobException",
                "ObjectNotFound", ctx.name(), value, "String", "CmdletizationQuery_NotFound_" + property + ","
                + ctx.name(), value, ctx.prefix(), ctx.in.position(ctx.extent));
    }

    /** Rules selected by -Name/-DisplayName (wildcards allowed) or input objects; errors for names not found. */
    static List<FirewallRule> selectRules(CommandContext ctx, Object input) {
        ExchangeServer server = ctx.server();
        List<FirewallRule> out = new ArrayList<>();
        List<Object> inputs = new ArrayList<>();
        if (input != Interpreter.NO_INPUT) {
            inputs.add(input);
        } else if (ctx.get("InputObject") != null) {
            inputs.addAll(Values.list(ctx.get("InputObject")));
        }
        if (!inputs.isEmpty()) {
            for (Object o : inputs) {
                String id = o instanceof PsObject p ? Values.toStr(p.get("Name")) : Values.toStr(o);
                server.firewallRules().stream().filter(r -> r.name().equalsIgnoreCase(id)).forEach(out::add);
            }
            return out;
        }
        boolean filtered = false;
        for (String property : List.of("Name", "DisplayName")) {
            List<String> wanted = ctx.strings(property);
            if (wanted == null) {
                continue;
            }
            filtered = true;
            for (String w : wanted) {
                List<FirewallRule> matches = server.firewallRules().stream().filter(r ->
                        Wildcard.matches(w, property.equals("Name") ? r.name() : r.displayName(), false)).toList();
                if (matches.isEmpty() && !Wildcard.hasWildcard(w)) {
                    ctx.writeError(noRule(ctx, property, w));
                }
                matches.stream().filter(m -> !out.contains(m)).forEach(out::add);
            }
        }
        if (!filtered) {
            out.addAll(server.firewallRules());
        }
        return out;
    }

    static final class GetFirewallRule extends Cmdlet {
        @Override
        void process(Object input) {
            for (FirewallRule r : selectRules(ctx, Interpreter.NO_INPUT)) {
                if (ctx.has("Enabled") && !ctx.string("Enabled").equals(r.enabled() ? "True" : "False")) {
                    continue;
                }
                if (ctx.has("Direction") && !ctx.string("Direction").equals(r.direction().name())) {
                    continue;
                }
                if (ctx.has("Action") && !ctx.string("Action").equals(r.action().name())) {
                    continue;
                }
                ctx.write(rule(r));
            }
        }
    }

    static final class NewFirewallRule extends Cmdlet {
        @Override
        void process(Object input) {
            String protocol = ctx.has("Protocol") ? protocol(ctx.string("Protocol")) : "Any";
            List<String> ports = ctx.has("LocalPort") ? ctx.strings("LocalPort") : List.of("Any");
            if (protocol == null) {
                throw ctx.terminating(cimError("The protocol '" + ctx.string("Protocol") + "' is not valid."));
            }
            boolean portsGiven = ctx.has("LocalPort") || ctx.has("RemotePort");
            if (portsGiven && !(protocol.equals("TCP") || protocol.equals("UDP"))) {
                throw ctx.terminating(cimError("The port filter is not valid: ports can be specified only when the "
                        + "protocol is TCP or UDP."));
            }
            for (String p : ports) {
                if (!validPort(p)) {
                    throw ctx.terminating(cimError("The port number " + p + " is not valid."));
                }
            }
            if (!ctx.shouldProcess("New", ctx.string("DisplayName"))) {
                return;
            }
            FirewallRule r = ctx.server().addFirewallRule(ctx.string("DisplayName"),
                    ctx.has("Description") ? ctx.string("Description") : null,
                    ctx.has("Direction") ? FirewallRule.Direction.valueOf(ctx.string("Direction")) : FirewallRule.Direction.Inbound,
                    protocol, ports,
                    "Block".equals(ctx.string("Action")) ? FirewallRule.Action.Block : FirewallRule.Action.Allow,
                    !"False".equals(ctx.string("Enabled")));
            ctx.write(rule(r));
        }

        private ErrorRecord cimError(String message) {
            return new ErrorRecord(message, "Microsoft.Management.Infrastructure.CimException", "InvalidArgument",
                    ctx.name(), "MSFT_NetFirewallRule", "root/standardcimv2/MSFT_NetFirewallRule",
                    "HRESULT 0x80070057," + ctx.name(), null, ctx.prefix(), ctx.in.position(ctx.extent));
        }

        private static String protocol(String p) {
            switch (p.toUpperCase(Locale.ROOT)) {
                case "TCP": case "6": return "TCP";
                case "UDP": case "17": return "UDP";
                case "ANY": return "Any";
                case "ICMPV4": case "1": return "ICMPv4";
                case "ICMPV6": case "58": return "ICMPv6";
                default: return p.matches("\\d{1,3}") && Integer.parseInt(p) <= 255 ? p : null;
            }
        }

        private static boolean validPort(String p) {
            if (p.equalsIgnoreCase("Any") || p.equalsIgnoreCase("RPC") || p.equalsIgnoreCase("RPCEPMap")
                    || p.equalsIgnoreCase("IPHTTPS") || p.equalsIgnoreCase("PlayToDiscovery")) {
                return true;
            }
            String[] range = p.split("-", -1);
            if (range.length > 2) {
                return false;
            }
            for (String part : range) {
                if (!part.trim().matches("\\d{1,5}") || Integer.parseInt(part.trim()) > 65535) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class ChangeFirewallRule extends Cmdlet {
        private final String verb;

        ChangeFirewallRule(String verb) {
            this.verb = verb;
        }

        @Override
        void process(Object input) {
            for (FirewallRule r : selectRules(ctx, input)) {
                if (!ctx.shouldProcess(verb, r.displayName())) {
                    continue;
                }
                switch (verb) {
                    case "Remove":
                        ctx.server().removeFirewallRule(r.name());
                        break;
                    default:
                        ctx.server().setFirewallRuleEnabled(r.name(), verb.equals("Enable"));
                        if (ctx.flag("PassThru")) {
                            ctx.server().firewallRules().stream().filter(x -> x.name().equals(r.name()))
                                    .findFirst().ifPresent(x -> ctx.write(rule(x)));
                        }
                }
            }
        }
    }

    static final class PortFilter extends Cmdlet {
        @Override
        void process(Object input) {
            Object rule = input != Interpreter.NO_INPUT ? input : ctx.get("AssociatedNetFirewallRule");
            List<FirewallRule> rules = new ArrayList<>();
            if (rule == null) {
                rules.addAll(ctx.server().firewallRules());
            } else {
                for (Object o : Values.asList(rule)) {
                    String id = o instanceof PsObject p ? Values.toStr(p.get("Name")) : Values.toStr(o);
                    ctx.server().firewallRules().stream().filter(r -> r.name().equalsIgnoreCase(id)).forEach(rules::add);
                }
            }
            for (FirewallRule r : rules) {
                ctx.write(PsObject.typed("Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/"
                        + "MSFT_NetProtocolPortFilter").add("Protocol", r.protocol())
                        .add("LocalPort", r.localPorts().size() == 1 ? r.localPorts().get(0) : new ArrayList<Object>(r.localPorts()))
                        .add("RemotePort", "Any").add("IcmpType", "Any").add("DynamicTarget", "Any")
                        .add("InstanceID", r.name()));
            }
        }
    }

    // --- updates, processes, restart ---

    static final class GetHotFix extends Cmdlet {
        @Override
        void process(Object input) {
            List<String> ids = ctx.strings("Id");
            boolean any = false;
            for (Hotfix h : ctx.server().hotfixes()) {
                if (ids != null && ids.stream().noneMatch(id -> id.equalsIgnoreCase(h.hotFixId()))) {
                    continue;
                }
                any = true;
                ctx.write(PsObject.typed("System.Management.ManagementObject#root\\cimv2\\Win32_QuickFixEngineering",
                        "System.Management.ManagementObject").add("Source", ctx.server().computerName())
                        .add("Description", h.description()).add("HotFixID", h.hotFixId())
                        .add("InstalledBy", h.installedBy()).add("InstalledOn", h.installedOn().atStartOfDay())
                        .add("Caption", "http://support.microsoft.com/?kbid=" + h.hotFixId().substring(2))
                        .toStringAs(o -> "\\\\" + ctx.server().computerName() + "\\root\\cimv2:Win32_QuickFixEngineering."
                                + "HotFixID=\"" + h.hotFixId() + "\",ServicePackInEffect=\"\""));
            }
            if (ids != null && !any) {
                ctx.writeError(ctx.error("Cannot find the requested hotfix on the 'localhost' computer. Verify the input "
                        + "and run the command again.", "ObjectNotFound", "", "", null, "System.ArgumentException",
                        "GetHotFixNoEntriesFound"));
            }
        }
    }

    static final class StartProcess extends Cmdlet {
        @Override
        void process(Object input) {
            String file = ctx.string("FilePath");
            String program = ctx.in.nativeProgram(file);
            if (program == null) {
                throw ctx.terminating(ctx.error("This command cannot be run due to the error: The system cannot find the "
                        + "file specified.", "InvalidOperation", "", "", null, "System.InvalidOperationException",
                        "InvalidOperationException"));
            }
            List<String> args = ctx.strings("ArgumentList");
            // Windows PowerShell 5.1 joins -ArgumentList with spaces and adds no quotes.
            String commandLine = args == null ? "" : String.join(" ", args);
            String saved = ctx.in.location;
            if (ctx.has("WorkingDirectory")) {
                ctx.in.location = FileSystemCmdlets.resolve(ctx, ctx.string("WorkingDirectory")).orElse(saved);
            }
            Interpreter.NativeResult r;
            try {
                r = ctx.in.runNative(program, commandLine);
            } finally {
                ctx.in.location = saved;
            }
            if (ctx.flag("PassThru")) {
                boolean waited = ctx.flag("Wait");
                String name = file.substring(Math.max(file.lastIndexOf('\\'), file.lastIndexOf('/')) + 1)
                        .replaceAll("(?i)\\.exe$", "");
                int id = 4000 + (int) (Math.abs((long) commandLine.hashCode()) % 4000) * 4;
                ctx.write(PsObject.typed("System.Diagnostics.Process", "System.ComponentModel.Component")
                        .add("Handles", 0).add("NPM(K)", 0).add("PM(K)", 0).add("WS(K)", 0).add("CPU(s)", null)
                        .add("Id", id).add("SI", 0).add("ProcessName", name).add("Name", name)
                        .add("HasExited", waited).add("ExitCode", waited ? r.exitCode() : null)
                        .add("StartTime", ctx.now()).add("ExitTime", waited ? ctx.now() : null)
                        .toStringAs(o -> "System.Diagnostics.Process (" + name + ")"));
            }
        }
    }

    static final class RestartComputer extends Cmdlet {
        @Override
        void process(Object input) {
            ExchangeServer server = ctx.server();
            List<String> names = ctx.strings("ComputerName");
            if (names != null) {
                for (String n : names) {
                    if (!(n.equals(".") || n.equalsIgnoreCase("localhost") || n.equalsIgnoreCase(server.computerName()))) {
                        ctx.writeError(ctx.error("Computer '" + n + "' cannot be found. The lab host restarts only itself.",
                                "ObjectNotFound", n, "String", n, "System.InvalidOperationException",
                                "AddressResolutionException"));
                        return;
                    }
                }
            }
            if (!ctx.shouldProcess("Enable the Local shutdown access rights and restart the computer.",
                    server.computerName() + " (" + server.computerName() + ")")) {
                return;
            }
            if (!ctx.flag("Force")) {
                ctx.writeError(ctx.error("Failed to restart the computer " + server.computerName() + " with the following "
                        + "error message: The system shutdown cannot be initiated because there are other users logged on "
                        + "to the computer.", "OperationStopped", server.computerName(), "String", server.computerName(),
                        "System.InvalidOperationException", "RestartcomputerFailed"));
                return;
            }
            server.restart();
        }
    }

    // --- Exchange ---

    static final class GetExchangeServer extends Cmdlet {
        @Override
        void process(Object input) {
            ExchangeServer server = ctx.server();
            String identity = input != Interpreter.NO_INPUT ? Values.toStr(input) : ctx.string("Identity");
            String fqdn = server.computerName().toLowerCase(Locale.ROOT) + ".contoso.local";
            if (identity != null && !(identity.equalsIgnoreCase(server.computerName()) || identity.equalsIgnoreCase(fqdn)
                    || Wildcard.hasWildcard(identity) && Wildcard.matches(identity, server.computerName(), false))) {
                ctx.writeError(ctx.error("The operation couldn't be performed because object '" + identity + "' couldn't be "
                        + "found on 'DC01.contoso.local'.", "NotSpecified", "", "", identity,
                        "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
                        "[Server=" + server.computerName() + "] [FailureCategory=Cmdlet-ManagementObjectNotFoundException] "
                                + "9A91C4C0"));
                return;
            }
            ExchangeBuild cuBuild = server.cumulativeUpdate().build();
            ctx.write(PsObject.typed("Microsoft.Exchange.Data.Directory.Management.ExchangeServer")
                    .add("Name", server.computerName()).add("Fqdn", fqdn).add("Edition", server.edition())
                    .add("AdminDisplayVersion", cuBuild.adminDisplayVersion())
                    .add("ServerRole", "Mailbox").add("Site", "contoso.local/Configuration/Sites/Default-First-Site-Name")
                    .add("IsExchangeTrialEdition", false).add("IsMemberOfCluster", server.dag().isPresent() ? "Yes" : "No")
                    .add("ExchangeVersion", "0.1 (8.0.535.0)").add("Identity", server.computerName())
                    .add("DistinguishedName", "CN=" + server.computerName() + ",CN=Servers,CN=Exchange Administrative Group "
                            + "(FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,"
                            + "CN=Configuration,DC=contoso,DC=local")
                    .toStringAs(o -> server.computerName()));
        }
    }

    static final class GetCommand extends Cmdlet {
        @Override
        void process(Object input) {
            List<String> names = input != Interpreter.NO_INPUT ? List.of(Values.toStr(input)) : ctx.strings("Name");
            if (names == null) {
                for (CmdletInfo info : ctx.in.commands.all()) {
                    ctx.write(cmdletInfo(info));
                }
                return;
            }
            for (String name : names) {
                if (Wildcard.hasWildcard(name)) {
                    for (CmdletInfo info : ctx.in.commands.all()) {
                        if (Wildcard.matches(name, info.name(), false)) {
                            ctx.write(cmdletInfo(info));
                        }
                    }
                    continue;
                }
                String alias = ctx.in.commands.aliasTarget(name);
                CmdletInfo info = ctx.in.commands.resolve(name);
                if (alias != null && info != null) {
                    ctx.write(PsObject.typed("System.Management.Automation.AliasInfo", "System.Management.Automation.CommandInfo")
                            .add("CommandType", new EnumValue("System.Management.Automation.CommandTypes", "Alias", 1))
                            .add("Name", name + " -> " + info.name()).add("Definition", info.name())
                            .add("ResolvedCommand", cmdletInfo(info)).add("Version", null).add("Source", "")
                            .toStringAs(o -> name));
                    continue;
                }
                if (info != null) {
                    ctx.write(cmdletInfo(info));
                    continue;
                }
                Optional<String> application = application(name);
                if (application.isPresent()) {
                    ctx.write(applicationInfo(application.get()));
                    continue;
                }
                ctx.writeError(new ErrorRecord("The term '" + name + "' is not recognized as the name of a cmdlet, "
                        + "function, script file, or operable program. Check the spelling of the name, or if a path was "
                        + "included, verify that the path is correct and try again.",
                        "System.Management.Automation.CommandNotFoundException", "ObjectNotFound", ctx.name(), name,
                        "String", "CommandNotFoundException," + ctx.info.implementingType(), name, ctx.prefix(),
                        ctx.in.position(ctx.extent)));
            }
        }

        /** Finds an executable as Windows does: a path, or a name searched along %Path% with %PATHEXT%. */
        private Optional<String> application(String name) {
            LabFileSystem fs = ctx.server().files();
            List<String> candidates = new ArrayList<>();
            String pathext = ctx.in.env.getOrDefault("PATHEXT", ".EXE");
            List<String> extensions = new ArrayList<>();
            extensions.add("");
            for (String e : pathext.split(";")) {
                if (!e.isEmpty()) {
                    extensions.add(e.toLowerCase(Locale.ROOT));
                }
            }
            if (name.contains("\\") || name.contains("/")) {
                Optional<String> resolved = FileSystemCmdlets.resolve(ctx, name);
                resolved.ifPresent(p -> extensions.forEach(e -> candidates.add(p + e)));
            } else {
                for (String dir : ctx.in.env.getOrDefault("Path", "").split(";")) {
                    if (dir.isBlank() || !LabFileSystem.isAbsolute(dir.trim())) {
                        continue;
                    }
                    for (String e : extensions) {
                        candidates.add(dir.trim() + "\\" + name + e);
                    }
                }
            }
            for (String c : candidates) {
                try {
                    Optional<LabFileSystem.Entry> e = fs.get(c);
                    if (e.isPresent() && !e.get().directory() && isExecutable(e.get().name(), pathext)) {
                        return Optional.of(e.get().path());
                    }
                } catch (IllegalArgumentException badPath) {
                    // not a path on this host
                }
            }
            return Optional.empty();
        }

        private static boolean isExecutable(String fileName, String pathext) {
            int dot = fileName.lastIndexOf('.');
            if (dot < 0) {
                return false;
            }
            String ext = fileName.substring(dot).toLowerCase(Locale.ROOT);
            for (String e : pathext.toLowerCase(Locale.ROOT).split(";")) {
                if (e.equals(ext)) {
                    return true;
                }
            }
            return false;
        }

        private PsObject applicationInfo(String path) {
            String name = path.substring(path.lastIndexOf('\\') + 1);
            String fileVersion;
            String productVersion;
            PsVersion version;
            String productName;
            if (name.equalsIgnoreCase("ExSetup.exe")) {
                ExchangeBuild b = ctx.server().build();
                fileVersion = b.fileVersion();
                productVersion = b.fileVersion();
                version = new PsVersion(b.major(), b.minor(), b.build(), b.revision());
                productName = "Microsoft® Exchange";
            } else {
                fileVersion = "10.0.14393.0 (rs1_release.160715-1616)";
                productVersion = "10.0.14393.0";
                version = new PsVersion(10, 0, 14393, 0);
                productName = "Microsoft® Windows® Operating System";
            }
            PsVersion v = version;
            PsObject fileVersionInfo = PsObject.typed("System.Diagnostics.FileVersionInfo")
                    .add("Comments", "").add("CompanyName", "Microsoft Corporation").add("FileBuildPart", v.build())
                    .add("FileDescription", name.equalsIgnoreCase("ExSetup.exe") ? "ExSetup" : name)
                    .add("FileMajorPart", v.major()).add("FileMinorPart", v.minor()).add("FileName", path)
                    .add("FilePrivatePart", v.revision()).add("FileVersion", fileVersion)
                    .add("InternalName", name).add("IsDebug", false).add("IsPatched", false).add("IsPrivateBuild", false)
                    .add("IsPreRelease", false).add("IsSpecialBuild", false).add("Language", "Language Neutral")
                    .add("LegalCopyright", "© Microsoft Corporation. All rights reserved.")
                    .add("OriginalFilename", name).add("ProductBuildPart", v.build()).add("ProductMajorPart", v.major())
                    .add("ProductMinorPart", v.minor()).add("ProductName", productName)
                    .add("ProductPrivatePart", v.revision()).add("ProductVersion", productVersion)
                    .toStringAs(o -> "File:             " + path + "\r\nInternalName:     " + name
                            + "\r\nOriginalFilename: " + name + "\r\nFileVersion:      " + fileVersion
                            + "\r\nFileDescription:  " + o.get("FileDescription") + "\r\nProduct:          "
                            + productName + "\r\nProductVersion:   " + productVersion + "\r\nDebug:            False"
                            + "\r\nPatched:          False\r\nPreRelease:       False\r\nPrivateBuild:     False"
                            + "\r\nSpecialBuild:     False\r\nLanguage:         Language Neutral\r\n");
            return PsObject.typed("System.Management.Automation.ApplicationInfo", "System.Management.Automation.CommandInfo")
                    .add("CommandType", new EnumValue("System.Management.Automation.CommandTypes", "Application", 32))
                    .add("Name", name).add("Version", v).add("Source", path).add("Path", path).add("Definition", path)
                    .add("Extension", name.substring(name.lastIndexOf('.'))).add("FileVersionInfo", fileVersionInfo)
                    .add("Visibility", "Public").add("OutputType", new ArrayList<>())
                    .toStringAs(o -> name);
        }

        private static PsObject cmdletInfo(CmdletInfo info) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            for (Param p : info.params()) {
                parameters.put(p.name(), p.typeName());
            }
            PsHashtable table = new PsHashtable();
            parameters.forEach(table::put);
            return PsObject.typed("System.Management.Automation.CmdletInfo", "System.Management.Automation.CommandInfo")
                    .add("CommandType", new EnumValue("System.Management.Automation.CommandTypes", "Cmdlet", 8))
                    .add("Name", info.name()).add("Version", new PsVersion(3, 1, 0, 0)).add("Source", info.module())
                    .add("ModuleName", info.module()).add("Verb", info.name().substring(0, info.name().indexOf('-')))
                    .add("Noun", info.name().substring(info.name().indexOf('-') + 1)).add("Parameters", table)
                    .add("Definition", info.name()).add("ImplementingType", info.implementingType())
                    .toStringAs(o -> info.name());
        }
    }
}
