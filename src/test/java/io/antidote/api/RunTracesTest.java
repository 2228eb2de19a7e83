package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.antidote.engine.RunTraces;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The traces of a lab run over two hosts, with the OpenTelemetry SDK on and every ended span kept in memory
 * ({@link CapturedSpans}): one trace per run, derived from its id, with a span per step attempt per target and a
 * span per WinRM call under it, and nothing secret in any attribute.
 */
@QuarkusTest
@TestProfile(TempPlaybooksProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunTracesTest {

    @Inject
    CapturedSpans spans;

    @ConfigProperty(name = "antidote.credentials.lab.password")
    String labPassword;

    @Test
    void a_run_is_one_trace_with_a_span_per_step_attempt_and_per_winrm_call_and_no_secret() {
        String first = LabHosts.create("2016", "CU19", List.of(), List.of());
        String second = LabHosts.create("2016", "CU19", List.of(), List.of());
        String hostile = "hostile-" + UUID.randomUUID();
        String token = "token-" + UUID.randomUUID();

        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "outputs-probe", "targets", List.of(first, second), "ticket", "INC-traces",
                        "params", Map.of("hostile", hostile, "token", token)))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        assertThat(awaitFinished(runId).getString("status")).isEqualTo("SUCCEEDED");
        List<Map<String, Object>> started = ProxyLogonRemediationTest.events(runId).stream()
                .filter(e -> "StepStarted".equals(e.get("type"))).toList();
        assertThat(started).as("precheck and receive on each host; the 2019-only step skipped").hasSize(4);

        UUID run = UUID.fromString(runId);
        String traceId = runId.replace("-", "");
        assertThat(RunTraces.traceId(run)).isEqualTo(traceId);
        String root = RunTraces.rootSpanId(run);
        // The outcome is stored after the attempt's span ends, the run's verdict after that: all there by now.
        List<SpanData> trace = spans.ofTrace(traceId);

        assertThat(spans.all()).as("every span about the run is in its trace")
                .filteredOn(span -> runId.equals(span.getAttributes().get(RunTraces.RUN_ID)))
                .isNotEmpty()
                .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(traceId));

        List<SpanData> requested = named(trace, "run outputs-probe");
        assertThat(requested).as("the request's span").hasSize(1);
        SpanData request = requested.get(0);
        assertThat(request.getParentSpanId()).isEqualTo(root);
        assertThat(request.getAttributes().get(RunTraces.PLAYBOOK)).isEqualTo("outputs-probe");
        assertThat(request.getAttributes().get(RunTraces.TARGETS)).isEqualTo(2L);
        assertThat(request.getLinks()).as("linked to the HTTP request's own span").hasSize(1);
        String serverSpan = request.getLinks().get(0).getSpanContext().getSpanId();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.all())
                .as("the linked span is the POST's server span")
                .anySatisfy(span -> {
                    assertThat(span.getSpanId()).isEqualTo(serverSpan);
                    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
                    assertThat(span.getTraceId()).isNotEqualTo(traceId);
                }));

        List<SpanData> steps = trace.stream().filter(span -> span.getName().startsWith("step ")).toList();
        assertThat(steps.stream().map(span -> span.getAttributes().get(RunTraces.TARGET) + "/"
                + span.getAttributes().get(RunTraces.STEP) + "/" + span.getAttributes().get(RunTraces.ATTEMPT)))
                .as("one span per attempt per target, as the events record them")
                .containsExactlyInAnyOrderElementsOf(started.stream()
                        .map(e -> e.get("target") + "/" + e.get("step") + "/" + e.get("attempt")).toList());
        assertThat(steps).allSatisfy(span -> {
            assertThat(span.getName()).isEqualTo("step " + span.getAttributes().get(RunTraces.STEP));
            assertThat(span.getParentSpanId()).as("under the run's derived parent").isEqualTo(root);
            assertThat(span.getAttributes().get(RunTraces.RUN_ID)).isEqualTo(runId);
            assertThat(span.getAttributes().get(RunTraces.OUTCOME)).isEqualTo("succeeded");
        });

        Map<String, SpanData> stepsById = steps.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));
        List<SpanData> calls = named(trace, "winrm");
        assertThat(calls).as("each WinRM call a child of the attempt that made it, on its target").isNotEmpty()
                .allSatisfy(call -> {
                    assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
                    SpanData step = stepsById.get(call.getParentSpanId());
                    assertThat(step).as("parent of %s", call).isNotNull();
                    assertThat(call.getAttributes().get(RunTraces.TARGET))
                            .isEqualTo(step.getAttributes().get(RunTraces.TARGET));
                    assertThat(call.getEvents().stream().map(event -> event.getName()))
                            .as("the WS-Management operations it sent").contains("Command", "Receive");
                });
        assertThat(calls.stream().map(SpanData::getParentSpanId).collect(Collectors.toSet()))
                .as("every attempt made its call").isEqualTo(stepsById.keySet());
        assertThat(trace).as("no span of the run outside the request, attempts and calls")
                .allSatisfy(span -> assertThat(span.getName()).matches("run .*|step .*|winrm"));

        Set<String> secrets = Set.of(labPassword, token, hostile);
        assertThat(spans.all()).as("no secret, parameter or password in any span").allSatisfy(span ->
                assertThat(Stream.concat(Stream.of(span.getName(), span.getStatus().getDescription()),
                        Stream.concat(span.getAttributes().asMap().values().stream(),
                                span.getEvents().stream().flatMap(e -> Stream.concat(Stream.of(e.getName()),
                                        e.getAttributes().asMap().values().stream())))).map(String::valueOf))
                        .noneSatisfy(text -> assertThat(secrets).anySatisfy(secret ->
                                assertThat(text).contains(secret))));
    }

    private static List<SpanData> named(List<SpanData> spans, String name) {
        return spans.stream().filter(span -> span.getName().equals(name)).toList();
    }

}
