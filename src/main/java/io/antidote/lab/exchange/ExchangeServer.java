package io.antidote.lab.exchange;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One simulated Exchange server: its build and security updates, services, firewall rules,
 * disk and registry, and what a reboot does. Deterministic: the only time it knows is the one a
 * caller passes in. Every method locks the server, and {@code PowerShell} holds the same lock for
 * a whole script, so two shells on one host see each other's changes only between scripts.
 */
public final class ExchangeServer {

    /** {@code $env:ExchangeInstallPath}, the registry's MsiInstallPath. */
    public static final String INSTALL_PATH = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\";
    public static final String EXSETUP_PATH = INSTALL_PATH + "Bin\\ExSetup.exe";
    public static final String PATCH_SHARE = "C:\\Patches";
    /** The out-of-band March updates for CUs too old for the share's package, one per CU. */
    public static final String OUT_OF_BAND_SHARE = PATCH_SHARE + "\\OutOfBand";
    public static final String SETUP_REGISTRY_KEY = "HKLM:\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup";
    public static final String UPDATES_REGISTRY_KEY = "HKLM:\\SOFTWARE\\Microsoft\\Updates";

    /** When the lab's servers were built: before ProxyLogon was known. */
    private static final LocalDateTime INSTALLED = LocalDateTime.of(2021, 1, 12, 9, 30, 0);

    private final String name;
    private final ServerSpec spec;
    private final CumulativeUpdate cu;
    private final Map<Fault, java.time.Duration> faults;
    private final Map<String, String> components = new LinkedHashMap<>();
    private final Map<String, AppPool> appPools = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final List<RewriteRule> rewriteRules = new ArrayList<>();
    private final List<EventLogEntry> events = new ArrayList<>();
    private final List<Runnable> restartListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean webBroken;
    private java.time.Duration bootRemaining = java.time.Duration.ZERO;
    private final String edition = "Standard";
    private final TreeMap<String, WindowsService> services = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final List<FirewallRule> firewallRules = new ArrayList<>();
    private final List<InstalledUpdate> updates = new ArrayList<>();
    private final List<Hotfix> hotfixes;
    private final LabFileSystem files = new LabFileSystem();
    /** Every command line msiexec was started with, in order: the witness that an install was or was not tried. */
    private final List<String> installerRuns = new ArrayList<>();
    private ExchangeBuild build;
    private boolean pendingReboot;
    private int rebootCount;
    /** Fault refuse-update-once has refused its one install. */
    private boolean updateRefusedOnce;
    private int rulesCreated;

    private ExchangeServer(String name, ServerSpec spec) {
        this.name = name;
        this.spec = spec;
        this.cu = spec.cumulativeUpdate();
        this.build = cu.build();
        Map<Fault, java.time.Duration> f = new java.util.EnumMap<>(Fault.class);
        spec.faultSettings().forEach(setting -> f.put(setting.fault(), setting.duration()));
        this.faults = Collections.unmodifiableMap(f);
        this.hotfixes = List.of(
                new Hotfix("KB4598480", "Update", "NT AUTHORITY\\SYSTEM", LocalDate.of(2021, 1, 13)),
                new Hotfix("KB5000803", "Security Update", "NT AUTHORITY\\SYSTEM", LocalDate.of(2021, 2, 10)));
        installServices();
        installFirewallDefaults();
        installFiles();
        spoilPackages();
        installComponentsAndAppPools();
        for (String kb : spec.updates()) {
            // Installed and rebooted before the lab's story starts: the day after Microsoft released it.
            applySecurityUpdate(kb, cu.fixedBuild(), SECURITY_UPDATE_RELEASED.plusDays(1));
            pendingReboot = false;
        }
        for (String c : spec.compromise()) {
            Compromise.fromName(c).plant(this);
        }
    }

    private static final LocalDateTime SECURITY_UPDATE_RELEASED = LocalDateTime.of(2021, 3, 2, 18, 0, 0);

