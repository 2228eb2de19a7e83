package io.antidote.lab.powershell;

import static io.antidote.lab.powershell.Param.Kind.*;

import io.antidote.lab.exchange.AppPool;
import io.antidote.lab.exchange.EventLogEntry;
import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.RewriteRule;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cmdlets over the rest of the model: server component states, the DAG, IIS (application pools,
 * URL Rewrite rules through WebAdministration's configuration cmdlets, what OWA and ECP answer),
 * the Application event log, and Start-Sleep as simulated time on the server.
 */
final class ExchangeLabCmdlets {

    private static final String EXCHANGE_SNAPIN = "Microsoft.Exchange.Management.PowerShell.SnapIn";
    private static final String WEB = "WebAdministration";
    private static final String SITE = "IIS:\\Sites\\Default Web Site";
    private static final String RULES = "system.webServer/rewrite/rules";
    private static final Pattern RULE_FILTER = Pattern.compile(
            "(?i)/?system\\.webServer/rewrite/rules/rule(?:\\[@name='((?:[^']|'')*)'\\])?(?:/(match|action|conditions))?");

    private ExchangeLabCmdlets() {
    }

    static void register() {
        Commands.add("Start-Sleep", "Microsoft.PowerShell.Commands.StartSleepCommand", "Microsoft.PowerShell.Utility",
                false, false, StartSleep::new, Param.of("Seconds", INT).pos(0), Param.of("Milliseconds", INT));
        Commands.add("Get-ServerComponentState", "Microsoft.Exchange.Management.SystemConfigurationTasks.GetServerComponentState",
                EXCHANGE_SNAPIN, true, false, GetComponentState::new, Param.of("Identity", STRING).pos(0).required().fromPipeline(),
                Param.of("Component", STRING), Param.of("DomainController", STRING));
        Commands.add("Set-ServerComponentState", "Microsoft.Exchange.Management.SystemConfigurationTasks.SetServerComponentState",
                EXCHANGE_SNAPIN, true, true, SetComponentState::new, Param.of("Identity", STRING).pos(0).required().fromPipeline(),
                Param.of("Component", STRING).required(), Param.of("State", STRING).required().oneOf("Active", "Inactive", "Draining"),
                Param.of("Requester", STRING).required().oneOf("HealthAPI", "Maintenance", "Sidelined", "Functional",
                        "Deployment"), Param.of("DomainController", STRING));
        Commands.add("Get-DatabaseAvailabilityGroup", "Microsoft.Exchange.Management.SystemConfigurationTasks.GetDatabaseAvailabilityGroup",
                EXCHANGE_SNAPIN, true, false, GetDag::new, Param.of("Identity", STRING).pos(0), Param.of("Status", SWITCH));
        Commands.add("Get-MailboxDatabaseCopyStatus", "Microsoft.Exchange.Management.SystemConfigurationTasks.GetMailboxDatabaseCopyStatus",
                EXCHANGE_SNAPIN, true, false, GetCopyStatus::new, Param.of("Identity", STRING).pos(0), Param.of("Server", STRING),
                Param.of("Local", SWITCH));
        for (String verb : List.of("Start", "Stop")) {
            Commands.add(verb + "-WebAppPool", "Microsoft.IIs.PowerShell.Provider." + verb + "AppPoolCommand", WEB, true, true,
                    () -> new AppPoolControl(verb), Param.of("Name", STRING).pos(0).required().fromPipeline(),
                    Param.of("Passthru", SWITCH));
        }
        Commands.add("Get-WebAppPoolState", "Microsoft.IIs.PowerShell.Provider.GetAppPoolStateCommand", WEB, true, false,
                () -> new AppPoolControl("Get"), Param.of("Name", STRING).pos(0).fromPipeline());
        Commands.add("Set-ItemProperty", "Microsoft.PowerShell.Commands.SetItemPropertyCommand", "Microsoft.PowerShell.Management",
                false, true, SetItemProperty::new, Param.of("Path", STRING).pos(0).required(),
                Param.of("Name", STRING).pos(1).required(), Param.of("Value", OBJECT).pos(2));
        Commands.add("Add-WebConfigurationProperty", "Microsoft.IIs.PowerShell.Provider.AddConfigurationPropertyCommand", WEB,
                false, true, () -> new WebConfiguration("Add"), Param.of("Filter", STRING).pos(0).required(),
                Param.of("PSPath", STRING).alias("Path"), Param.of("Name", STRING).required(), Param.of("Value", OBJECT),
                Param.of("Location", STRING), Param.of("AtIndex", INT));
        Commands.add("Set-WebConfigurationProperty", "Microsoft.IIs.PowerShell.Provider.SetConfigurationPropertyCommand", WEB,
                false, true, () -> new WebConfiguration("Set"), Param.of("Filter", STRING).pos(0).required(),
                Param.of("PSPath", STRING).alias("Path"), Param.of("Name", STRING).required(), Param.of("Value", OBJECT),
                Param.of("Location", STRING));
        Commands.add("Get-WebConfiguration", "Microsoft.IIs.PowerShell.Provider.GetConfigurationCommand", WEB, false, false,
                () -> new WebConfiguration("Get"), Param.of("Filter", STRING).pos(0).required(),
                Param.of("PSPath", STRING).alias("Path"), Param.of("Location", STRING));
        Commands.add("Clear-WebConfiguration", "Microsoft.IIs.PowerShell.Provider.ClearConfigurationCommand", WEB, false, true,
                () -> new WebConfiguration("Clear"), Param.of("Filter", STRING).pos(0).required(),
                Param.of("PSPath", STRING).alias("Path"), Param.of("Location", STRING));
        Commands.add("Invoke-WebRequest", "Microsoft.PowerShell.Commands.InvokeWebRequestCommand", "Microsoft.PowerShell.Utility",
                false, false, InvokeWebRequest::new, Param.of("Uri", STRING).pos(0).required(),
                Param.of("UseBasicParsing", SWITCH), Param.of("Method", STRING), Param.of("TimeoutSec", INT),
                Param.of("UseDefaultCredentials", SWITCH), Param.of("MaximumRedirection", INT));
        Commands.add("Get-WinEvent", "Microsoft.PowerShell.Commands.GetWinEventCommand", "Microsoft.PowerShell.Diagnostics",
                false, false, GetWinEvent::new, Param.of("LogName", STRINGS).pos(0), Param.of("FilterHashtable", HASHTABLE),
                Param.of("MaxEvents", INT), Param.of("Oldest", SWITCH));
    }

    /**
     * Advances the server's simulated time (a reboot's services come up without the lab waiting). On a
     * host told to sleep in real time it also waits, capped, on the lab's worker thread (never an event
     * loop), so that a rehearsal shows how a slow step behaves: timeouts, cancel, a crash in the middle.
     */
    static final class StartSleep extends Cmdlet {
        static final long MAX_REAL_MILLIS = 30_000;

        @Override
        void process(Object input) {
            long millis = Math.max(0, 1000L * ctx.integer("Seconds", 0) + ctx.integer("Milliseconds", 0));
            ctx.server().elapse(Duration.ofMillis(millis));
            if (ctx.server().realTimeSleep()) {
                try {
                    Thread.sleep(Math.min(millis, MAX_REAL_MILLIS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static boolean isThisServer(CommandContext ctx, String identity) {
        ExchangeServer s = ctx.server();
        return identity.equalsIgnoreCase(s.computerName())
                || identity.equalsIgnoreCase(s.computerName() + ".contoso.local");
    }

    private static ErrorRecord serverNotFound(CommandContext ctx, String identity) {
        return ctx.error("The operation couldn't be performed because object '" + identity + "' couldn't be found on "
                + "'DC01.contoso.local'.", "NotSpecified", "", "", identity,
                "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
                "[Server=" + ctx.server().computerName() + "] [FailureCategory=Cmdlet-ManagementObjectNotFoundException] 9A91C4C0");
    }

    static final class GetComponentState extends Cmdlet {
        @Override
        void process(Object input) {
            String identity = input != Interpreter.NO_INPUT ? Values.toStr(Members.get(input, "Name") != null
                    ? Members.get(input, "Name") : input) : ctx.string("Identity");
            if (!isThisServer(ctx, identity)) {
                ctx.writeError(serverNotFound(ctx, identity));
                return;
            }
            String component = ctx.string("Component");
            boolean any = false;
            for (Map.Entry<String, String> c : ctx.server().componentStates().entrySet()) {
                if (component != null && !c.getKey().equalsIgnoreCase(component)) {
                    continue;
                }
                any = true;
                String fqdn = ctx.server().computerName().toLowerCase(Locale.ROOT) + ".contoso.local";
                ctx.write(PsObject.typed("Microsoft.Exchange.Data.Directory.Management.ServerComponentStatePresentationObject")
                        .add("ServerFqdn", fqdn).add("Component", c.getKey())
                        .add("State", new EnumValue("Microsoft.Exchange.Data.ServiceState", c.getValue(),
                                c.getValue().equals("Active") ? 1 : c.getValue().equals("Draining") ? 2 : 0))
                        .add("Identity", fqdn + "\\" + c.getKey()));
            }
            if (component != null && !any) {
                ctx.writeError(ctx.error("Component " + component + " is not valid.", "InvalidArgument", "", "", component,
                        "System.ArgumentException", "[Server=" + ctx.server().computerName() + "] 4E3D5F11"));
            }
        }
    }

    static final class SetComponentState extends Cmdlet {
        @Override
        void process(Object input) {
            String identity = input != Interpreter.NO_INPUT ? Values.toStr(input) : ctx.string("Identity");
            if (!isThisServer(ctx, identity)) {
                ctx.writeError(serverNotFound(ctx, identity));
                return;
            }
            String component = ctx.string("Component");
            if (!ctx.shouldProcess("Set-ServerComponentState", identity + "\\" + component)) {
                return;
            }
            if (!ctx.server().setComponentState(component, ctx.string("State"))) {
                ctx.writeError(ctx.error("Component " + component + " is not valid.", "InvalidArgument", "", "", component,
                        "System.ArgumentException", "[Server=" + ctx.server().computerName() + "] 4E3D5F11"));
            }
        }
    }

    static final class GetDag extends Cmdlet {
        @Override
        void process(Object input) {
            ExchangeServer s = ctx.server();
            String identity = ctx.string("Identity");
            if (s.dag().isEmpty() || identity != null && !identity.equalsIgnoreCase(s.dag().get())) {
                if (identity != null) {
                    ctx.writeError(ctx.error("The operation couldn't be performed because object '" + identity
                            + "' couldn't be found on 'DC01.contoso.local'.", "NotSpecified", "", "", identity,
                            "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException", "D2F1E3A7"));
                }
                return;
            }
            ctx.write(PsObject.typed("Microsoft.Exchange.Data.Directory.SystemConfiguration.DatabaseAvailabilityGroup")
                    .add("Name", s.dag().get()).add("Servers", List.of(s.computerName()))
                    .add("OperationalServers", List.of(s.computerName())).toStringAs(o -> s.dag().get()));
        }
    }

    static final class GetCopyStatus extends Cmdlet {
        @Override
        void process(Object input) {
            ExchangeServer s = ctx.server();
            String server = ctx.string("Server");
            if (server != null && !isThisServer(ctx, server)) {
                ctx.writeError(serverNotFound(ctx, server));
                return;
            }
            boolean offline = !"Active".equals(s.componentStates().get("ServerWideOffline"))
                    || s.service("MSExchangeIS").map(svc -> svc.status() != io.antidote.lab.exchange.WindowsService.Status.Running)
                    .orElse(true);
            String status = offline ? "ServiceDown" : s.dag().isPresent() ? "Healthy" : "Mounted";
            ctx.write(PsObject.typed("Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseCopyStatusEntry")
                    .add("Name", "DB01\\" + s.computerName()).add("Status", status).add("CopyQueueLength", 0)
                    .add("ReplayQueueLength", 0).add("ContentIndexState", offline ? "Unknown" : "Healthy")
                    .toStringAs(o -> "DB01\\" + s.computerName()));
        }
    }

    private static ErrorRecord noAppPool(CommandContext ctx, String name) {
        return ctx.error("Cannot find path 'IIS:\\AppPools\\" + name + "' because it does not exist.", "ObjectNotFound",
                name, "String", name, "System.Management.Automation.ItemNotFoundException", "PathNotFound");
    }

    static final class AppPoolControl extends Cmdlet {
        private final String verb;

        AppPoolControl(String verb) {
            this.verb = verb;
        }

        @Override
        void process(Object input) {
            String name = input != Interpreter.NO_INPUT ? Values.toStr(input) : ctx.string("Name");
            ExchangeServer s = ctx.server();
            if (name == null) {
                s.appPools().forEach(p -> ctx.write(state(p)));
                return;
            }
            AppPool pool = s.appPool(name).orElse(null);
            if (pool == null) {
                ctx.writeError(noAppPool(ctx, name));
                return;
            }
            if (verb.equals("Get")) {
                ctx.write(state(pool));
                return;
            }
            if (!ctx.shouldProcess(verb + "-WebAppPool", name)) {
                return;
            }
            s.setAppPool(pool.name(), verb.equals("Start"), pool.autoStart());
        }

        private static PsObject state(AppPool p) {
            String v = p.started() ? "Started" : "Stopped";
            return PsObject.typed("Microsoft.IIs.PowerShell.Framework.CodeProperty").add("Value", v).toStringAs(o -> v);
        }
    }

    static final class SetItemProperty extends Cmdlet {
        @Override
        void process(Object input) {
            String path = ctx.string("Path");
            String prefix = "IIS:\\AppPools\\";
            if (!path.regionMatches(true, 0, prefix, 0, prefix.length())) {
                throw ctx.terminating(ctx.error("The lab models Set-ItemProperty only on IIS:\\AppPools\\<pool>.",
                        "NotImplemented", path, "String", path, "System.NotSupportedException", "NotSupported"));
            }
            String pool = path.substring(prefix.length());
            ExchangeServer s = ctx.server();
            AppPool p = s.appPool(pool).orElse(null);
            if (p == null) {
                ctx.writeError(noAppPool(ctx, pool));
                return;
            }
            if (!ctx.string("Name").equalsIgnoreCase("autoStart")) {
                throw ctx.terminating(ctx.error("The lab models only the autoStart property of application pools.",
                        "NotImplemented", path, "String", path, "System.NotSupportedException", "NotSupported"));
            }
            if (ctx.shouldProcess("Set Property", "Item: " + path + " Property: autoStart")) {
                s.setAppPool(p.name(), p.started(), Values.toBool(ctx.get("Value")));
            }
        }
    }

    /** WebAdministration's configuration cmdlets, for URL Rewrite rules on Default Web Site only. */
    static final class WebConfiguration extends Cmdlet {
        private final String verb;

        WebConfiguration(String verb) {
            this.verb = verb;
        }

        @Override
        void process(Object input) {
            String psPath = ctx.string("PSPath");
            if (psPath != null && !psPath.replace("MACHINE/WEBROOT/APPHOST/", "IIS:\\Sites\\").equalsIgnoreCase(SITE)) {
                throw unsupported("the lab models configuration of 'IIS:\\Sites\\Default Web Site' only");
            }
            String filter = ctx.string("Filter");
            ExchangeServer s = ctx.server();
            if (filter.replaceFirst("^/", "").equalsIgnoreCase(RULES)) {
                if (verb.equals("Add") && ".".equals(ctx.string("Name"))) {
                    Object v = ctx.get("Value");
                    String name = Values.toStr(Members.get(v, "name"));
                    if (name == null || name.isEmpty()) {
                        throw unsupported("a rewrite rule needs a name");
                    }
                    RewriteRule r = RewriteRule.named(name);
                    if (Members.get(v, "patternSyntax") != null) {
                        r = r.withPatternSyntax(Values.toStr(Members.get(v, "patternSyntax")));
                    }
                    Object stop = Members.get(v, "stopProcessing");
                    if (stop != null) {
                        // IIS reads the attribute as text: 'False' is false.
                        r = r.withStopProcessing(stop instanceof String text ? text.equalsIgnoreCase("true") : Values.toBool(stop));
                    }
                    if (s.rewriteRule(name).isPresent()) {
                        throw ctx.terminating(ctx.error("Filename: \r\nError: Cannot add duplicate collection entry of type "
                                + "'rule' with unique key attribute 'name' set to '" + name + "'", "NotSpecified", "", "", null,
                                "System.Runtime.InteropServices.COMException", "System.Runtime.InteropServices.COMException"));
                    }
                    if (ctx.shouldProcess("Add-WebConfigurationProperty", RULES)) {
                        s.putRewriteRule(r);
                    }
                    return;
                }
                if (verb.equals("Get")) {
                    s.rewriteRules().forEach(r -> ctx.write(view(r)));
                    return;
                }
                throw unsupported("the lab reads this filter only with Get-WebConfiguration or adds rules with -Name '.'");
            }
            Matcher m = RULE_FILTER.matcher(filter);
            if (!m.matches() || m.group(1) == null) {
                if (m.matches() && verb.equals("Get")) {
                    s.rewriteRules().forEach(r -> ctx.write(view(r)));
                    return;
                }
                throw unsupported("the lab models the filter system.webServer/rewrite/rules/rule[@name='...'] and its "
                        + "match, action and conditions");
            }
            String name = m.group(1).replace("''", "'");
            String part = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            RewriteRule rule = s.rewriteRule(name).orElse(null);
            switch (verb) {
                case "Get" -> {
                    if (rule != null) {
                        ctx.write(part.isEmpty() ? view(rule) : Members.get(view(rule), part));
                    }
                }
                case "Clear" -> {
                    if (rule != null && part.isEmpty() && ctx.shouldProcess("Clear-WebConfiguration", filter)) {
                        s.removeRewriteRule(name);
                    }
                }
                default -> {
                    if (rule == null) {
                        throw ctx.terminating(ctx.error("Target configuration object '" + filter + " is not found at path '"
                                + "MACHINE/WEBROOT/APPHOST/Default Web Site'.", "NotSpecified", "", "", null,
                                "System.ArgumentException", "System.ArgumentException"));
                    }
                    String prop = ctx.string("Name");
                    Object value = ctx.get("Value");
                    RewriteRule changed;
                    if (part.equals("match") && prop.equalsIgnoreCase("url")) {
                        changed = rule.withMatchUrl(Values.toStr(value));
                    } else if (part.equals("action") && prop.equalsIgnoreCase("type")) {
                        changed = rule.withAction(Values.toStr(value));
                    } else if (part.equals("conditions") && verb.equals("Add") && prop.equals(".")) {
                        changed = rule.withCondition(new RewriteRule.Condition(Values.toStr(Members.get(value, "input")),
                                Values.toStr(Members.get(value, "pattern"))));
                    } else {
                        throw unsupported("the lab sets match/url, action/type and adds conditions only");
                    }
                    if (ctx.shouldProcess(verb + "-WebConfigurationProperty", filter)) {
                        s.putRewriteRule(changed);
                    }
                }
            }
        }

        private PsException unsupported(String why) {
            return ctx.terminating(ctx.error(why + ".", "NotImplemented", "", "", null, "System.NotSupportedException",
                    "NotSupported"));
        }

        private static PsObject view(RewriteRule r) {
            List<Object> conditions = new java.util.ArrayList<>();
            for (RewriteRule.Condition c : r.conditions()) {
                conditions.add(PsObject.typed("Microsoft.IIs.PowerShell.Framework.ConfigurationElement")
                        .add("input", c.input()).add("pattern", c.pattern()));
            }
            return PsObject.typed("Microsoft.IIs.PowerShell.Framework.ConfigurationElement")
                    .add("name", r.name()).add("patternSyntax", r.patternSyntax()).add("stopProcessing", r.stopProcessing())
                    .add("match", PsObject.typed("Microsoft.IIs.PowerShell.Framework.ConfigurationElement").add("url", r.matchUrl()))
                    .add("conditions", PsObject.typed("Microsoft.IIs.PowerShell.Framework.ConfigurationElement")
                            .add("Collection", conditions))
                    .add("action", PsObject.typed("Microsoft.IIs.PowerShell.Framework.ConfigurationElement").add("type", r.actionType()))
                    .add("ItemXPath", "/system.webServer/rewrite/rules/rule[@name='" + r.name() + "']");
        }
    }

    static final class InvokeWebRequest extends Cmdlet {
        private static final Pattern LOCAL = Pattern.compile("(?i)https?://([^/:]+)(?::\\d+)?/([A-Za-z]+)(/.*)?");

        @Override
        void process(Object input) {
            String uri = ctx.string("Uri");
            ExchangeServer s = ctx.server();
            Matcher m = LOCAL.matcher(uri);
            String host = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
            if (!(host.equals("localhost") || host.equals("127.0.0.1") || host.equalsIgnoreCase(s.computerName())
                    || host.equalsIgnoreCase(s.computerName() + ".contoso.local"))) {
                throw webError("The remote name could not be resolved: '" + host + "'");
            }
            int status = s.webStatus(m.group(2));
            if (status == 0) {
                throw webError("Unable to connect to the remote server");
            }
            String reason = switch (status) {
                case 200 -> "OK";
                case 404 -> "Not Found";
                case 500 -> "Internal Server Error";
                default -> "Server Unavailable";
            };
            if (status != 200) {
                throw webError("The remote server returned an error: (" + status + ") " + reason + ".");
            }
            String content = "<html><body><h1>200 OK</h1><h2>" + s.computerName().toLowerCase(Locale.ROOT)
                    + ".contoso.local</h2></body></html>";
            ctx.write(PsObject.typed("Microsoft.PowerShell.Commands.BasicHtmlWebResponseObject")
                    .add("StatusCode", 200).add("StatusDescription", "OK").add("Content", content)
                    .add("RawContentLength", content.length()).toStringAs(o -> content));
        }

        private PsException webError(String message) {
            return ctx.terminating(ctx.error(message, "InvalidOperation", "", "", null, "System.Net.WebException",
                    "WebCmdletWebResponseException"));
        }
    }

    static final class GetWinEvent extends Cmdlet {
        @Override
        void process(Object input) {
            List<String> logs = ctx.strings("LogName");
            PsHashtable filter = (PsHashtable) ctx.get("FilterHashtable");
            String log = logs != null && !logs.isEmpty() ? logs.get(0)
                    : filter != null && filter.get("LogName") != null ? Values.toStr(filter.get("LogName")) : null;
            String provider = filter != null && filter.get("ProviderName") != null ? Values.toStr(filter.get("ProviderName")) : null;
            Integer level = filter != null && filter.get("Level") != null ? Values.toInt(filter.get("Level")) : null;
            if (log == null || !(log.equalsIgnoreCase("Application") || log.equalsIgnoreCase("System")
                    || log.equalsIgnoreCase("Security"))) {
                ctx.writeError(ctx.error("There is not an event log on the localhost computer that matches \"" + log + "\".",
                        "ObjectNotFound", "", "", log, "System.Exception", "NoMatchingLogsFound"));
                return;
            }
            int max = ctx.integer("MaxEvents", Integer.MAX_VALUE);
            List<EventLogEntry> found = ctx.server().events().stream()
                    .filter(e -> e.logName().equalsIgnoreCase(log))
                    .filter(e -> provider == null || e.providerName().equalsIgnoreCase(provider))
                    .filter(e -> level == null || levelNumber(e.level()) == level)
                    .sorted((a, b) -> b.timeCreated().compareTo(a.timeCreated()))
                    .limit(max).toList();
            if (found.isEmpty()) {
                ctx.writeError(ctx.error("No events were found that match the specified selection criteria.",
                        "ObjectNotFound", "", "", null, "System.Exception", "NoMatchingEventsFound"));
                return;
            }
            for (EventLogEntry e : found) {
                ctx.write(PsObject.typed("System.Diagnostics.Eventing.Reader.EventLogRecord")
                        .add("TimeCreated", e.timeCreated()).add("ProviderName", e.providerName()).add("Id", e.id())
                        .add("Level", levelNumber(e.level())).add("LevelDisplayName", e.level()).add("LogName", e.logName())
                        .add("Message", e.message()).toStringAs(o -> "System.Diagnostics.Eventing.Reader.EventLogRecord"));
            }
        }

        private static int levelNumber(String level) {
            return switch (level) {
                case "Critical" -> 1;
                case "Error" -> 2;
                case "Warning" -> 3;
                default -> 4;
            };
        }
    }
}
