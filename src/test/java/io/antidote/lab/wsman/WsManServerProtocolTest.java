package io.antidote.lab.wsman;

import static io.antidote.lab.wsman.RawWsManClient.NS_ADDRESSING;
import static io.antidote.lab.wsman.RawWsManClient.NS_SHELL;
import static io.antidote.lab.wsman.RawWsManClient.NS_SOAP;
import static io.antidote.lab.wsman.RawWsManClient.NS_WSMAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The lab host answered at the wire level: the requests WinRM4j and pywinrm really sent (captured
 * in docs/winrm-samples) replayed over plain HTTP, and the replies checked for what those clients
 * and Windows rely on: RelatesTo, ids, faults and their codes, envelope sizes, code pages.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WsManServerProtocolTest {

    private static final String TIMED_OUT_CODE = "2150858793";
    private static final String SHELL_NOT_FOUND_CODE = "2150858843";

    private static Vertx vertx;
    private RunningLabHost host;
    private RawWsManClient client;
    private final CountDownLatch commandsMayFinish = new CountDownLatch(1);

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        RunningLabHost.await(vertx.close());
    }

    @AfterEach
    void stopHost() {
        commandsMayFinish.countDown();
        if (host != null) {
            host.close();
        }
    }

    private void startHost(Function<String, CommandOutput> behaviour) {
        host = RunningLabHost.start(vertx, behaviour);
        client = new RawWsManClient(host.port);
    }

    private static CommandOutput helloScript(String commandLine) {
        String script = RunningLabHost.script(commandLine);
        return script.equals("Write-Output hello")
                ? new CommandOutput("hello\r\n", "", 0)
                : new CommandOutput("", "unexpected script\r\n", 1);
    }

    private String createShell(Samples samples, String envelope) {
        RawWsManClient.Reply created = client.post(envelope);
        assertThat(created.status()).as("Create is answered with 200: %s", created.body()).isEqualTo(200);
        return created.element(NS_WSMAN, "Selector").getTextContent();
    }

    private String startCommand(Samples samples, String shellId, String commandLine) {
        RawWsManClient.Reply started = client.post(samples.command(shellId, commandLine));
        assertThat(started.status()).as("Command is answered with 200: %s", started.body()).isEqualTo(200);
        return started.text(NS_SHELL, "CommandId");
    }

    /** Receives until Done, returning the stdout bytes; asserts every reply is a ReceiveResponse. */
    private byte[] receiveStdoutUntilDone(Samples samples, String shellId, String commandId, List<Integer> replySizes) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        for (int receives = 0; receives < 100; receives++) {
            RawWsManClient.Reply received = client.post(samples.receive(shellId, commandId));
            assertThat(received.status()).as("Receive is answered with 200: %s", received.body()).isEqualTo(200);
            replySizes.add(received.bytes().length);
            for (Element stream : received.elements(NS_SHELL, "Stream")) {
                if (stream.getAttribute("Name").equals("stdout")) {
                    stdout.writeBytes(Base64.getDecoder().decode(stream.getTextContent()));
                }
            }
            if (received.element(NS_SHELL, "CommandState").getAttribute("State").endsWith("/CommandState/Done")) {
                return stdout.toByteArray();
            }
        }
        throw new AssertionError("the command never reached Done");
    }

    @ParameterizedTest
    @EnumSource(Samples.class)
    void a_captured_conversation_runs_the_script_and_every_reply_relates_to_its_request(Samples samples) {
        startHost(WsManServerProtocolTest::helloScript);

        String create = samples.create();
        RawWsManClient.Reply created = client.post(create);
        assertThat(created.status()).as("Create status: %s", created.body()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/soap+xml;charset=UTF-8");
        assertThat(created.action()).isEqualTo("http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse");
        assertThat(created.relatesTo()).as("RelatesTo echoes the Create's MessageID").isEqualTo(Samples.messageId(create));
        assertThat(created.text(NS_ADDRESSING, "To"))
                .isEqualTo("http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous");
        assertThat(created.text(NS_ADDRESSING, "MessageID"))
                .as("the reply has a MessageID of its own").startsWith("uuid:").isNotEqualTo(Samples.messageId(create));
        Element selector = created.element(NS_WSMAN, "Selector");
        assertThat(selector.getAttribute("Name")).isEqualTo("ShellId");
        String shellId = selector.getTextContent();
        assertThat(shellId).as("ShellId is an upper-case GUID").matches("[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}");
        assertThat(created.text(NS_SHELL, "ShellId")).as("rsp:Shell carries the same ShellId").isEqualTo(shellId);
        assertThat(created.element(NS_ADDRESSING, "ReferenceParameters").getElementsByTagNameNS(NS_WSMAN, "ResourceURI")
                .item(0).getTextContent()).isEqualTo("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd");
        assertThat(created.text(NS_SHELL, "Owner")).isEqualTo("lab");

        String command = samples.command(shellId);
        RawWsManClient.Reply started = client.post(command);
        assertThat(started.action()).isEqualTo("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandResponse");
        assertThat(started.relatesTo()).isEqualTo(Samples.messageId(command));
        String commandId = started.text(NS_SHELL, "CommandId");

        String receive = samples.receive(shellId, commandId);
        RawWsManClient.Reply received = client.post(receive);
        assertThat(received.status()).as("Receive status: %s", received.body()).isEqualTo(200);
        assertThat(received.action()).isEqualTo("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/ReceiveResponse");
        assertThat(received.relatesTo()).isEqualTo(Samples.messageId(receive));
        List<Element> streams = received.elements(NS_SHELL, "Stream");
        Element firstStdout = streams.get(0);
        assertThat(firstStdout.getAttribute("Name")).isEqualTo("stdout");
        assertThat(firstStdout.getAttribute("CommandId")).isEqualTo(commandId);
        assertThat(new String(Base64.getDecoder().decode(firstStdout.getTextContent()), StandardCharsets.US_ASCII))
                .as("stdout of the script").isEqualTo("hello\r\n");
        assertThat(streams).as("both streams are marked ended")
                .filteredOn(stream -> stream.getAttribute("End").equals("true"))
                .extracting(stream -> stream.getAttribute("Name")).containsExactly("stdout", "stderr");
        Element state = received.element(NS_SHELL, "CommandState");
        assertThat(state.getAttribute("CommandId")).isEqualTo(commandId);
        assertThat(state.getAttribute("State"))
                .isEqualTo("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done");
        assertThat(received.text(NS_SHELL, "ExitCode")).isEqualTo("0");
        assertThat(host.commandLines).containsExactly(Samples.CAPTURED_COMMAND);

        String signal = samples.signal(shellId, commandId);
        RawWsManClient.Reply signalled = client.post(signal);
        assertThat(signalled.status()).isEqualTo(200);
        assertThat(signalled.action()).isEqualTo("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SignalResponse");
        assertThat(signalled.relatesTo()).isEqualTo(Samples.messageId(signal));
        assertThat(signalled.elements(NS_SHELL, "SignalResponse")).hasSize(1);

        String delete = samples.delete(shellId);
        RawWsManClient.Reply deleted = client.post(delete);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.action()).isEqualTo("http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse");
        assertThat(deleted.relatesTo()).isEqualTo(Samples.messageId(delete));
        assertThat(deleted.element(NS_SOAP, "Body").hasChildNodes()).as("DeleteResponse has an empty body").isFalse();

        RawWsManClient.Reply afterDelete = client.post(samples.receive(shellId, commandId));
        assertThat(afterDelete.status()).isEqualTo(500);
        assertThat(afterDelete.wsmanFaultCode()).as("a deleted shell is unknown").isEqualTo(SHELL_NOT_FOUND_CODE);
    }

    @ParameterizedTest
    @EnumSource(Samples.class)
    void a_receive_with_no_output_yet_answers_the_operation_timeout_fault(Samples samples) throws Exception {
        startHost(line -> {
            awaitQuietly(commandsMayFinish);
            return new CommandOutput("finally\r\n", "", 0);
        });
        String shellId = createShell(samples, samples.create());
        String commandId = startCommand(samples, shellId, "slow");

        String receive = Samples.withOperationTimeout(samples.receive(shellId, commandId), "PT1S");
        long before = System.nanoTime();
        RawWsManClient.Reply timedOut = client.post(receive);
        long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);

        assertThat(heldMillis).as("the Receive is held, but answered before the client's 1 s OperationTimeout")
                .isBetween(700L, 999L);
        assertThat(timedOut.status()).isEqualTo(500);
        assertThat(timedOut.headers().firstValue("Content-Type")).hasValue("application/soap+xml;charset=UTF-8");
        assertThat(timedOut.action()).isEqualTo("http://schemas.dmtf.org/wbem/wsman/1/wsman/fault");
        assertThat(timedOut.relatesTo()).isEqualTo(Samples.messageId(receive));
        assertThat(timedOut.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                .containsExactly("s:Receiver", "w:TimedOut");
        assertThat(timedOut.wsmanFaultCode()).isEqualTo(TIMED_OUT_CODE);
        assertThat(timedOut.element(RawWsManClient.NS_WSMAN_FAULT, "WSManFault").getAttribute("Machine"))
                .isEqualTo(RunningLabHost.HOST_NAME);
        Element detail = timedOut.element(NS_SOAP, "Detail");
        for (Node child = detail.getFirstChild(); child != null; child = child.getNextSibling()) {
            assertThat(child.getNodeType()).as("s:Detail holds only elements: WinRM4j gives up on a text node")
                    .isEqualTo(Node.ELEMENT_NODE);
        }
        assertThat(timedOut.body()).contains("<s:Detail><f:WSManFault").contains("</f:WSManFault></s:Detail>");

        commandsMayFinish.countDown();
        byte[] stdout = receiveStdoutUntilDone(samples, shellId, commandId, new java.util.ArrayList<>());
        assertThat(new String(stdout, StandardCharsets.US_ASCII)).as("the next Receive gets the output")
                .isEqualTo("finally\r\n");
    }

    @ParameterizedTest
    @EnumSource(Samples.class)
    void an_unknown_shell_answers_fault_2150858843_on_every_operation(Samples samples) {
        startHost(WsManServerProtocolTest::helloScript);
        String unknownShell = "0BADBEEF-0000-4000-8000-000000000000";
        for (String request : List.of(samples.command(unknownShell), samples.receive(unknownShell, unknownShell),
                samples.signal(unknownShell, unknownShell), samples.delete(unknownShell))) {
            RawWsManClient.Reply reply = client.post(request);
            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.wsmanFaultCode()).as("fault code for an unknown shell").isEqualTo(SHELL_NOT_FOUND_CODE);
            assertThat(reply.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                    .containsExactly("s:Sender", "w:InvalidSelectors");
            assertThat(reply.relatesTo()).isEqualTo(Samples.messageId(request));
        }
    }

    @Test
    void an_unknown_command_in_a_known_shell_answers_fault_2150858843() {
        startHost(WsManServerProtocolTest::helloScript);
        String shellId = createShell(Samples.PYWINRM, Samples.PYWINRM.create());
        RawWsManClient.Reply reply = client.post(Samples.PYWINRM.receive(shellId, "0BADBEEF-0000-4000-8000-000000000000"));
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.wsmanFaultCode()).isEqualTo(SHELL_NOT_FOUND_CODE);
    }

    @Test
    void wrong_or_missing_credentials_get_401_with_an_empty_body_and_both_challenges() {
        startHost(WsManServerProtocolTest::helloScript);
        RawWsManClient wrongPassword = new RawWsManClient(host.port, "lab", "wrong");
        RawWsManClient.Reply rejected = wrongPassword.post(Samples.WINRM4J.create());
        RawWsManClient.Reply anonymous = client.send(HttpRequest.newBuilder(client.endpoint())
                .POST(HttpRequest.BodyPublishers.ofString(Samples.WINRM4J.create())).build());
        RawWsManClient.Reply garbage = wrongPassword.post("<not-xml");

        for (RawWsManClient.Reply reply : List.of(rejected, anonymous, garbage)) {
            assertThat(reply.status()).as("credentials are checked before the body is read").isEqualTo(401);
            assertThat(reply.bytes()).as("a 401 has no body").isEmpty();
            assertThat(reply.headers().allValues("WWW-Authenticate"))
                    .containsExactlyInAnyOrder("Basic realm=\"WSMAN\"", "Negotiate");
        }
        assertThat(host.server.port()).isEqualTo(host.port);
        assertThat(host.commandLines).isEmpty();
    }

    @Test
    void the_user_name_is_case_insensitive_but_the_password_is_not() {
        startHost(WsManServerProtocolTest::helloScript);
        assertThat(new RawWsManClient(host.port, "LAB", "password").post(Samples.PYWINRM.create()).status())
                .isEqualTo(200);
        assertThat(new RawWsManClient(host.port, "lab", "PASSWORD").post(Samples.PYWINRM.create()).status())
                .isEqualTo(401);
    }

    @Test
    void malformed_xml_answers_a_sender_fault_without_a_stack_trace() {
        startHost(WsManServerProtocolTest::helloScript);
        RawWsManClient.Reply reply = client.post("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header>");
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.action()).isEqualTo("http://schemas.dmtf.org/wbem/wsman/1/wsman/fault");
        assertThat(reply.elements(NS_SOAP, "Value")).extracting(Node::getTextContent).startsWith("s:Sender");
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at java.").doesNotContain("at io.");
        assertThat(reply.elements(NS_ADDRESSING, "RelatesTo")).as("nothing to relate to").isEmpty();
    }

    @Test
    void a_doctype_with_an_external_entity_is_refused_unread() {
        startHost(WsManServerProtocolTest::helloScript);
        String create = Samples.PYWINRM.create();
        String hostile = "<!DOCTYPE env:Envelope [<!ENTITY secret SYSTEM \"file:///etc/hostname\">]>"
                + create.substring(create.indexOf("<env:Envelope"))
                        .replace("<rsp:InputStreams>stdin", "<rsp:InputStreams>&secret;");
        RawWsManClient.Reply reply = client.post(hostile);
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                .containsExactly("s:Sender", "w:SchemaValidationError");
    }

    @Test
    void an_external_entity_naming_a_local_file_is_refused_and_the_file_never_appears_in_the_reply() throws Exception {
        startHost(WsManServerProtocolTest::helloScript);
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("antidote-xxe", ".txt");
        String marker = "XXE-MARKER-" + java.util.UUID.randomUUID();
        java.nio.file.Files.writeString(secret, marker);
        try {
            String create = Samples.PYWINRM.create();
            String hostile = "<!DOCTYPE env:Envelope [<!ENTITY secret SYSTEM \"" + secret.toUri() + "\">]>"
                    + create.substring(create.indexOf("<env:Envelope"))
                            .replace("<rsp:InputStreams>stdin", "<rsp:InputStreams>&secret;");
            RawWsManClient.Reply reply = client.post(hostile);

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                    .containsExactly("s:Sender", "w:SchemaValidationError");
            assertThat(reply.body()).as("the reply").doesNotContain(marker);
            assertThat(reply.headers().map().toString()).as("the reply's headers").doesNotContain(marker);
        } finally {
            java.nio.file.Files.deleteIfExists(secret);
        }
    }

    @Test
    void an_entity_expansion_bomb_is_refused_without_expanding_it() {
        startHost(WsManServerProtocolTest::helloScript);
        StringBuilder entities = new StringBuilder("<!ENTITY a0 \"bomb\">");
        for (int i = 1; i <= 12; i++) {
            entities.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String create = Samples.PYWINRM.create();
        String hostile = "<!DOCTYPE env:Envelope [" + entities + "]>"
                + create.substring(create.indexOf("<env:Envelope")).replace("<rsp:InputStreams>stdin", "<rsp:InputStreams>&a12;");

        RawWsManClient.Reply reply = client.post(hostile);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                .containsExactly("s:Sender", "w:SchemaValidationError");
        assertThat(reply.body()).as("nothing expanded").doesNotContain("bombbomb");
    }

    @Test
    void an_unknown_action_answers_action_not_supported_relating_to_the_request() {
        startHost(WsManServerProtocolTest::helloScript);
        String enumerate = Samples.PYWINRM.create()
                .replace("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create",
                        "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate");
        RawWsManClient.Reply reply = client.post(enumerate);
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.relatesTo()).isEqualTo(Samples.messageId(enumerate));
        assertThat(reply.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                .containsExactly("s:Sender", "a:ActionNotSupported");
    }

    @Test
    void the_action_is_read_from_the_body_not_from_the_content_type() {
        startHost(WsManServerProtocolTest::helloScript);
        RawWsManClient.Reply reply = client.send(client.request(client.endpoint())
                .setHeader("Content-Type",
                        "application/soap+xml; action=\"http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete\"; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(Samples.WINRM4J.create())).build());
        assertThat(reply.action()).isEqualTo("http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse");
    }

    @Test
    void only_post_to_wsman_is_served() {
        startHost(WsManServerProtocolTest::helloScript);
        RawWsManClient.Reply get = client.send(client.request(client.endpoint()).GET().build());
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        URI elsewhere = URI.create("http://127.0.0.1:" + host.port + "/wsman/other");
        RawWsManClient.Reply other = client.send(client.request(elsewhere)
                .POST(HttpRequest.BodyPublishers.ofString(Samples.PYWINRM.create())).build());
        assertThat(other.status()).isEqualTo(404);
    }

    @Test
    void a_chunked_request_body_is_read_whole() {
        startHost(WsManServerProtocolTest::helloScript);
        String create = Samples.WINRM4J.create();
        RawWsManClient.Reply created = client.postChunked(create);
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.relatesTo()).isEqualTo(Samples.messageId(create));
    }

    @Test
    void a_request_larger_than_500_kb_is_refused() {
        startHost(WsManServerProtocolTest::helloScript);
        String huge = Samples.PYWINRM.create().replace("<rsp:InputStreams>stdin",
                "<rsp:InputStreams>" + "x".repeat(600_000));
        RawWsManClient.Reply reply = client.post(huge);
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                .containsExactly("s:Sender", "w:EncodingLimit");
    }

    @Test
    void long_output_is_split_so_that_every_reply_stays_under_the_requested_envelope_size() {
        String output = "Grüße aus dem Labor ✓ 日本語 😀\r\n".repeat(2_000);
        startHost(line -> new CommandOutput(output, "", 0));
        String shellId = createShell(Samples.PYWINRM, Samples.PYWINRM.create(65001));
        String commandId = startCommand(Samples.PYWINRM, shellId, "big");

        List<Integer> replySizes = new java.util.ArrayList<>();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        boolean done = false;
        while (!done) {
            RawWsManClient.Reply received = client.post(
                    Samples.withMaxEnvelopeSize(Samples.PYWINRM.receive(shellId, commandId), 8192));
            replySizes.add(received.bytes().length);
            for (Element stream : received.elements(NS_SHELL, "Stream")) {
                byte[] chunk = Base64.getDecoder().decode(stream.getTextContent());
                assertThat(new String(chunk, StandardCharsets.UTF_8)).as("each chunk decodes on its own")
                        .doesNotContain("\uFFFD");
                stdout.writeBytes(chunk);
            }
            done = received.element(NS_SHELL, "CommandState").getAttribute("State").endsWith("/Done");
            assertThat(replySizes).as("the command finishes in a bounded number of Receives").hasSizeLessThan(100);
        }
        assertThat(replySizes).as("the output needs several Receives").hasSizeGreaterThan(5)
                .allSatisfy(size -> assertThat(size).as("reply size against MaxEnvelopeSize 8192").isLessThanOrEqualTo(8192));
        assertThat(new String(stdout.toByteArray(), StandardCharsets.UTF_8)).isEqualTo(output);
    }

    @Test
    void output_is_encoded_in_the_shells_code_page() {
        String text = "Grüße ✓ 日本\r\n";
        startHost(line -> new CommandOutput(text, "", 0));

        String utf8Shell = createShell(Samples.WINRM4J, Samples.WINRM4J.create(65001));
        byte[] utf8 = receiveStdoutUntilDone(Samples.WINRM4J, utf8Shell,
                startCommand(Samples.WINRM4J, utf8Shell, "chcp"), new java.util.ArrayList<>());
        assertThat(utf8).as("code page 65001 carries UTF-8").isEqualTo(text.getBytes(StandardCharsets.UTF_8));

        String oemShell = createShell(Samples.WINRM4J, Samples.WINRM4J.create());
        byte[] oem = receiveStdoutUntilDone(Samples.WINRM4J, oemShell,
                startCommand(Samples.WINRM4J, oemShell, "chcp"), new java.util.ArrayList<>());
        assertThat(oem).as("code page 437: ü and ß exist there, the rest becomes '?'")
                .isEqualTo(new byte[] {'G', 'r', (byte) 0x81, (byte) 0xE1, 'e', ' ', '?', ' ', '?', '?', '\r', '\n'});
    }

    @Test
    void an_unsupported_code_page_is_refused_at_create() {
        startHost(WsManServerProtocolTest::helloScript);
        RawWsManClient.Reply reply = client.post(Samples.PYWINRM.create(99999));
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                .containsExactly("s:Sender", "w:InvalidOptions");
    }

    @Test
    void several_commands_run_one_after_another_in_one_shell() {
        startHost(line -> new CommandOutput("ran " + line + "\r\n", "", line.length()));
        String shellId = createShell(Samples.PYWINRM, Samples.PYWINRM.create());
        for (String line : List.of("hostname", "whoami /all", "ipconfig")) {
            String commandId = startCommand(Samples.PYWINRM, shellId, line);
            RawWsManClient.Reply received = client.post(Samples.PYWINRM.receive(shellId, commandId));
            assertThat(new String(Base64.getDecoder().decode(received.elements(NS_SHELL, "Stream").get(0).getTextContent()),
                    StandardCharsets.US_ASCII)).isEqualTo("ran " + line + "\r\n");
            assertThat(received.text(NS_SHELL, "ExitCode")).isEqualTo(String.valueOf(line.length()));
            assertThat(client.post(Samples.PYWINRM.signal(shellId, commandId)).status()).isEqualTo(200);
        }
        assertThat(host.commandLines).containsExactly("hostname", "whoami /all", "ipconfig");
    }

    @Test
    void command_and_arguments_are_joined_with_spaces() {
        startHost(line -> new CommandOutput("", "", 0));
        String shellId = createShell(Samples.PYWINRM, Samples.PYWINRM.create());
        String command = Samples.PYWINRM.command(shellId, "ipconfig").replace("</rsp:Command>",
                "</rsp:Command><rsp:Arguments>/all</rsp:Arguments><rsp:Arguments>/v</rsp:Arguments>");
        String commandId = client.post(command).text(NS_SHELL, "CommandId");
        client.post(Samples.PYWINRM.receive(shellId, commandId));
        assertThat(host.commandLines).containsExactly("ipconfig /all /v");
    }

    @Test
    void a_signal_code_is_compared_case_insensitively_and_stops_the_command() {
        startHost(line -> {
            awaitQuietly(commandsMayFinish);
            return new CommandOutput("", "", 0);
        });
        String shellId = createShell(Samples.WINRM4J, Samples.WINRM4J.create());
        String commandId = startCommand(Samples.WINRM4J, shellId, "slow");
        String ctrlC = Samples.WINRM4J.signal(shellId, commandId).replace("signal/terminate", "signal/CTRL_C");
        assertThat(client.post(ctrlC).status()).isEqualTo(200);
        RawWsManClient.Reply after = client.post(Samples.WINRM4J.receive(shellId, commandId));
        assertThat(after.wsmanFaultCode()).as("a signalled command is gone").isEqualTo(SHELL_NOT_FOUND_CODE);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
