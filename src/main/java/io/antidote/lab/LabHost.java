package io.antidote.lab;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.Fault;
import io.antidote.lab.powershell.PowerShell;
import io.antidote.lab.powershell.ScriptResult;
import io.antidote.lab.wsman.CliXmlStderr;
import io.antidote.lab.wsman.CommandInput;
import io.antidote.lab.wsman.CommandOutput;
import io.antidote.lab.wsman.EncodedCommand;
import io.antidote.lab.wsman.ShellHost;
import io.antidote.lab.wsman.HostileXml;
import io.antidote.lab.wsman.WsManFaults;
import io.antidote.lab.wsman.WsManServer;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One simulated Exchange server: its model, the PowerShell that acts on it, and the WS-Management
 * endpoint through which clients reach it. Command lines that are not PowerShell get what cmd.exe
 * would answer for the few commands admins type first, and "not recognized" otherwise. An encoded
 * PowerShell command's error stream comes as CLIXML, as powershell.exe sends it to a WinRM client.
 *
 * <p>The spec's protocol faults are switched on its endpoint, and so are the faults set on the running host
 * ({@link FaultSchedule}); a restart with the
 * {@code unreachable-after-reboot} fault closes the listener for that long. Windows lets Restart-Computer
 * return before it goes down: the lab serves the rest of the restarting command's exchange (its output,
 * its release, the shell's deletion) and goes down at the first request that starts anything new, so
 * that a client always finds the host down after the restart, however fast it comes back.
 */
public final class LabHost implements ShellHost {

    /** When no client asks first, the host goes down this long after the restart all the same. */
    static final Duration GOING_DOWN_AFTER = Duration.ofSeconds(5);

    private final ExchangeServer server;
    private final PowerShell powerShell;
    private final Vertx vertx;
    /** The file a hostile-xxe host's external entity names: on every Unix host, and never to be read by a client. */
    static final java.net.URI LOCAL_SECRET = java.net.URI.create("file:///etc/passwd");
    private final WsManFaults faults = new WsManFaults();
    private final CommandLog commands = new CommandLog();
    private final FaultSchedule placed;
    /** Down after a restart, for its {@code unreachable-after-reboot} window. */
    private boolean downAfterRestart;
    private WsManServer endpoint;

    public LabHost(ExchangeServer server, Vertx vertx) {
        this.server = server;
        this.vertx = vertx;
        this.powerShell = new PowerShell(server);
        this.placed = new FaultSchedule(server.name(), vertx, faults, commands, this::applyFaults);
        server.onRestart(this::restarted);
    }

    public ExchangeServer server() {
        return server;
    }

    public String name() {
        return server.name();
    }

    /** The endpoint's fault switches (tests flip them too). */
    public WsManFaults faults() {
        return faults;
    }

    /** What this host was asked to run, as it received it. */
    public CommandLog commands() {
        return commands;
    }

    WsManServer endpoint() {
        return endpoint;
    }

    void attach(WsManServer endpoint) {
        this.endpoint = endpoint;
    }

    /** The faults set on this host while it runs ({@code /lab/hosts/{name}/faults}). */
    FaultSchedule placedFaults() {
        return placed;
    }

    /**
     * Sets the endpoint's switches from the protocol-level faults the spec names, the faults set since and in
     * force (the later one winning where two set one switch), and a restart's outage.
     */
    void applyFaults() {
        synchronized (placed) {
            List<PlacedFault> active = placed.active();
            Duration latency = server.faultDuration(Fault.LATENCY).orElse(Duration.ZERO);
            int status = server.hasFault(Fault.HTTP_401) ? 401 : server.hasFault(Fault.HTTP_500) ? 500 : 0;
            HostileXml hostile = hostile(server.hasFault(Fault.HOSTILE_DTD), server.hasFault(Fault.HOSTILE_XXE),
                    server.hasFault(Fault.HOSTILE_ENTITY_BOMB));
            boolean hang = server.hasFault(Fault.HANG);
            boolean reset = server.hasFault(Fault.RESET);
            boolean shellQuota = server.hasFault(Fault.WSMAN_FAULT);
            boolean refuse = server.hasFault(Fault.REFUSE_CONNECTIONS) || downAfterRestart;
            boolean frozen = false;
            for (PlacedFault f : active) {
                switch (f.kind) {
                    case LATENCY -> latency = f.delay.compareTo(latency) > 0 ? f.delay : latency;
                    case HTTP_STATUS -> status = f.status;
                    case HOSTILE_DTD, HOSTILE_XXE, HOSTILE_ENTITY_BOMB -> hostile = hostile(
                            f.kind == PlacedFault.Kind.HOSTILE_DTD, f.kind == PlacedFault.Kind.HOSTILE_XXE, true);
                    case HANG -> hang = true;
                    case FREEZE -> frozen = true;
                    case RESET -> reset = true;
                    case WSMAN_FAULT -> shellQuota = true;
                    case REFUSE_CONNECTIONS -> refuse = true;
                    case OUTAGE -> refuse |= f.down();
                }
            }
            faults.setLatency(latency);
            if (status == 0) {
                faults.clearHttpStatus();
            } else {
                faults.forceHttpStatus(status);
            }
            faults.setHostileXml(hostile);
            faults.setHang(hang);
            faults.setReset(reset);
            faults.setFaultShellCreation(shellQuota);
            faults.setRefuseConnections(refuse);
            faults.setFrozen(frozen);
        }
    }

