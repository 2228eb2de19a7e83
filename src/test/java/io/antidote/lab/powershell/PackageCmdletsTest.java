package io.antidote.lab.powershell;

import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.PatchPackage;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.playbook.PackagePins;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Get-FileHash and Get-AuthenticodeSignature on a lab host, as a patch step checks a package before installing it:
 * the hash the repository pins for a good package, and what a tampered or an unsigned package looks like.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PackageCmdletsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2021-03-04T10:00:00Z"), ZoneOffset.UTC);
    private static final String MSP = "C:\\Patches\\Exchange2016-KB5000871-x64-en.msp";
    private static final String CHECK = "$h = Get-FileHash -LiteralPath '" + MSP + "' -Algorithm SHA256; $s = Get-AuthenticodeSignature "
            + "-LiteralPath '" + MSP + "'; $h.Algorithm; $h.Hash; $h.Path; \"$($s.Status)\"; $s.StatusMessage; "
            + "\"$($s.SignerCertificate.Subject)\"; [int]$s.Status";

    private static String out(String faults, String script) {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19", List.of(),
                faults == null ? Set.of() : Set.of(faults)));
        ScriptResult r = new PowerShell(server, CLOCK).run(script);
        assertThat(r.stderr()).as("errors of: " + script).isEmpty();
        return r.stdout().replace("\r\n", "\n");
    }

    @Test
    void a_good_package_hashes_to_the_pin_of_its_kb_and_cu_and_is_signed_by_microsoft() {
        assertThat(out(null, CHECK)).isEqualTo("SHA256\n" + PackagePins.byKey().get("KB5000871 2016 CU19") + "\n" + MSP
                + "\nValid\nSignature verified.\n" + PatchPackage.MICROSOFT + "\n0\n");
    }

    @Test
    void every_pin_is_the_hash_of_the_package_a_lab_host_of_that_cu_holds() {
        for (PackagePins.Pin pin : PackagePins.all()) {
            ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec(pin.version(), pin.cu()));
            String folder = pin.file().contains("-" + pin.cu() + "-") ? ExchangeServer.OUT_OF_BAND_SHARE
                    : ExchangeServer.PATCH_SHARE;
            String content = server.files().get(folder + "\\" + pin.file()).orElseThrow().content();
            assertThat(PatchPackage.fileHash(content)).as("pin of %s", pin.key()).isEqualTo(pin.sha256());
            assertThat(pin.origin()).isEqualTo("lab");
        }
    }

    @Test
    void a_package_altered_after_signing_has_another_hash_and_a_hash_mismatch_signature() {
        String[] lines = out("tampered-package", CHECK).split("\n");
        assertThat(lines[1]).matches("[0-9A-F]{64}").isNotEqualTo(PackagePins.byKey().get("KB5000871 2016 CU19"));
        assertThat(lines[3]).isEqualTo("HashMismatch");
        assertThat(lines[4]).startsWith("The contents of file " + MSP + " might have been changed");
        assertThat(lines[5]).as("the signer of the signature that no longer verifies").isEqualTo(PatchPackage.MICROSOFT);
        assertThat(lines[6]).isEqualTo("3");
    }

    @Test
    void an_unsigned_package_is_not_signed_and_has_no_signer() {
        String[] lines = out("unsigned-package", CHECK).split("\n", -1);
        assertThat(lines[1]).isNotEqualTo(PackagePins.byKey().get("KB5000871 2016 CU19"));
        assertThat(lines[3]).isEqualTo("NotSigned");
        assertThat(lines[4]).isEqualTo("The file " + MSP + " is not digitally signed.");
        assertThat(lines[5]).isEmpty();
        assertThat(lines[6]).isEqualTo("2");
    }

    @Test
    void other_algorithms_and_piped_files_work_and_a_missing_file_is_an_error() {
        assertThat(out(null, "(Get-FileHash '" + MSP + "' -Algorithm MD5).Hash.Length; "
                + "(Get-ChildItem C:\\Patches -Filter *.msp | Get-FileHash).Count"))
                .isEqualTo("32\n3\n");
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19"));
        ScriptResult missing = new PowerShell(server, CLOCK).run("Get-FileHash -LiteralPath 'C:\\Patches\\none.msp'");
        assertThat(missing.stderr()).startsWith("Get-FileHash : Cannot find path 'C:\\Patches\\none.msp' because it does"
                + " not exist.");
        assertThat(missing.exitCode()).isEqualTo(1);
    }
}
