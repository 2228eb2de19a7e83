package io.antidote.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.wsman.WsManCredentials;
import io.antidote.lab.wsman.WsManServer;
import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.cloudsoft.winrm4j.winrm.WinRmTool;
import io.cloudsoft.winrm4j.winrm.WinRmToolResponse;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.http.client.config.AuthSchemes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The faults a host spec names, as a client on the wire meets them: each is what an admin's
 * WinRM client would see from a misbehaving Windows host.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabHostFaultsTest {

    private static Vertx vertx;
    private static WinRmClientContext winRm;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<WsManServer> started = new ArrayList<>();
    private int port;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        winRm = WinRmClientContext.newInstance();
    }

    @AfterAll
    static void stop() throws Exception {
        winRm.shutdown();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopHosts() {
        started.forEach(WsManServer::stop);
    }

    private LabHost host(String... faults) throws Exception {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19", List.of(), Set.of(faults)));
        LabHost host = new LabHost(server, vertx);
        WsManServer endpoint = new WsManServer(vertx, "lab-ex01", new WsManCredentials("lab", "Lab-Passw0rd!"), host,
                host.faults());
        port = endpoint.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        started.add(endpoint);
        host.attach(endpoint);
        host.applyFaults();
        return host;
    }

    private HttpResponse<String> post(Duration timeout) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/wsman")).timeout(timeout)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "lab:Lab-Passw0rd!".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/soap+xml;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("<s:Envelope/>")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private WinRmTool client() {
        return WinRmTool.Builder.builder("127.0.0.1", null, "lab", "Lab-Passw0rd!").authenticationScheme(AuthSchemes.BASIC)
                .port(port).useHttps(false).context(winRm).build();
    }

    @Test
    void a_healthy_host_answers_the_malformed_envelope_with_a_fault_at_once() throws Exception {
        host();
        HttpResponse<String> reply = post(Duration.ofSeconds(5));
        assertThat(reply.statusCode()).isEqualTo(500);
        assertThat(reply.body()).as("a SOAP fault for an empty envelope").contains("Fault");
    }

    @Test
    void latency_delays_every_reply_by_the_given_duration() throws Exception {
        host("latency:400ms");
        long begin = System.nanoTime();
        post(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("time to the reply").isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void a_hanging_host_never_answers_so_only_the_client_timeout_ends_the_request() throws Exception {
        host("hang");
        assertThatThrownBy(() -> post(Duration.ofMillis(700))).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void a_host_refusing_connections_is_refused_at_the_tcp_level() throws Exception {
        host("refuse-connections");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> post(Duration.ofSeconds(2))).isInstanceOf(ConnectException.class));
    }

    @Test
    void a_resetting_host_drops_the_connection_without_an_answer() throws Exception {
        host("reset");
        assertThatThrownBy(() -> post(Duration.ofSeconds(2))).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void http_401_and_500_answer_every_request_with_that_status() throws Exception {
        host("http-401");
        HttpResponse<String> unauthorized = post(Duration.ofSeconds(2));
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().allValues("WWW-Authenticate")).as("the challenges of a real 401").isNotEmpty();
        host("http-500");
        HttpResponse<String> broken = post(Duration.ofSeconds(2));
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).as("a broken listener's 500 has no SOAP fault").isEmpty();
    }

    @Test
    void hostile_xml_hosts_are_refused_by_winrm4j_before_any_command_and_the_named_file_is_never_read() throws Exception {
        String passwd = java.nio.file.Files.readString(java.nio.file.Path.of(LabHost.LOCAL_SECRET));
        String firstLine = passwd.lines().findFirst().orElseThrow();
        for (String fault : List.of("hostile-dtd", "hostile-xxe", "hostile-entity-bomb")) {
            LabHost hostile = host(fault);
            WinRmTool once = client();
            once.setRetriesForConnectionFailures(1);
            assertThatThrownBy(() -> once.executePs("Write-Output hi")).as(fault)
                    .hasStackTraceContaining("DTD")
                    .satisfies(e -> assertThat(stackTrace(e)).as(fault).doesNotContain(firstLine).doesNotContain("lollol"));
            assertThat(hostile.commands().entries()).as(fault + ": nothing ran").isEmpty();
            stopHosts();
            started.clear();
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    @Test
    void a_wsman_fault_host_refuses_every_shell_with_the_quota_fault_the_client_reports() throws Exception {
        host("wsman-fault");
        WinRmTool once = client();
        once.setRetriesForConnectionFailures(1);
        assertThatThrownBy(() -> once.executePs("Write-Output hi")).hasStackTraceContaining("concurrent shells");
    }

    @Test
    void after_a_restart_a_host_without_the_fault_accepts_the_next_connection_at_once() throws Exception {
        LabHost host = host();
        assertThat(client().executePs("Restart-Computer -Force").getStatusCode()).isZero();
        WinRmToolResponse after = client().executePs("(Get-Service MSExchangeIS).Status");
        assertThat(after.getStdOut()).as("the store right after the restart").isEqualTo("StartPending\r\n");
        assertThat(host.server().rebootCount()).isEqualTo(1);
    }

    @Test
    void after_a_restart_an_unreachable_host_refuses_connections_for_its_window_then_answers_again() throws Exception {
        host("unreachable-after-reboot:3s");
        assertThat(client().executePs("Restart-Computer -Force").getStatusCode()).as("the restart command answers first")
                .isZero();
        WinRmTool atOnce = client();
        atOnce.setRetriesForConnectionFailures(0);
        assertThatThrownBy(() -> atOnce.executePs("hostname; exit 0")).as("a client back at once finds the host down")
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> post(Duration.ofSeconds(1))).as("and it stays down").isInstanceOf(ConnectException.class);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(post(Duration.ofSeconds(1)).body()).contains("Fault"));
        assertThat(client().executePs("hostname; exit 0").getStatusCode()).isZero();
    }
}
