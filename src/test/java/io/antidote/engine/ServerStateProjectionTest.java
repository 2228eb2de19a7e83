package io.antidote.engine;

import static io.antidote.engine.RandomRuns.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.store.ServerHistory;
import io.antidote.store.ServerHistory.ServerState;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunPlan;
import io.antidote.workflow.RunState;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The servers' state is derived data: what each append folds in must be what the events say (the last verdict
 * any run recorded for the server, the labels its latest run recorded) and exactly what a rebuild from the
 * events gives, or the server list and the history would tell different stories.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerStateProjectionTest {

    static final int RUNS = 60;

    @Inject
    RunCommands commands;

    @Inject
    ProjectionRebuilder rebuilder;

    @Inject
    ServerHistory history;

    @Inject
    Mutiny.SessionFactory sessionFactory;

    /** What the events say about one server, kept while the runs are appended. */
    private record Expected(Map<String, String> labels, UUID verdictRun, RunEvent.TargetVerdictRecorded verdict) {}

    @Test
    void each_server_holds_its_last_verdict_and_latest_labels_and_a_rebuild_gives_exactly_the_rows_appends_wrote() {
        // Tests that tamper with the history delete what they made; a row left behind by one would not rebuild.
        await(() -> rebuilder.rebuildServers());
        RandomRuns random = new RandomRuns(20260312L, Instant.parse("2026-03-12T00:00:00Z"));
        // Servers of this test only: runs on them overlap, so each server's latest run and verdict are earlier runs'.
        String prefix = "srv-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Map<String, Expected> expected = new HashMap<>();
        for (int i = 0; i < RUNS; i++) {
            RequestRun drawn = random.request("INC-SRV", prefix);
            // Every other run records labels as the planner does; the others look like plans from before labels.
            Map<String, Map<String, String>> labels = new LinkedHashMap<>();
            String generation = "r" + (i % 3);
            if (i % 2 == 0) {
                drawn.plan().targets().forEach(t -> labels.put(t, Map.of("site", "s" + random.chance(50), "run", generation)));
            }
            RunPlan p = drawn.plan();
            RequestRun request = new RequestRun(drawn.runId(), new RunPlan(p.playbook(), p.digest(), p.steps(),
                    p.targets(), p.strategy(), p.groups(), p.onBusy(), labels), drawn.params(), drawn.ticket(),
                    drawn.idempotencyKey(), drawn.actor(), drawn.at());
            RunState state = await(() -> commands.append(RunState.NONE, RunDecider.decide(request, RunState.NONE))).state();
            for (String target : p.targets()) {
                Expected before = expected.get(target);
                expected.put(target, new Expected(labels.get(target), before == null ? null : before.verdictRun(),
                        before == null ? null : before.verdict()));
            }
            // To the end, so that the next run on a server is not refused it; most record a verdict on the way.
            while (!RunDecider.isTerminal(state)) {
                List<RunEvent> decided = RunDecider.decide(random.next(state), state);
                if (decided.isEmpty()) {
                    continue;
                }
                RunState current = state;
                state = await(() -> commands.append(current, decided)).state();
                for (RunEvent e : decided) {
                    if (e instanceof RunEvent.TargetVerdictRecorded v) {
                        expected.put(v.target(), new Expected(expected.get(v.target()).labels(), request.runId(), v));
                    }
                }
            }
        }
        assertThat(expected.values()).as("servers with a verdict").anyMatch(e -> e.verdict() != null);
        assertThat(expected.values()).as("servers whose latest run recorded no labels").anyMatch(e -> e.labels() == null);

        Map<String, ServerState> live = ours(prefix);
        assertThat(live.keySet()).as("servers of the runs").isEqualTo(expected.keySet());
        expected.forEach((name, want) -> {
            ServerState row = live.get(name);
            assertThat(row.labels()).as("labels of %s", name).isEqualTo(want.labels() == null ? Map.of() : want.labels());
            if (want.verdict() == null) {
                assertThat(row.verdict()).as("verdict of %s", name).isNull();
                assertThat(row.patch()).isEqualTo(ServerHistory.UNKNOWN);
                return;
            }
            assertThat(row.verdict().runId()).as("run of the verdict of %s", name).isEqualTo(want.verdictRun());
            assertThat(row.patch()).isEqualTo(want.verdict().verdict().patch().name());
            assertThat(row.compromise()).isEqualTo(want.verdict().verdict().compromise().name());
            assertThat(row.service()).isEqualTo(want.verdict().verdict().service().name());
            assertThat(row.reasons()).isEqualTo(List.copyOf(want.verdict().verdict().reasons()));
            assertThat(row.verdictAt()).isEqualTo(want.verdict().at());
            assertThat(row.evidence()).last().isEqualTo(row.verdict());
            assertThat(row.evidence()).allSatisfy(ref -> assertThat(ref.runId()).isEqualTo(want.verdictRun()));
        });

        // SQL filters: a label of the projection, and a verdict word.
        ServerState labelled = live.values().stream().filter(s -> !s.labels().isEmpty()).findFirst().orElseThrow();
        List<String> byLabel = names(history.find(new ServerHistory.Filter(null, labelled.labels()), Map.of()), prefix);
        assertThat(byLabel).contains(labelled.name())
                .allSatisfy(n -> assertThat(live.get(n).labels()).containsAllEntriesOf(labelled.labels()));
        assertThat(byLabel).containsExactlyInAnyOrderElementsOf(live.values().stream()
                .filter(s -> s.labels().entrySet().containsAll(labelled.labels().entrySet())).map(ServerState::name).toList());
        List<String> isolated = names(history.find(new ServerHistory.Filter("ISOLATED", Map.of()), Map.of()), prefix);
        assertThat(isolated).containsExactlyInAnyOrderElementsOf(live.values().stream()
                .filter(s -> "ISOLATED".equals(s.service())).map(ServerState::name).toList());

        // Spoil the projection first, so that a rebuild that kept the old rows could not pass.
        List<ServerState> all = await(() -> history.projected());
        await(() -> sessionFactory.withTransaction(s -> s.createNativeQuery(
                "update server_state set patch = 'SPOILED', labels = jsonb_build_object('x', 'y'), evidence = jsonb_build_array()").executeUpdate()));
        await(() -> sessionFactory.withTransaction(s -> s.createNativeQuery(
                "delete from server_state where name like '" + prefix + "%0'").executeUpdate()));
        int rebuilt = await(() -> rebuilder.rebuildServers());

        assertThat(rebuilt).as("servers in the rebuilt projection").isEqualTo(all.size());
        assertThat(await(() -> history.projected())).as("servers rebuilt from the events").isEqualTo(all);
    }

    private Map<String, ServerState> ours(String prefix) {
        return await(() -> history.projected()).stream().filter(s -> s.name().startsWith(prefix))
                .collect(Collectors.toMap(ServerState::name, s -> s));
    }

    private static List<String> names(io.smallrye.mutiny.Uni<List<ServerState>> found, String prefix) {
        return await(() -> found).stream().map(ServerState::name).filter(n -> n.startsWith(prefix)).toList();
    }
}
