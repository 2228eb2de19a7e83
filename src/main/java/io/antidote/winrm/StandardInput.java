package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.ShellCommand;
import io.cloudsoft.winrm4j.client.WinRm;
import io.cloudsoft.winrm4j.client.shell.CommandLine;
import io.cloudsoft.winrm4j.client.shell.CommandStateType;
import io.cloudsoft.winrm4j.client.shell.DesiredStreamType;
import io.cloudsoft.winrm4j.client.shell.Receive;
import io.cloudsoft.winrm4j.client.shell.ReceiveResponse;
import io.cloudsoft.winrm4j.client.shell.StreamType;
import io.cloudsoft.winrm4j.client.wsman.Locale;
import io.cloudsoft.winrm4j.client.wsman.OptionSetType;
import io.cloudsoft.winrm4j.client.wsman.OptionType;
import io.cloudsoft.winrm4j.client.wsman.SelectorSetType;
import io.cloudsoft.winrm4j.client.wsman.Signal;

import javax.xml.ws.Binding;
import javax.xml.ws.BindingProvider;
import javax.xml.ws.handler.Handler;
import javax.xml.ws.soap.SOAPFaultException;
import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs a command and writes its standard input with WS-Management's Send, as WinRS clients do (MS-WSMV
 * 3.1.4.13): the way secret values reach a script without being on its command line, in a file on the server
 * or in the script text, where a process list, a command-line audit or script block logging would show them.
 *
 * <p>WinRM4j 0.12.3 has no Send. This class drives the command itself through the JAX-WS port WinRM4j built
 * for the shell (its private fields, read by reflection; {@code WinRm4jInternalsTest} pins them): Command,
 * then one Send, then Receive until the command is done, then Signal terminate, as
 * {@link ShellCommand#execute} does. The port has no Send operation, so the Send goes out as a Signal whose
 * code is {@link #SEND_MARKER}, and {@link SendOverSignal}, a handler on the port, rewrites that message into a
 * Send carrying the input (and the host's SendResponse back into a SignalResponse). The input itself travels
 * in the request context, never in the Signal: without the handler the host would get an unknown signal code
 * and refuse it, and nothing of the input. The handler is on the port for that one request only: any SOAP
 * handler makes CXF build a SAAJ DOM of every message in and out ({@link ShellHandlerChain}).
 */
final class StandardInput {

    static final String SHELL_NS = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
    static final String SEND_ACTION = SHELL_NS + "/Send";
    static final String SEND_MARKER = "urn:antidote:winrm:send-stdin";
    /** Request-context key of the {@link Chunk} the handler sends. */
    static final String CHUNK = StandardInput.class.getName() + ".chunk";

    private static final String RESOURCE_URI = SHELL_NS + "/cmd";
    private static final int MAX_ENVELOPE_SIZE = 153600;
    private static final String DONE = SHELL_NS + "/CommandState/Done";
    private static final String TERMINATE = SHELL_NS + "/signal/terminate";
    private static final String OPERATION_TIMEOUT_EXPIRED = "2150858793";
    private static final String SHELL_NOT_FOUND = "2150858843";

    /** What one Send carries. */
    record Chunk(String commandId, byte[] bytes) {
    }

    private final WinRm port;
    private final SelectorSetType shell;
    private final String operationTimeout;
    private final Locale locale;
    private final Predicate<String> receiveAgain;

    private StandardInput(ShellCommand command) {
        this.port = field(command, "winrm", WinRm.class);
        this.shell = field(command, "shellSelector", SelectorSetType.class);
        this.operationTimeout = field(command, "operationTimeout", String.class);
        this.locale = field(command, "locale", Locale.class);
        @SuppressWarnings("unchecked")
        Predicate<String> again = field(command, "retryReceiveAfterOperationTimeout", Predicate.class);
        this.receiveAgain = again == null ? code -> true : again;
    }

    /** Runs {@code commandLine} in the shell with {@code stdin} as its whole standard input; the exit code. */
    static int execute(ShellCommand command, String commandLine, byte[] stdin, Writer out, Writer err) {
        return new StandardInput(command).run(commandLine, stdin, out, err);
    }

    private int run(String commandLine, byte[] stdin, Writer out, Writer err) {
        CommandLine line = new CommandLine();
        line.setCommand(commandLine);
        OptionSetType options = new OptionSetType();
        options.getOption().add(option("WINRS_CONSOLEMODE_STDIN", "TRUE"));
        options.getOption().add(option("WINRS_SKIP_CMD_SHELL", "FALSE"));
        String commandId = port.command(line, RESOURCE_URI, MAX_ENVELOPE_SIZE, operationTimeout, locale, shell, options)
                .getCommandId();
        try {
            send(commandId, stdin);
            return receive(commandId, out, err);
        } finally {
            try {
                signal(commandId, TERMINATE);
            } catch (SOAPFaultException fault) {
                if (!hasCode(fault, SHELL_NOT_FOUND)) {
                    throw fault;
                }
            }
        }
    }

    private void send(String commandId, byte[] stdin) {
        Map<String, Object> context = ((BindingProvider) port).getRequestContext();
        context.put(CHUNK, new Chunk(commandId, stdin));
        context.put(BindingProvider.SOAPACTION_USE_PROPERTY, Boolean.TRUE);
        context.put(BindingProvider.SOAPACTION_URI_PROPERTY, SEND_ACTION);
        Binding binding = ((BindingProvider) port).getBinding();
        @SuppressWarnings("rawtypes")
        List<Handler> chain = new ArrayList<>(binding.getHandlerChain());
        chain.add(new SendOverSignal());
        binding.setHandlerChain(chain);
        try {
            signal(commandId, SEND_MARKER);
        } finally {
            chain.removeIf(handler -> handler instanceof SendOverSignal);
            binding.setHandlerChain(chain);
            context.remove(CHUNK);
            context.remove(BindingProvider.SOAPACTION_USE_PROPERTY);
            context.remove(BindingProvider.SOAPACTION_URI_PROPERTY);
        }
    }

    private void signal(String commandId, String code) {
        Signal signal = new Signal();
        signal.setCommandId(commandId);
        signal.setCode(code);
        port.signal(signal, RESOURCE_URI, MAX_ENVELOPE_SIZE, operationTimeout, locale, shell);
    }

    private int receive(String commandId, Writer out, Writer err) {
        while (true) {
            Receive receive = new Receive();
            DesiredStreamType streams = new DesiredStreamType();
            streams.setCommandId(commandId);
            streams.setValue("stdout stderr");
            receive.setDesiredStream(streams);
            try {
                ReceiveResponse response = port.receive(receive, RESOURCE_URI, MAX_ENVELOPE_SIZE, operationTimeout,
                        locale, shell);
                write(response, out, err);
                CommandStateType state = response.getCommandState();
                if (state != null && DONE.equals(state.getState())) {
                    return state.getExitCode().intValue();
                }
            } catch (SOAPFaultException fault) {
                // No output within the operation timeout: receive again, until the step's deadline says stop.
                if (!hasCode(fault, OPERATION_TIMEOUT_EXPIRED) || !receiveAgain.test(OPERATION_TIMEOUT_EXPIRED)) {
                    throw fault;
                }
            }
        }
    }

    /** As WinRM4j decodes a stream chunk (the JVM's charset), so output reads the same whichever way it ran. */
    private static void write(ReceiveResponse response, Writer out, Writer err) {
        try {
            for (StreamType stream : response.getStream()) {
                Writer target = "stdout".equals(stream.getName()) ? out : "stderr".equals(stream.getName()) ? err : null;
                if (target == null || stream.getValue() == null) {
                    continue;
                }
                if (stream.getValue().length > 0) {
                    target.write(new String(stream.getValue()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasCode(SOAPFaultException fault, String code) {
        if (fault.getFault() == null || fault.getFault().getDetail() == null) {
            return false;
        }
        var details = fault.getFault().getDetail().getChildNodes();
        for (int i = 0; i < details.getLength(); i++) {
            var node = details.item(i);
            if ("WSManFault".equals(node.getLocalName()) && node.getAttributes() != null
                    && node.getAttributes().getNamedItem("Code") != null
                    && code.equals(node.getAttributes().getNamedItem("Code").getNodeValue())) {
                return true;
            }
        }
        return false;
    }

    private static OptionType option(String name, String value) {
        OptionType option = new OptionType();
        option.setName(name);
        option.setValue(value);
        return option;
    }

    static <T> T field(ShellCommand command, String name, Class<T> type) {
        try {
            Field field = ShellCommand.class.getDeclaredField(name);
            field.setAccessible(true);
            return type.cast(field.get(command));
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("WinRM4j's ShellCommand has no field '" + name + "' of type "
                    + type.getSimpleName() + " to send standard input with", e);
        }
    }
}
