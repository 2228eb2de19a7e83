package io.antidote.lab.wsman;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.w3c.dom.Element;

/**
 * The WinRS shell operations of one lab host (Create, Command, Receive, Signal, Delete), turning
 * parsed requests into replies. Runs on the endpoint's event loop only: the shells are plain maps,
 * commands run on worker threads and report back to the same event loop.
 */
final class RemoteShells {

    /** cmd.exe's limit (8191 characters); longer lines fail before anything runs. */
    static final int COMMAND_LINE_LIMIT = 8191;
    static final String COMMAND_LINE_TOO_LONG = "The command line is too long.\r\n";

    private static final int MIN_ENVELOPE_SIZE = 8192;
    private static final int MAX_ENVELOPE_SIZE = 512_000;
    private static final System.Logger LOG = System.getLogger(RemoteShells.class.getName());

    /** Who sent a request, for the Create reply. */
    record Caller(String user, String clientIp, String endpointAddress) {
    }

    private final Vertx vertx;
    private final Context context;
    private final String machine;
    private final ShellHost shellHost;
    private final WsManLimits limits;
    private final LongSupplier nanoClock;
    private final Map<String, RemoteShell> shells = new HashMap<>();

    RemoteShells(Vertx vertx, Context context, String machine, ShellHost shellHost, WsManLimits limits,
            LongSupplier nanoClock) {
        this.vertx = vertx;
        this.context = context;
        this.machine = machine;
        this.shellHost = shellHost;
        this.limits = limits;
        this.nanoClock = nanoClock;
    }

    static String normalizeId(String id) {
        return id == null ? null : id.trim().toUpperCase(Locale.ROOT);
    }

    int shellCount() {
        return shells.size();
    }

    WsManReply create(WsManRequest request, Caller caller) throws WsManFault {
        if (request.resourceUri() != null && !WsMan.CMD_SHELL_URI.equalsIgnoreCase(request.resourceUri())) {
            throw WsManFault.resourceNotSupported();
        }
        CodePage codePage = codePage(request.options().get("WINRS_CODEPAGE"));
        if (shells.size() >= limits.maxShells()) {
            throw WsManFault.shellQuota(limits.maxShells());
        }
        String shellId = newId();
        shells.put(shellId, new RemoteShell(shellId, codePage, nanoClock.getAsLong()));
        String body = "<x:ResourceCreated><a:Address>" + Xml.escape(caller.endpointAddress()) + "</a:Address>"
                + "<a:ReferenceParameters><w:ResourceURI>" + WsMan.CMD_SHELL_URI + "</w:ResourceURI>"
                + "<w:SelectorSet><w:Selector Name=\"ShellId\">" + shellId + "</w:Selector></w:SelectorSet>"
                + "</a:ReferenceParameters></x:ResourceCreated>"
                + "<rsp:Shell><rsp:ShellId>" + shellId + "</rsp:ShellId>"
                + "<rsp:ResourceUri>" + WsMan.CMD_SHELL_URI + "</rsp:ResourceUri>"
                + "<rsp:Owner>" + Xml.escape(caller.user()) + "</rsp:Owner>"
                + "<rsp:ClientIP>" + Xml.escape(caller.clientIp()) + "</rsp:ClientIP>"
                + "<rsp:IdleTimeOut>" + isoSeconds(limits.shellIdleTimeout()) + "</rsp:IdleTimeOut>"
                + "<rsp:InputStreams>stdin</rsp:InputStreams>"
                + "<rsp:OutputStreams>stdout stderr</rsp:OutputStreams>"
                + "<rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime>"
                + "<rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity></rsp:Shell>";
        return WsManReply.ok(request.action(), body);
    }

    WsManReply command(WsManRequest request) throws WsManFault {
        RemoteShell shell = shell(request);
        Element commandLine = request.body();
        if (!WsManRequestParser.is(commandLine, WsMan.NS_SHELL, "CommandLine")) {
            throw WsManFault.malformed("A Command request needs rsp:CommandLine.");
        }
        Element command = WsManRequestParser.child(commandLine, WsMan.NS_SHELL, "Command");
        if (command == null) {
            throw WsManFault.malformed("rsp:CommandLine needs rsp:Command.");
        }
        StringBuilder line = new StringBuilder(command.getTextContent());
        for (Element argument : WsManRequestParser.children(commandLine, WsMan.NS_SHELL, "Arguments")) {
            line.append(' ').append(argument.getTextContent());
        }
        RemoteCommand remote = new RemoteCommand(newId(), new CommandInput(shell.codePage().charset()));
        if (!shell.add(remote, limits.maxCommandsPerShell())) {
            throw WsManFault.commandQuota(limits.maxCommandsPerShell());
        }
        start(shell.id(), remote, line.toString());
        return WsManReply.ok(request.action(),
                "<rsp:CommandResponse><rsp:CommandId>" + remote.id() + "</rsp:CommandId></rsp:CommandResponse>");
    }

