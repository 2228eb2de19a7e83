package io.antidote.lab.powershell;

import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * One lab host may get commands from several WinRM shells at once. A script runs as a whole
 * under the host's lock, so read-modify-write scripts never lose an update, and the control
 * API's describe() can read the host at any time.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConcurrentShellsTest {

    @Test
    void scripts_from_several_shells_on_one_host_never_interleave() throws Exception {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2019", "CU8"));
        new PowerShell(server).run("Set-Content C:\\counter.txt 0");
        String increment = "$n = [int](Get-Content C:\\counter.txt -Raw)\n"
                + "New-NetFirewallRule -DisplayName \"rule $n\" -Direction Inbound -Protocol TCP -LocalPort 443 -Action Block | Out-Null\n"
                + "Set-Content C:\\counter.txt ($n + 1)\n"
                + "Get-NetFirewallRule -DisplayName \"rule $n\" | Remove-NetFirewallRule\n";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<ScriptResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> new PowerShell(server).run(increment)));
                if (i % 20 == 0) {
                    pool.submit(server::describe);
                }
            }
            for (Future<ScriptResult> f : results) {
                ScriptResult r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.stderr()).as("a script saw another's half-done work").isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(new PowerShell(server).run("[int](Get-Content C:\\counter.txt -Raw)").stdout())
                .as("every increment counted").isEqualTo("200\r\n");
        assertThat(server.isIsolated()).as("every rule made was removed").isFalse();
    }

    @Test
    void an_interrupted_script_stops() throws Exception {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2019", "CU8"));
        ScriptResult[] result = new ScriptResult[1];
        Thread t = new Thread(() -> result[0] = new PowerShell(server).run("$i = 0; while ($true) { $i++ }"));
        t.start();
        Thread.sleep(200);
        t.interrupt();
        t.join(10_000);

        assertThat(t.isAlive()).as("the shell's thread ended").isFalse();
        assertThat(result[0].exitCode()).isEqualTo(1);
        assertThat(result[0].stderr()).contains("The pipeline has been stopped.");
    }
}
