package io.antidote.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image Jib built (profile "image": -Dquarkus.container-image.build=true, which .ci/run sets), read from
 * its tarball as a registry or Kubernetes would read it: who it runs as, what it starts, what it exposes and
 * says about itself, and that no playbook or inventory is baked into its layers.
 */
@EnabledIfSystemProperty(named = "antidote.image.tar", matches = ".+")
class ContainerImageIT {

    private static JsonNode config;
    private static List<String> files;
    private static byte[] applicationJar;

    @BeforeAll
    static void readImage() throws IOException {
        Map<String, byte[]> archive = entries(Files.newInputStream(Path.of(System.getProperty("antidote.image.tar"))));
        JsonNode manifest = new ObjectMapper().readTree(archive.get("manifest.json")).get(0);
        config = new ObjectMapper().readTree(archive.get(manifest.get("Config").asText())).get("config");
        files = new ArrayList<>();
        for (JsonNode layer : manifest.get("Layers")) {
            byte[] bytes = archive.get(layer.asText());
            InputStream in = new ByteArrayInputStream(bytes);
            Map<String, byte[]> layerFiles = entries(layer.asText().endsWith(".gz") ? new GZIPInputStream(in) : in);
            files.addAll(layerFiles.keySet());
            layerFiles.forEach((name, data) -> {
                if (name.matches("deployments/app/[^/]+\\.jar")) {
                    applicationJar = data;
                }
            });
        }
    }

    @Test
    void runsAsANumericNonRootUser() {
        String user = config.get("User").asText();
        assertThat(user).matches("[0-9]+(:[0-9]+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).isNotZero();
    }

    @Test
    void startsTheQuarkusApplicationWithTemporaryFilesUnderTmp() {
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertThat(entrypoint).startsWith("java").contains("-Djava.io.tmpdir=/tmp").endsWith("-jar", "quarkus-run.jar");
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/deployments");
        assertThat(files).contains("deployments/quarkus-run.jar", "opt/java/bin/java");
    }

    /** What ships can be checked against advisories from the image alone: its SBOM is in the application jar. */
    @Test
    void shipsTheSbomOfItsRuntimeDependencies() throws IOException {
        assertThat(applicationJar).as("the application jar under deployments/app").isNotNull();
        JsonNode bom = null;
        try (ZipInputStream jar = new ZipInputStream(new ByteArrayInputStream(applicationJar))) {
            for (ZipEntry entry; (entry = jar.getNextEntry()) != null; ) {
                if (entry.getName().equals("META-INF/sbom/bom.json")) {
                    bom = new ObjectMapper().readTree(jar.readAllBytes());
                }
            }
        }
        assertThat(bom).as("META-INF/sbom/bom.json in the application jar").isNotNull();
        assertThat(bom.get("bomFormat").asText()).isEqualTo("CycloneDX");
        List<String> components = new ArrayList<>();
        bom.get("components").forEach(c -> components.add(c.get("group").asText() + ":" + c.get("name").asText()));
        assertThat(components).contains("io.cloudsoft.windows:winrm4j", "org.apache.cxf:cxf-core",
                "io.quarkus:quarkus-core");
    }

    @Test
    void exposesTheHttpPort() {
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
    }

    @Test
    void carriesOciLabels() {
        JsonNode labels = config.get("Labels");
        assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo("Antidote");
        assertThat(labels.get("org.opencontainers.image.version").asText()).isNotBlank().doesNotContain("${");
        assertThat(labels.has("org.opencontainers.image.source")).isTrue();
        assertThat(labels.has("org.opencontainers.image.licenses")).isTrue();
    }

    @Test
    void pointsAtMountedPlaybooksAndInventoryAndBakesNoneIn() {
        List<String> env = new ArrayList<>();
        config.get("Env").forEach(e -> env.add(e.asText()));
        assertThat(env).contains("ANTIDOTE_PLAYBOOKS_DIR=/etc/antidote/playbooks",
                "ANTIDOTE_INVENTORY_FILE=/etc/antidote/inventory/inventory.yaml");
        assertThat(files).noneMatch(f -> f.endsWith(".yaml") && !f.startsWith("deployments/lib/"))
                .noneMatch(f -> f.startsWith("etc/antidote/playbooks/") || f.startsWith("etc/antidote/inventory/"));
    }

    /** The entries of a tar stream (ustar and GNU long names), by name. */
    private static Map<String, byte[]> entries(InputStream stream) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = stream) {
            byte[] header = new byte[512];
            String longName = null;
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = text(header, 0, 100);
                String prefix = text(header, 345, 155);
                long size = Long.parseLong(text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(), 8);
                byte[] data = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                char type = (char) header[156];
                if (type == 'L') {
                    longName = text(data, 0, data.length);
                    continue;
                }
                String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
                longName = null;
                entries.put(path.startsWith("./") ? path.substring(2) : path.startsWith("/") ? path.substring(1) : path, data);
            }
        }
        return entries;
    }

    private static String text(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }
}