    /**
     * Answers at once when the command has finished, else holds the Receive until it does or until
     * shortly before the client's OperationTimeout, then fails with the TimedOut fault that tells
     * clients to receive again.
     *
     * @param abandoned completes when the client goes away; the wait is dropped then
     */
    Future<WsManReply> receive(WsManRequest request, Future<Void> abandoned) throws WsManFault {
        RemoteShell shell = shell(request);
        Element receive = request.body();
        Element desired = WsManRequestParser.is(receive, WsMan.NS_SHELL, "Receive")
                ? WsManRequestParser.child(receive, WsMan.NS_SHELL, "DesiredStream")
                : null;
        String commandId = desired == null ? null : WsManRequestParser.attribute(desired, "CommandId");
        if (commandId == null) {
            throw WsManFault.malformed("A Receive needs rsp:DesiredStream with a CommandId.");
        }
        Set<String> streams = new LinkedHashSet<>(List.of(desired.getTextContent().trim().split("\\s+")));
        streams.remove("");
        if (streams.isEmpty()) {
            streams = Set.of("stdout", "stderr");
        }
        RemoteCommand command = shell.command(commandId).orElseThrow(() -> WsManFault.commandNotFound(commandId));
        if (command.finished()) {
            return Future.succeededFuture(receiveReply(request, shell.id(), commandId, streams));
        }
        Promise<WsManReply> reply = Promise.promise();
        Set<String> wanted = streams;
        long[] timer = new long[1];
        Runnable waiter = () -> {
            vertx.cancelTimer(timer[0]);
            try {
                reply.tryComplete(receiveReply(request, shell.id(), commandId, wanted));
            } catch (WsManFault fault) {
                reply.tryFail(fault);
            }
        };
        timer[0] = vertx.setTimer(holdMillis(request.operationTimeout()), id -> {
            command.removeWaiter(waiter);
            reply.tryFail(WsManFault.timedOut());
        });
        command.addWaiter(waiter);
        abandoned.onComplete(gone -> {
            vertx.cancelTimer(timer[0]);
            command.removeWaiter(waiter);
        });
        return reply.future();
    }

    WsManReply signal(WsManRequest request) throws WsManFault {
        RemoteShell shell = shell(request);
        Element signal = request.body();
        if (!WsManRequestParser.is(signal, WsMan.NS_SHELL, "Signal")) {
            throw WsManFault.malformed("A Signal request needs rsp:Signal.");
        }
        String code = WsManRequestParser.text(WsManRequestParser.child(signal, WsMan.NS_SHELL, "Code"));
        if (code == null || !(code.equalsIgnoreCase(WsMan.SIGNAL_TERMINATE) || code.equalsIgnoreCase(WsMan.SIGNAL_CTRL_C)
                || code.equalsIgnoreCase(WsMan.SIGNAL_CTRL_BREAK))) {
            throw WsManFault.unsupportedSignal();
        }
        String commandId = WsManRequestParser.attribute(signal, "CommandId");
        // The command's worker keeps running (a blocking call cannot be interrupted safely);
        // its result is dropped, and nobody waits for it any more.
        if (commandId != null && !shell.remove(commandId)) {
            throw WsManFault.commandNotFound(commandId);
        }
        return WsManReply.ok(request.action(), "<rsp:SignalResponse/>");
    }

    /**
     * Standard input for a running command: each {@code rsp:Stream Name="stdin"} chunk is base64, the last one
     * says {@code End="true"}. Input after the end, or for a command that has finished, is refused as Windows does.
     */
    WsManReply send(WsManRequest request) throws WsManFault {
        RemoteShell shell = shell(request);
        Element send = request.body();
        if (!WsManRequestParser.is(send, WsMan.NS_SHELL, "Send")) {
            throw WsManFault.malformed("A Send request needs rsp:Send.");
        }
        List<Element> streams = WsManRequestParser.children(send, WsMan.NS_SHELL, "Stream");
        if (streams.isEmpty()) {
            throw WsManFault.malformed("rsp:Send needs rsp:Stream.");
        }
        for (Element stream : streams) {
            String commandId = WsManRequestParser.attribute(stream, "CommandId");
            if (commandId == null) {
                throw WsManFault.malformed("rsp:Stream needs a CommandId.");
            }
            if (!"stdin".equalsIgnoreCase(WsManRequestParser.attribute(stream, "Name"))) {
                throw WsManFault.invalidStream();
            }
            RemoteCommand command = shell.command(commandId).orElseThrow(() -> WsManFault.commandNotFound(commandId));
            byte[] chunk;
            try {
                chunk = Base64.getMimeDecoder().decode(stream.getTextContent().trim());
            } catch (IllegalArgumentException notBase64) {
                throw WsManFault.malformed("rsp:Stream holds base64.");
            }
            if (command.finished() || !command.input().append(chunk, "true".equalsIgnoreCase(
                    WsManRequestParser.attribute(stream, "End")))) {
                throw WsManFault.inputClosed();
            }
        }
        return WsManReply.ok(request.action(), "<rsp:SendResponse/>");
    }

