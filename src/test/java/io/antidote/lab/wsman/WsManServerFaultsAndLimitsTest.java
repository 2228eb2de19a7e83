package io.antidote.lab.wsman;

import static io.antidote.lab.wsman.RawWsManClient.NS_SHELL;
import static io.antidote.lab.wsman.RawWsManClient.NS_SOAP;
import static io.antidote.lab.wsman.RawWsManClient.NS_WSMAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

/**
 * The fault switches the lab control API flips (latency, forced HTTP status, refused connections)
 * and the limits that keep a misbehaving client from exhausting a host.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WsManServerFaultsAndLimitsTest {

    private static Vertx vertx;
    private RunningLabHost host;
    private RawWsManClient client;

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
        if (host != null) {
            host.close();
        }
    }

    private void startHost(WsManLimits limits) {
        host = RunningLabHost.start(vertx, line -> new CommandOutput("ok\r\n", "", 0), limits);
        client = new RawWsManClient(host.port);
    }

    private String createShell() {
        RawWsManClient.Reply created = client.post(Samples.PYWINRM.create());
        assertThat(created.status()).as("Create: %s", created.body()).isEqualTo(200);
        return created.element(NS_WSMAN, "Selector").getTextContent();
    }

    @Test
    void latency_delays_every_reply() {
        startHost(WsManLimits.defaults());
        host.faults.setLatency(Duration.ofMillis(400));

        long before = System.nanoTime();
        RawWsManClient.Reply created = client.post(Samples.PYWINRM.create());
        RawWsManClient.Reply rejected = new RawWsManClient(host.port, "lab", "wrong").post(Samples.PYWINRM.create());
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);

        assertThat(created.status()).isEqualTo(200);
        assertThat(rejected.status()).isEqualTo(401);
        assertThat(elapsedMillis).as("two replies, each 400 ms late").isGreaterThanOrEqualTo(800);

        host.faults.clear();
        long after = System.nanoTime();
        client.post(Samples.PYWINRM.create());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - after)).as("a healthy host answers at once")
                .isLessThan(400);
    }

    @Test
    void a_forced_http_status_answers_every_request_until_cleared() {
        startHost(WsManLimits.defaults());
        host.faults.forceHttpStatus(500);
        RawWsManClient.Reply broken = client.post(Samples.PYWINRM.create());
        assertThat(broken.status()).isEqualTo(500);
        assertThat(broken.bytes()).isEmpty();

        host.faults.forceHttpStatus(401);
        RawWsManClient.Reply revoked = client.post(Samples.PYWINRM.create());
        assertThat(revoked.status()).as("good credentials, yet refused").isEqualTo(401);
        assertThat(revoked.headers().allValues("WWW-Authenticate")).contains("Basic realm=\"WSMAN\"");

        host.faults.clearHttpStatus();
        assertThat(client.post(Samples.PYWINRM.create()).status()).isEqualTo(200);
    }

    @Test
    void only_error_statuses_can_be_forced() {
        assertThatThrownBy(() -> new WsManFaults().forceHttpStatus(200)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_host_refusing_connections_is_down_at_tcp_level_and_comes_back_on_the_same_port() {
        startHost(WsManLimits.defaults());
        String shellId = createShell();

        host.faults.setRefuseConnections(true);
        assertRefused(host.port);

        host.faults.setRefuseConnections(false);
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> connect(host.port));
        assertThat(host.server.port()).isEqualTo(host.port);
        RawWsManClient.Reply deleted = new RawWsManClient(host.port).post(Samples.PYWINRM.delete(shellId));
        assertThat(deleted.status()).as("shells survive the outage, as on a host whose network dropped").isEqualTo(200);
    }

    @Test
    void a_host_started_while_refusing_connections_listens_only_once_allowed() {
        WsManFaults faults = new WsManFaults().setRefuseConnections(true);
        WsManServer server = new WsManServer(vertx, "lab-ex02", RunningLabHost.CREDENTIALS,
                line -> new CommandOutput("", "", 0), faults);
        int port = RunningLabHost.await(server.start("127.0.0.1", 0));
        try {
            assertThat(port).isPositive();
            assertRefused(port);
            faults.setRefuseConnections(false);
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> connect(port));
        } finally {
            RunningLabHost.await(server.stop());
        }
    }

    @Test
    void a_create_beyond_the_shell_quota_faults_until_a_shell_is_deleted() {
        startHost(WsManLimits.defaults().withMaxShells(2));
        String first = createShell();
        createShell();

        RawWsManClient.Reply third = client.post(Samples.PYWINRM.create());
        assertThat(third.status()).isEqualTo(500);
        assertThat(third.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                .containsExactly("s:Receiver", "w:QuotaLimit");

        assertThat(client.post(Samples.PYWINRM.delete(first)).status()).isEqualTo(200);
        assertThat(client.post(Samples.PYWINRM.create()).status()).as("room again after a Delete").isEqualTo(200);
    }

    @Test
    void a_shell_left_idle_is_deleted_by_the_sweeper() {
        startHost(WsManLimits.defaults().withIdleShells(Duration.ofMillis(300), Duration.ofMillis(50)));
        String idle = createShell();
        String busy = createShell();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(client.post(Samples.PYWINRM.command(busy)).status()).as("a used shell stays").isEqualTo(200);
            return RunningLabHost.await(host.server.openShells()) == 1;
        });
        RawWsManClient.Reply reply = client.post(Samples.PYWINRM.command(idle, "hostname"));
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.wsmanFaultCode()).as("the idle shell is gone").isEqualTo("2150858843");
        assertThat(client.post(Samples.PYWINRM.command(busy)).status()).isEqualTo(200);
    }

    @Test
    void a_request_body_over_the_limit_is_refused_and_the_connection_closed() {
        startHost(WsManLimits.defaults().withMaxRequestBytes(4_000));
        RawWsManClient.Reply reply = client.postChunked(Samples.WINRM4J.create().replace(
                "<ns2:InputStreams>stdin", "<ns2:InputStreams>" + "x".repeat(10_000)));
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.elements(NS_SOAP, "Value")).extracting(Node::getTextContent)
                .containsExactly("s:Sender", "w:EncodingLimit");
        assertThat(reply.headers().allValues("Content-Type")).containsExactly("application/soap+xml;charset=UTF-8");
        assertThat(client.post(Samples.WINRM4J.create()).status()).as("a normal request still works").isEqualTo(200);
    }

    @Test
    void stopping_the_host_frees_its_port() {
        startHost(WsManLimits.defaults());
        createShell();
        host.close();
        assertRefused(host.port);
        host = null;
    }

    @Test
    void the_commands_of_a_shell_are_capped_evicting_finished_ones_first() {
        startHost(WsManLimits.defaults());
        String shellId = createShell();
        String first = null;
        for (int i = 0; i < 40; i++) {
            RawWsManClient.Reply started = client.post(Samples.PYWINRM.command(shellId, "hostname"));
            assertThat(started.status()).as("command %s", i).isEqualTo(200);
            String commandId = started.text(NS_SHELL, "CommandId");
            first = first == null ? commandId : first;
            await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() ->
                    client.post(Samples.PYWINRM.receive(shellId, commandId)).body().contains("CommandState/Done"));
        }
        assertThat(client.post(Samples.PYWINRM.receive(shellId, first)).wsmanFaultCode())
                .as("the oldest finished command was evicted").isEqualTo("2150858843");
    }

    /** Vert.x completes a server's close a moment before the socket is unbound, hence the short wait. */
    private static void assertRefused(int port) {
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThatThrownBy(() -> connect(port)).as("connecting to port %s", port)
                        .isInstanceOf(ConnectException.class));
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        }
    }
}
