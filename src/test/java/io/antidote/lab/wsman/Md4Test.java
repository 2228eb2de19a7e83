package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Md4Test {

    @ParameterizedTest(name = "MD4(\"{0}\")")
    @CsvSource(delimiter = '|', value = {
        "''|31d6cfe0d16ae931b73c59d7e0c089c0",
        "a|bde52cb31de33e46245e05fbdbd6fb24",
        "abc|a448017aaf21d8525fc10ae87aa6729d",
        "message digest|d9130a8164549fe818874806e1c7014b",
        "abcdefghijklmnopqrstuvwxyz|d79e1c308aa5bbcdeea8ed63df412da9",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789|043f8582f241db351ce627e153e7f0e4",
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890|e33b4ddc9c38f2199c3e7b164fcc0536",
    })
    void digests_the_rfc_1320_test_suite(String message, String expected) {
        assertThat(HexFormat.of().formatHex(Md4.digest(message.getBytes(StandardCharsets.US_ASCII))))
                .as("RFC 1320 appendix A.5").isEqualTo(expected);
    }

    @Test
    void padding_is_right_at_every_length_around_a_block_boundary() {
        // 55, 56 and 64 bytes are where the length field moves to a second block.
        for (int length : new int[] {55, 56, 57, 63, 64, 65, 119, 120}) {
            byte[] message = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
            assertThat(Md4.digest(message)).as("%s bytes", length).hasSize(16)
                    .isNotEqualTo(Md4.digest("x".repeat(length + 1).getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void the_nt_hash_of_password_is_the_one_ms_nlmp_publishes() {
        assertThat(HexFormat.of().formatHex(NtlmCrypto.ntHash("Password")))
                .as("MS-NLMP 4.2.2.1.2 NTOWFv1(\"Password\")").isEqualTo("a4f49c406510bdcab6824ee7c30fd852");
    }
}
