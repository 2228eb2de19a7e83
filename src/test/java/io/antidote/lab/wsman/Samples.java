package io.antidote.lab.wsman;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The requests captured from WinRM4j 0.12.3 and pywinrm 0.3.0 (see docs/winrm-samples), with the
 * ids they carried swapped for the ones this lab host handed out.
 */
enum Samples {
    PYWINRM("pywinrm", "46984144-8AA4-4DD9-B41F-0F2C2E06AB60", "2684F934-42B9-414A-AD01-E43A62D746DC"),
    WINRM4J("winrm4j", "11111111-2222-3333-4444-000000000001", "CCCCCCCC-2222-3333-4444-555555555555");

    static final String CAPTURED_COMMAND = "powershell -encodedcommand VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIABoAGUAbABsAG8A";

    private final String client;
    private final String capturedShellId;
    private final String capturedCommandId;

    Samples(String client, String capturedShellId, String capturedCommandId) {
        this.client = client;
        this.capturedShellId = capturedShellId;
        this.capturedCommandId = capturedCommandId;
    }

    String create() {
        return load("create");
    }

    String create(int codePage) {
        return create().replace("<w:Option Name=\"WINRS_CODEPAGE\">437</w:Option>",
                        "<w:Option Name=\"WINRS_CODEPAGE\">" + codePage + "</w:Option>")
                .replace("<Option Name=\"WINRS_CODEPAGE\">437</Option>",
                        "<Option Name=\"WINRS_CODEPAGE\">" + codePage + "</Option>");
    }

    String command(String shellId) {
        return load("command").replace(capturedShellId, shellId);
    }

    String command(String shellId, String commandLine) {
        return command(shellId).replace(CAPTURED_COMMAND, Xml.escape(commandLine));
    }

    String receive(String shellId, String commandId) {
        return load("receive").replace(capturedShellId, shellId).replace(capturedCommandId, commandId);
    }

    String signal(String shellId, String commandId) {
        return load("signal").replace(capturedShellId, shellId).replace(capturedCommandId, commandId);
    }

    String delete(String shellId) {
        return load("delete").replace(capturedShellId, shellId);
    }

    /** The MessageID the captured request carries, which the reply must echo exactly. */
    static String messageId(String envelope) {
        int start = envelope.indexOf("MessageID");
        start = envelope.indexOf('>', start) + 1;
        return envelope.substring(start, envelope.indexOf('<', start));
    }

    static String withOperationTimeout(String envelope, String timeout) {
        return envelope.replaceAll("PT\\d+S</", timeout + "</");
    }

    static String withMaxEnvelopeSize(String envelope, int size) {
        return envelope.replace(">153600<", ">" + size + "<");
    }

    private String load(String operation) {
        String name = "/wsman-samples/" + client + "-" + operation + "-request.xml";
        try (InputStream in = Samples.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
