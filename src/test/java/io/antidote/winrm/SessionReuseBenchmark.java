package io.antidote.winrm;

import io.antidote.lab.wsman.WsManOptions;
import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.cloudsoft.winrm4j.winrm.WinRmTool;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * N sequential {@code Write-Output x} against a zero-latency lab host: a fresh WinRmTool per call (what the
 * transport did before) against the transport's reused client and shell. Runs only when asked:
 * {@code mvn -B -q -o test -Dtest=SessionReuseBenchmark -Dbenchmark=true -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbenchmark.calls=200} to change N). Results go to docs/benchmarks.md.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SessionReuseBenchmark {

    @Test
    void reusing_a_client_and_shell_beats_a_new_tool_per_call() {
        int calls = Integer.getInteger("benchmark.calls", 100);
        try (LabTargets lab = new LabTargets()) {
            for (Target.AuthScheme auth : new Target.AuthScheme[] {Target.AuthScheme.NTLM, Target.AuthScheme.BASIC}) {
                Target target = lab.exchange("bench-" + auth.name().toLowerCase(), WsManOptions.labDefaults(),
                        Target.Scheme.HTTP, auth).target();
                WinRmClientContext context = WinRmClientContext.newInstance();
                WinRm4jShell transport = new WinRm4jShell(LabTargets.CREDENTIALS, WinRmSettings.defaults(), Clock.systemUTC());
                try {
                    // Warm both paths (CXF, JIT) before measuring.
                    freshTools(target, context, 10);
                    reused(target, transport, 10);
                    long fresh = freshTools(target, context, calls);
                    long kept = reused(target, transport, calls);
                    System.out.printf("BENCHMARK %s over HTTP, %d calls: fresh WinRmTool per call %.1f ms/call, "
                                    + "reused client and shell %.1f ms/call (%.1fx)%n", auth, calls, fresh / 1e6 / calls,
                            kept / 1e6 / calls, (double) fresh / kept);
                    assertThat(kept).as("time with reuse against a new tool per call").isLessThan(fresh);
                } finally {
                    transport.close();
                    context.shutdown();
                }
            }
        }
    }

    private static long freshTools(Target target, WinRmClientContext context, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            WinRmTool tool = WinRmTool.Builder.builder(target.address(), null, LabTargets.USER, LabTargets.PASSWORD)
                    .authenticationScheme(target.auth().winRm4jName()).port(target.port()).useHttps(false)
                    .context(context).build();
            assertThat(tool.executePs("Write-Output x").getStdOut()).isEqualTo("x\r\n");
        }
        return System.nanoTime() - start;
    }

    private static long reused(Target target, WinRm4jShell transport, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            assertThat(transport.runPowerShell(target, "Write-Output x").stdout()).isEqualTo("x\r\n");
        }
        return System.nanoTime() - start;
    }
}