    WsManReply delete(WsManRequest request) throws WsManFault {
        RemoteShell shell = shell(request);
        shells.remove(shell.id());
        shell.close();
        return WsManReply.ok(request.action(), "");
    }

    /** Deletes shells nobody touched for the idle timeout, as WinRM does with IdleTimeOut. */
    void sweepIdle() {
        long threshold = nanoClock.getAsLong() - limits.shellIdleTimeout().toNanos();
        List<RemoteShell> idle = new ArrayList<>();
        for (RemoteShell shell : shells.values()) {
            if (shell.idleSince(threshold)) {
                idle.add(shell);
            }
        }
        for (RemoteShell shell : idle) {
            shells.remove(shell.id());
            shell.close();
        }
        if (!idle.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "lab host {0} deleted {1} idle shell(s)", machine, idle.size());
        }
    }

    void closeAll() {
        List<RemoteShell> all = new ArrayList<>(shells.values());
        shells.clear();
        all.forEach(RemoteShell::close);
    }

    private void start(String shellId, RemoteCommand command, String commandLine) {
        if (commandLine.length() > COMMAND_LINE_LIMIT) {
            command.finish(new CommandOutput("", COMMAND_LINE_TOO_LONG, 1));
            return;
        }
        shellHost.received(shellId, command.id(), commandLine);
        context.<CommandOutput>executeBlocking(() -> shellHost.execute(shellId, command.id(), commandLine,
                        command.input()), false)
                .onComplete(result -> {
                    if (result.succeeded()) {
                        command.finish(result.result() == null ? new CommandOutput("", "", 0) : result.result());
                    } else {
                        // The exception text is the host model's, and may quote the script: keep it out of the log.
                        LOG.log(System.Logger.Level.WARNING, "lab host {0} failed command {1} with {2}",
                                machine, command.id(), result.cause().getClass().getName());
                        command.finish(new CommandOutput("", "The lab host failed to run the command.\r\n", 1));
                    }
                });
    }

    private WsManReply receiveReply(WsManRequest request, String shellId, String commandId, Set<String> streams)
            throws WsManFault {
        RemoteShell shell = shells.get(shellId);
        if (shell == null) {
            throw WsManFault.shellNotFound(shellId);
        }
        RemoteCommand command = shell.command(commandId).orElseThrow(() -> WsManFault.commandNotFound(commandId));
        shell.touch(nanoClock.getAsLong());
        int envelopeSize = Math.max(MIN_ENVELOPE_SIZE, Math.min(request.maxEnvelopeSize(), MAX_ENVELOPE_SIZE));
        return WsManReply.ok(request.action(), command.nextReceiveResponse(streams, shell.codePage(), envelopeSize));
    }

    private RemoteShell shell(WsManRequest request) throws WsManFault {
        String shellId = request.shellId().orElse("");
        RemoteShell shell = shells.get(normalizeId(shellId));
        if (shell == null) {
            throw WsManFault.shellNotFound(shellId);
        }
        shell.touch(nanoClock.getAsLong());
        return shell;
    }

    /** A bit less than the client's OperationTimeout, so the fault reaches it before it gives up. */
    private long holdMillis(Duration operationTimeout) {
        long timeout = operationTimeout.toMillis();
        long hold = timeout - Math.min(1000, timeout / 10);
        return Math.max(1, Math.min(hold, limits.maxReceiveHold().toMillis()));
    }

    private static CodePage codePage(String option) throws WsManFault {
        if (option == null || option.isBlank()) {
            return CodePage.defaultCodePage();
        }
        try {
            return CodePage.of(Integer.parseInt(option.trim()))
                    .orElseThrow(() -> WsManFault.invalidOption("The code page " + option + " is not supported."));
        } catch (NumberFormatException e) {
            throw WsManFault.invalidOption("WINRS_CODEPAGE must be a number.");
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    }

    private static String isoSeconds(Duration duration) {
        return String.format(Locale.ROOT, "PT%d.%03dS", duration.toSeconds(), duration.toMillisPart());
    }
}