    private static HostileXml hostile(boolean dtd, boolean xxe, boolean bomb) {
        return dtd ? HostileXml.dtd() : xxe ? HostileXml.externalEntity(LOCAL_SECRET) : bomb ? HostileXml.entityBomb() : null;
    }

    private void restarted() {
        server.faultDuration(Fault.UNREACHABLE_AFTER_REBOOT).ifPresent(window -> {
            if (window.isZero()) {
                return;
            }
            faults.goDownAtNextRequest(() -> {
                down(true);
                vertx.setTimer(window.toMillis(), up -> down(false));
            });
            vertx.setTimer(GOING_DOWN_AFTER.toMillis(), down -> faults.goDownIfPending());
        });
    }

    private void down(boolean down) {
        synchronized (placed) {
            downAfterRestart = down;
            applyFaults();
        }
    }

    /** The host is deleted: the faults set on it stop with it. */
    void close() {
        placed.clear();
    }

    @Override
    public void received(String shellId, String commandId, String commandLine) {
        // Logged before it runs: a command that hangs or crashes the host has still reached it. Its standard
        // input is not logged: it is how secrets reach a script, and a host's log is no place for them.
        placed.commandArrived(new CommandLog.Entry(Instant.now(), shellId, commandId,
                EncodedCommand.decode(commandLine).orElse(commandLine)));
    }

    @Override
    public CommandOutput execute(String shellId, String commandId, String commandLine) {
        return execute(shellId, commandId, commandLine, CommandInput.none());
    }

    @Override
    public CommandOutput execute(String shellId, String commandId, String commandLine, CommandInput stdin) {
        return run(commandLine, stdin);
    }

    @Override
    public CommandOutput execute(String commandLine) {
        return run(commandLine, CommandInput.none());
    }

    private CommandOutput run(String commandLine, CommandInput stdin) {
        return EncodedCommand.decode(commandLine)
                .map(script -> {
                    ScriptResult r = powerShell.run(script, standardInput(stdin));
                    // powershell.exe -EncodedCommand sends its error stream to a WinRM client as CLIXML.
                    return new CommandOutput(r.stdout(), CliXmlStderr.encode(r.stderr()), r.exitCode());
                })
                .orElseGet(() -> cmd(commandLine.trim(), stdin));
    }

    /** The script's $input: waits for the client's input to end, as powershell.exe reading a redirected stdin. */
    private static Supplier<String> standardInput(CommandInput stdin) {
        return () -> {
            try {
                return stdin.readToEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        };
    }

    private CommandOutput cmd(String line, CommandInput stdin) {
        String program = line.split("\\s+", 2)[0];
        String lower = program.toLowerCase(Locale.ROOT);
        if (lower.equals("powershell") || lower.equals("powershell.exe")) {
            return scriptFile(line, stdin);
        }
        if (lower.equals("hostname")) {
            return new CommandOutput(server.name().toUpperCase(Locale.ROOT) + "\r\n", "", 0);
        }
        if (lower.equals("echo")) {
            return new CommandOutput((line.length() > 5 ? line.substring(5) : "ECHO is on.") + "\r\n", "", 0);
        }
        if (lower.equals("ipconfig")) {
            return new CommandOutput("\r\nWindows IP Configuration\r\n\r\n   Host Name . . . . . . . . . . . . : "
                    + server.name().toUpperCase(Locale.ROOT) + "\r\n\r\nEthernet adapter Ethernet0:\r\n\r\n"
                    + "   IPv4 Address. . . . . . . . . . . : 127.0.0.1\r\n", "", 0);
        }
        return new CommandOutput("", "'" + program + "' is not recognized as an internal or external command,\r\n"
                + "operable program or batch file.\r\n", 1);
    }

    /**
     * {@code powershell [switches] -File <path>}: runs a script from the model's disk, as transports do with
     * scripts too long for one command line. The path may be double-quoted; arguments after it are not
     * supported.
     */
    private CommandOutput scriptFile(String line, CommandInput stdin) {
        String[] tokens = line.trim().split("\\s+");
        for (int i = 1; i < tokens.length - 1; i++) {
            if (tokens[i].equalsIgnoreCase("-File")) {
                String path = tokens[i + 1].replace("\"", "");
                return server.files().get(path).filter(entry -> !entry.directory())
                        .map(entry -> {
                            ScriptResult r = powerShell.run(entry.content(), standardInput(stdin));
                            return new CommandOutput(r.stdout(), r.stderr(), r.exitCode());
                        })
                        .orElseGet(() -> new CommandOutput("", "The argument '" + path
                                + "' to the -File parameter does not exist. Provide the path to an existing '.ps1' file"
                                + " as an argument to the -File parameter.\r\n", -196608));
            }
        }
        return new CommandOutput("", "powershell: the lab runs only -EncodedCommand and -File command lines\r\n", 1);
    }
}