    /**
     * A fresh server named {@code name} (the host name; Windows reports it upper-cased as
     * COMPUTERNAME, and the Exchange server object carries the same name).
     */
    public static ExchangeServer create(String name, ServerSpec spec) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("a host name is letters, digits and hyphens (at most 63)");
        }
        if (spec == null) {
            throw new IllegalArgumentException("no server spec given");
        }
        return new ExchangeServer(name, spec);
    }

    private void installServices() {
        service("MSExchangeADTopology", "Microsoft Exchange Active Directory Topology");
        service("MSExchangeFrontEndTransport", "Microsoft Exchange Frontend Transport");
        service("MSExchangeIS", "Microsoft Exchange Information Store");
        service("MSExchangeTransport", "Microsoft Exchange Transport");
        service("MSExchangeRPC", "Microsoft Exchange RPC Client Access");
        service("MSExchangeServiceHost", "Microsoft Exchange Service Host");
        service("MSExchangeHM", "Microsoft Exchange Health Manager");
        service("MSExchangeHMRecovery", "Microsoft Exchange Health Manager Recovery");
        if (!cu.version().equals("2019")) {
            service("MSExchangeUM", "Microsoft Exchange Unified Messaging");
            service("MSExchangeUMCR", "Microsoft Exchange Unified Messaging Call Router");
        }
        service("W3SVC", "World Wide Web Publishing Service");
        service("WAS", "Windows Process Activation Service");
        service("WinRM", "Windows Remote Management (WS-Management)");
    }

    /** Server component states as a healthy server reports them, and the IIS application pools of Exchange. */
    private void installComponentsAndAppPools() {
        for (String c : List.of("ServerWideOffline", "HubTransport", "FrontendTransport", "Monitoring",
                "RecoveryActionsEnabled", "AutoDiscoverProxy", "ActiveSyncProxy", "EcpProxy", "EwsProxy", "ImapProxy",
                "OabProxy", "OwaProxy", "PopProxy", "PushNotificationsProxy", "RpsProxy", "RwsProxy", "RpcProxy",
                "UMCallRouter", "XropProxy", "HttpProxyAvailabilityGroup", "ForwardSyncDaemon", "ProvisioningRps",
                "MapiProxy", "EdgeTransport", "HighAvailability", "SharedCache", "MailboxDeliveryProxy",
                "RoutingUpdates", "RestProxy", "DefaultProxy")) {
            if (c.equals("UMCallRouter") && cu.version().equals("2019")) {
                continue;
            }
            components.put(c, "Active");
        }
        for (String pool : List.of("DefaultAppPool", "MSExchangeAutodiscoverAppPool", "MSExchangeECPAppPool",
                "MSExchangeOABAppPool", "MSExchangeOWAAppPool", "MSExchangePowerShellAppPool",
                "MSExchangeServicesAppPool", "MSExchangeSyncAppPool", "MSExchangeMapiFrontEndAppPool",
                "MSExchangeRpcProxyFrontEndAppPool")) {
            appPools.put(pool, new AppPool(pool, true, true));
        }
    }

    private void service(String serviceName, String displayName) {
        services.put(serviceName, new WindowsService(serviceName, displayName,
                WindowsService.Status.Running, WindowsService.StartType.Automatic));
    }

    private void installFirewallDefaults() {
        firewallRules.add(new FirewallRule("WINRM-HTTP-In-TCP", "Windows Remote Management (HTTP-In)",
                "Inbound rule for Windows Remote Management via WS-Management. [TCP 5985]",
                FirewallRule.Direction.Inbound, "TCP", List.of("5985"), FirewallRule.Action.Allow, true));
        firewallRules.add(new FirewallRule("IIS-WebServerRole-HTTP-In-TCP", "World Wide Web Services (HTTP Traffic-In)",
                "An inbound rule to allow HTTP traffic for Internet Information Services (IIS) [TCP 80]",
                FirewallRule.Direction.Inbound, "TCP", List.of("80"), FirewallRule.Action.Allow, true));
        firewallRules.add(new FirewallRule("IIS-WebServerRole-HTTPS-In-TCP", "World Wide Web Services (HTTPS Traffic-In)",
                "An inbound rule to allow HTTPS traffic for Internet Information Services (IIS) [TCP 443]",
                FirewallRule.Direction.Inbound, "TCP", List.of("443"), FirewallRule.Action.Allow, true));
    }

    private void installFiles() {
        String versionFolder = cu.build().major() + "." + cu.build().minor() + "." + cu.build().build();
        String owaAuth = INSTALL_PATH + "FrontEnd\\HttpProxy\\owa\\auth\\";
        files.writeFile(EXSETUP_PATH, "MZ ExSetup", INSTALLED);
        for (String page : List.of("errorFE.aspx", "ExpiredPassword.aspx", "frowny.aspx", "logoff.aspx",
                "logon.aspx", "OutlookCN.aspx", "RedirSuiteServiceProxy.aspx", "signout.aspx")) {
            files.writeFile(owaAuth + page, legitimatePage(page), INSTALLED);
        }
        files.writeFile(owaAuth + versionFolder + "\\themes\\resources\\logon.css",
                "body { font-family: \"Segoe UI\", Tahoma, sans-serif; }\r\n", INSTALLED);
        files.writeFile(INSTALL_PATH + "FrontEnd\\HttpProxy\\ecp\\auth\\TimeoutLogoff.aspx",
                legitimatePage("TimeoutLogoff.aspx"), INSTALLED);
        files.writeFile(INSTALL_PATH + "ClientAccess\\Owa\\auth\\" + versionFolder + "\\scripts\\premium\\flogon.js",
                "function IsOwaPremiumBrowser(){return true;}\r\n", INSTALLED);
        files.createDirectory(INSTALL_PATH + "ClientAccess\\OAB", INSTALLED);
        // Where the per-CVE log lines will go (a later compromise kind writes them).
        for (String protocol : List.of("Autodiscover", "Ecp", "Ews", "Mapi", "Oab", "Owa")) {
            files.createDirectory(INSTALL_PATH + "Logging\\HttpProxy\\" + protocol, INSTALLED);
        }
        files.createDirectory(INSTALL_PATH + "Logging\\OABGeneratorLog", INSTALLED);
        files.createDirectory(INSTALL_PATH + "Logging\\ECP\\Server", INSTALLED);
        files.createDirectory("C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\4_0_30319", INSTALLED);
        files.writeFile("C:\\inetpub\\wwwroot\\iisstart.htm", "<!DOCTYPE html><html><body>IIS</body></html>\r\n", INSTALLED);
        files.writeFile("C:\\Windows\\System32\\msiexec.exe", "MZ msiexec", INSTALLED);
        files.writeFile("C:\\Windows\\Temp\\MpCmdRun.log", "MpCmdRun: Command Line: \"MpCmdRun.exe\" -wdenable\r\n", INSTALLED);
        files.createDirectory("C:\\ProgramData\\Microsoft\\Windows Defender", INSTALLED);
        files.createDirectory("C:\\Users\\Administrator\\Documents", INSTALLED);
        for (String version : List.of("2013", "2016", "2019")) {
            files.writeFile(PATCH_SHARE + "\\Exchange" + version + "-" + ProxyLogonFix.KB + "-x64-en.msp",
                    PatchPackage.content(ProxyLogonFix.KB, version, null), INSTALLED);
        }
        for (CumulativeUpdate old : CumulativeUpdate.values()) {
            if (old.hasOutOfBandUpdate()) {
                files.writeFile(outOfBandPackage(old), PatchPackage.content(ProxyLogonFix.KB, old.version(), old.cuName()),
                        INSTALLED);
            }
        }
        // IIS's own request log of the default site: evidence a responder keeps before anything changes.
        files.writeFile("C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex210303.log", "#Software: Microsoft Internet Information Services 10.0\r\n"
                + "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip sc-status\r\n"
                + "2021-03-03 04:12:30 10.0.0.5 POST /ecp/y.js - 443 - 86.105.18.116 200\r\n", INSTALLED);
    }

    /** The faults that stand for a package someone altered or stripped of its signature on the share. */
    private void spoilPackages() {
        for (LabFileSystem.Entry e : files.all()) {
            if (e.directory() || !e.name().toLowerCase(Locale.ROOT).endsWith(".msp")) {
                continue;
            }
            if (faults.containsKey(Fault.TAMPERED_PACKAGE)) {
                files.writeFile(e.path(), PatchPackage.tampered(e.content()), e.lastWriteTime());
            } else if (faults.containsKey(Fault.UNSIGNED_PACKAGE)) {
                files.writeFile(e.path(), PatchPackage.unsigned(e.content()), e.lastWriteTime());
            }
        }
    }

    /** Where the lab keeps the out-of-band March update of an old CU: {@code C:\\Patches\\OutOfBand\\Exchange2016-KB5000871-CU17-x64-en.msp}. */
    public static String outOfBandPackage(CumulativeUpdate old) {
        return OUT_OF_BAND_SHARE + "\\Exchange" + old.version() + "-" + ProxyLogonFix.KB + "-" + old.cuName() + "-x64-en.msp";
    }

    private static String legitimatePage(String page) {
        return "<%@ Page language=\"c#\" AutoEventWireup=\"false\" Inherits=\"Microsoft.Exchange.HttpProxy."
                + page.replace(".aspx", "") + "\" %>\r\n<!DOCTYPE html>\r\n<html><head><title>Outlook</title></head>"
                + "<body><%= Strings.GetLocalizedString(Strings.IDs.SignInPageTitle) %></body></html>\r\n";
    }

    public String name() {
        return name;
    }

    /** %COMPUTERNAME%: the NetBIOS name, upper-case. */
    public String computerName() {
        return name.toUpperCase(Locale.ROOT);
    }

    public ServerSpec spec() {
        return spec;
    }

    public CumulativeUpdate cumulativeUpdate() {
        return cu;
    }

    public String edition() {
        return edition;
    }

    /** The build ExSetup.exe reports: the CU's, raised by a security update. */
    public synchronized ExchangeBuild build() {
        return build;
    }

    public synchronized boolean isPatched() {
        return ProxyLogonFix.isPatched(build);
    }

    /** An enabled inbound Block rule covers TCP 443. */
    public synchronized boolean isIsolated() {
        return firewallRules.stream().anyMatch(FirewallRule::blocksInboundHttps);
    }

    /** The command lines msiexec ran with, oldest first. */
    public synchronized List<String> installerRuns() {
        return List.copyOf(installerRuns);
    }

    public synchronized boolean pendingReboot() {
        return pendingReboot;
    }

    public synchronized int rebootCount() {
        return rebootCount;
    }

    private volatile boolean realTimeSleep;

    /** Whether Start-Sleep on this host waits for real as well as advancing simulated time. */
    public boolean realTimeSleep() {
        return realTimeSleep;
    }

    public void realTimeSleep(boolean real) {
        this.realTimeSleep = real;
    }

    /** Whether a remote session on the host gets an elevated token (the High Mandatory Level label). */
    public boolean elevated() {
        return !faults.containsKey(Fault.NON_ELEVATED);
    }

    public synchronized boolean hasFault(Fault fault) {
        return faults.containsKey(fault);
    }

    /** Under fault refuse-update-once: true for the first install asked of the host, false ever after. */
    public synchronized boolean refusesThisUpdateOnce() {
        if (!faults.containsKey(Fault.REFUSE_UPDATE_ONCE) || updateRefusedOnce) {
            return false;
        }
        updateRefusedOnce = true;
        return true;
    }

    public synchronized boolean hasUpdate(String kb) {
        return updates.stream().anyMatch(u -> u.kb().equalsIgnoreCase(kb));
    }

    public synchronized List<InstalledUpdate> installedUpdates() {
        return List.copyOf(updates);
    }

    public synchronized List<Hotfix> hotfixes() {
        return hotfixes;
    }

    /** The disk. Callers outside a script must hold the server's lock while using it. */
    public LabFileSystem files() {
        return files;
    }

    // --- services ---

    public synchronized List<WindowsService> services() {
        return List.copyOf(services.values());
    }

    public synchronized Optional<WindowsService> service(String serviceName) {
        return Optional.ofNullable(services.get(serviceName));
    }

    public synchronized void setServiceStatus(String serviceName, WindowsService.Status status) {
        services.computeIfPresent(serviceName, (k, s) -> s.withStatus(status));
    }

    public synchronized void setServiceStartType(String serviceName, WindowsService.StartType startType) {
        services.computeIfPresent(serviceName, (k, s) -> s.withStartType(startType));
    }

    // --- firewall ---

    public synchronized List<FirewallRule> firewallRules() {
        return List.copyOf(firewallRules);
    }

    /** Adds a rule; the id is a GUID derived from the host and a counter, so runs repeat exactly. */
    public synchronized FirewallRule addFirewallRule(String displayName, String description,
                                                     FirewallRule.Direction direction, String protocol,
                                                     List<String> localPorts, FirewallRule.Action action,
                                                     boolean enabled) {
        rulesCreated++;
        String id = "{" + UUID.nameUUIDFromBytes((name + "/firewall-rule/" + rulesCreated).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "}";
        FirewallRule rule = new FirewallRule(id, displayName, description, direction, protocol, localPorts,
                action, enabled);
        firewallRules.add(rule);
        return rule;
    }

    public synchronized boolean removeFirewallRule(String ruleName) {
        return firewallRules.removeIf(r -> r.name().equalsIgnoreCase(ruleName));
    }

    public synchronized void setFirewallRuleEnabled(String ruleName, boolean enabled) {
        firewallRules.replaceAll(r -> r.name().equalsIgnoreCase(ruleName) ? r.withEnabled(enabled) : r);
    }

    // --- updates and reboots ---

    /**
     * Runs {@code msiexec.exe} with that command line (see {@link Msiexec} for the exit codes).
     * A successful security update install takes effect at once and asks for a reboot (3010).
     */
    public synchronized int msiexec(String commandLine, String workingDirectory, LocalDateTime now) {
        installerRuns.add(commandLine);
        return Msiexec.run(this, commandLine, workingDirectory, now);
    }

    synchronized void applySecurityUpdate(String kb, ExchangeBuild fixed, LocalDateTime now) {
        build = fixed;
        if (faults.containsKey(Fault.NON_ELEVATED_INSTALL)) {
            // Without elevation the installer could not register the new assemblies in the GAC.
            webBroken = true;
        }
        updates.add(new InstalledUpdate(kb, "Security Update for Exchange Server " + cu.version()
                + " Cumulative Update " + cu.cuName().substring(2) + " (" + kb + ")", now.toLocalDate()));
        pendingReboot = true;
        // The installer replaces ExSetup.exe and the other binaries.
        files.writeFile(EXSETUP_PATH, "MZ ExSetup", now);
    }

    /**
     * A restart: the pending reboot is done and services come back as their start type says
     * (Automatic ones running, the others stopped). Unreachability is the endpoint's business.
     */
    public synchronized void restart() {
        pendingReboot = false;
        rebootCount++;
        bootRemaining = BOOT_TIME;
        // Exchange's services take a while after a restart (StartPending); Windows' own are up at once.
        services.replaceAll((k, s) -> s.withStatus(s.startType() != WindowsService.StartType.Automatic
                ? WindowsService.Status.Stopped
                : k.regionMatches(true, 0, "MSExchange", 0, 10) ? WindowsService.Status.StartPending
                : WindowsService.Status.Running));
        appPools.replaceAll((k, p) -> p.withStarted(p.autoStart()));
        restartListeners.forEach(Runnable::run);
    }

    /** How long Exchange's services take to start after a restart, in the server's simulated time. */
    public static final java.time.Duration BOOT_TIME = java.time.Duration.ofSeconds(90);

    /**
     * Simulated time passes on the server (a script's Start-Sleep): services still starting after a
     * restart are running once {@link #BOOT_TIME} has passed. The lab never really waits.
     */
    public synchronized void elapse(java.time.Duration d) {
        if (bootRemaining.isZero() || d.isNegative()) {
            return;
        }
        bootRemaining = bootRemaining.minus(d);
        if (bootRemaining.isNegative() || bootRemaining.isZero()) {
            bootRemaining = java.time.Duration.ZERO;
            services.replaceAll((k, s) -> s.status() == WindowsService.Status.StartPending
                    ? s.withStatus(WindowsService.Status.Running) : s);
        }
    }

    /** Called (on the restarting thread) after every restart: the endpoint's business of going away for a while. */
    public void onRestart(Runnable listener) {
        restartListeners.add(listener);
    }

    public synchronized Optional<java.time.Duration> faultDuration(Fault fault) {
        return Optional.ofNullable(faults.get(fault));
    }

    // --- server component states ---

    public synchronized Map<String, String> componentStates() {
        return new LinkedHashMap<>(components);
    }

    /** Sets a component's state; false if there is no such component. States: Active, Inactive, Draining. */
    public synchronized boolean setComponentState(String component, String state) {
        for (String c : components.keySet()) {
            if (c.equalsIgnoreCase(component)) {
                components.put(c, state);
                return true;
            }
        }
        return false;
    }

    // --- IIS: application pools, URL Rewrite rules on Default Web Site, what OWA and ECP answer ---

    public synchronized List<AppPool> appPools() {
        return List.copyOf(appPools.values());
    }

    public synchronized Optional<AppPool> appPool(String pool) {
        return Optional.ofNullable(appPools.get(pool));
    }

    public synchronized void setAppPool(String pool, boolean started, boolean autoStart) {
        appPools.computeIfPresent(pool, (k, p) -> new AppPool(p.name(), started, autoStart));
    }

    public synchronized List<RewriteRule> rewriteRules() {
        return List.copyOf(rewriteRules);
    }

    public synchronized Optional<RewriteRule> rewriteRule(String ruleName) {
        return rewriteRules.stream().filter(r -> r.name().equalsIgnoreCase(ruleName)).findFirst();
    }

    /** Adds or replaces (by name) a rule. */
    public synchronized void putRewriteRule(RewriteRule rule) {
        for (int i = 0; i < rewriteRules.size(); i++) {
            if (rewriteRules.get(i).name().equalsIgnoreCase(rule.name())) {
                rewriteRules.set(i, rule);
                return;
            }
        }
        rewriteRules.add(rule);
    }

    public synchronized boolean removeRewriteRule(String ruleName) {
        return rewriteRules.removeIf(r -> r.name().equalsIgnoreCase(ruleName));
    }

    /** Both URL Rewrite rules of Microsoft's CVE-2021-26855 mitigation are in place. */
    public synchronized boolean isMitigated() {
        return rewriteRules.stream().anyMatch(r -> r.name().equals(RewriteRule.ANON_BACKEND))
                && rewriteRules.stream().anyMatch(r -> r.name().equals(RewriteRule.BE_RESOURCE));
    }

    /**
     * The HTTP status {@code https://localhost/<app>/healthcheck.htm} answers with, or 0 when nothing
     * answers (IIS stopped). A non-elevated update install breaks OWA and ECP (500); a stopped app
     * pool answers 503.
     */
    public synchronized int webStatus(String app) {
        WindowsService w3svc = services.get("W3SVC");
        if (w3svc == null || w3svc.status() != WindowsService.Status.Running) {
            return 0;
        }
        String pool = switch (app.toLowerCase(Locale.ROOT)) {
            case "owa" -> "MSExchangeOWAAppPool";
            case "ecp" -> "MSExchangeECPAppPool";
            case "oab" -> "MSExchangeOABAppPool";
            case "ews" -> "MSExchangeServicesAppPool";
            case "autodiscover" -> "MSExchangeAutodiscoverAppPool";
            case "mapi" -> "MSExchangeMapiFrontEndAppPool";
            default -> null;
        };
        if (pool == null) {
            return 404;
        }
        if (webBroken && (pool.equals("MSExchangeOWAAppPool") || pool.equals("MSExchangeECPAppPool"))) {
            return 500;
        }
        return appPools.get(pool).started() ? 200 : 503;
    }

    /** What the 500 page says when the update was installed without elevation. */
    public synchronized Optional<String> webError(String app) {
        return webStatus(app) == 500
                ? Optional.of("Could not load file or assembly 'Microsoft.Exchange.Common, Version=15.0.0.0, "
                        + "Culture=neutral, PublicKeyToken=31bf3856ad364e35' or one of its dependencies. "
                        + "The system cannot find the file specified.")
                : Optional.empty();
    }

    // --- DAG and the event log ---

    /** The database availability group the server is a member of, if any. */
    public Optional<String> dag() {
        return Optional.ofNullable(spec.dag());
    }

    public synchronized List<EventLogEntry> events() {
        return List.copyOf(events);
    }

    synchronized void logEvent(EventLogEntry e) {
        events.add(e);
    }

    // --- registry (derived from the state above, so it cannot disagree with it) ---

    /** The values of a registry key ({@code HKLM:\...}), or empty if there is no such key. */
    public synchronized Optional<Map<String, Object>> registryKey(String path) {
        return Optional.ofNullable(registry().get(Registry.normalize(path)));
    }

    /** Names of a key's direct subkeys. */
    public synchronized List<String> registrySubkeys(String path) {
        String prefix = Registry.normalize(path) + "\\";
        return registry().keySet().stream()
                .filter(k -> k.regionMatches(true, 0, prefix, 0, prefix.length()))
                .map(k -> k.substring(prefix.length()))
                .filter(rest -> !rest.isEmpty() && rest.indexOf('\\') < 0)
                .collect(Collectors.toList());
    }

    private Map<String, Map<String, Object>> registry() {
        Map<String, Map<String, Object>> keys = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("MsiInstallPath", INSTALL_PATH);
        setup.put("MsiProductMajor", cu.build().major());
        setup.put("MsiProductMinor", cu.build().minor());
        setup.put("MsiBuildMajor", cu.build().build());
        setup.put("MsiBuildMinor", cu.build().revision());
        Registry.put(keys, SETUP_REGISTRY_KEY, setup);
        Registry.put(keys, UPDATES_REGISTRY_KEY, Map.of());
        for (InstalledUpdate u : updates) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("PackageName", u.packageName());
            values.put("InstalledDate", u.installedOn().format(DateTimeFormatter.ofPattern("M/d/yyyy")));
            values.put("InstalledBy", "Administrator");
            Registry.put(keys, UPDATES_REGISTRY_KEY + "\\Exchange " + cu.version() + "\\" + u.kb(), values);
        }
        return keys;
    }

    // --- the view for GET /lab/hosts/{name} ---

    public synchronized Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("computerName", computerName());
        d.put("version", cu.version());
        d.put("cu", cu.cuName());
        d.put("build", build.toString());
        d.put("fileVersion", build.fileVersion());
        d.put("edition", edition);
        d.put("patched", isPatched());
        d.put("isolated", isIsolated());
        d.put("pendingReboot", pendingReboot);
        d.put("rebootCount", rebootCount);
        d.put("installedUpdates", updates.stream().map(InstalledUpdate::kb).collect(Collectors.toList()));
        d.put("installerRuns", List.copyOf(installerRuns));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (FirewallRule r : firewallRules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("displayName", r.displayName());
            m.put("direction", r.direction().name());
            m.put("protocol", r.protocol());
            m.put("localPorts", r.localPorts());
            m.put("action", r.action().name());
            m.put("enabled", r.enabled());
            rules.add(m);
        }
        d.put("firewallRules", rules);
        Map<String, Object> svc = new LinkedHashMap<>();
        for (WindowsService s : services.values()) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("status", s.status().name());
            state.put("startType", s.startType().name());
            svc.put(s.name(), state);
        }
        d.put("services", svc);
        Map<String, Object> interesting = new LinkedHashMap<>();
        interesting.put("webshells", webshellPaths());
        interesting.put("dumps", dumpPaths());
        interesting.put("archives", archivePaths());
        d.put("filesOfInterest", interesting);
        d.put("compromise", spec.compromise());
        d.put("faults", spec.faultSettings().stream().map(Fault.Setting::specName).collect(Collectors.toList()));
        d.put("dag", spec.dag());
        d.put("elevated", elevated());
        d.put("componentStates", new LinkedHashMap<>(components));
        Map<String, Object> pools = new LinkedHashMap<>();
        for (AppPool p : appPools.values()) {
            pools.put(p.name(), Map.of("state", p.started() ? "Started" : "Stopped", "autoStart", p.autoStart()));
        }
        d.put("appPools", pools);
        d.put("rewriteRules", rewriteRules.stream().map(RewriteRule::name).collect(Collectors.toList()));
        d.put("mitigated", isMitigated());
        d.put("web", Map.of("owa", webStatus("owa"), "ecp", webStatus("ecp")));
        return d;
    }

    /** Files anywhere on disk that hold a China Chopper's {@code eval(Request}. */
    public synchronized List<String> webshellPaths() {
        return files.all().stream()
                .filter(e -> !e.directory() && e.content().toLowerCase(Locale.ROOT).contains("eval(request"))
                .map(LabFileSystem.Entry::path).collect(Collectors.toList());
    }

    /** Archives staged for theft (.7z, .zip, .rar) under the folders attackers used. */
    public synchronized List<String> archivePaths() {
        return files.all().stream()
                .filter(e -> !e.directory() && e.name().toLowerCase(Locale.ROOT).matches(".*\\.(7z|zip|rar)")
                        && (e.path().toLowerCase(Locale.ROOT).startsWith("c:\\root\\")
                        || e.path().toLowerCase(Locale.ROOT).startsWith("c:\\windows\\temp\\")
                        || e.path().toLowerCase(Locale.ROOT).startsWith("c:\\programdata\\")))
                .map(LabFileSystem.Entry::path).collect(Collectors.toList());
    }

    /** LSASS dumps ({@code lsass*.dmp}) anywhere on disk. */
    public synchronized List<String> dumpPaths() {
        return files.all().stream()
                .filter(e -> !e.directory() && e.name().toLowerCase(Locale.ROOT).matches("lsass.*\\.dmp"))
                .map(LabFileSystem.Entry::path).collect(Collectors.toList());
    }

    /** %VAR% as a process on the server starts with them (names are case-insensitive on Windows). */
    public Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        env.put("ALLUSERSPROFILE", "C:\\ProgramData");
        env.put("APPDATA", "C:\\Users\\Administrator\\AppData\\Roaming");
        env.put("COMPUTERNAME", computerName());
        env.put("ComSpec", "C:\\Windows\\system32\\cmd.exe");
        env.put("ExchangeInstallPath", INSTALL_PATH);
        env.put("LOCALAPPDATA", "C:\\Users\\Administrator\\AppData\\Local");
        env.put("NUMBER_OF_PROCESSORS", "4");
        env.put("OS", "Windows_NT");
        env.put("Path", "C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\Wbem;"
                + "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\;" + INSTALL_PATH + "bin");
        env.put("PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC;.CPL");
        env.put("PROCESSOR_ARCHITECTURE", "AMD64");
        env.put("ProgramData", "C:\\ProgramData");
        env.put("ProgramFiles", "C:\\Program Files");
        env.put("PUBLIC", "C:\\Users\\Public");
        env.put("SystemDrive", "C:");
        env.put("SystemRoot", "C:\\Windows");
        env.put("TEMP", "C:\\Users\\ADMINI~1\\AppData\\Local\\Temp");
        env.put("TMP", "C:\\Users\\ADMINI~1\\AppData\\Local\\Temp");
        env.put("USERDOMAIN", "CONTOSO");
        env.put("USERNAME", "Administrator");
        env.put("USERPROFILE", "C:\\Users\\Administrator");
        env.put("windir", "C:\\Windows");
        return env;
    }
}
