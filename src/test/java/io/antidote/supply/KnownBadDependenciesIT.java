package io.antidote.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run by Failsafe in `verify`, after `package` wrote the SBOM: no runtime dependency of the build is on the
 * repository's known-bad list (supply-chain/known-bad.txt). A transitive upgrade or a dropped override that
 * brings an old CXF or woodstox back fails the build here.
 */
class KnownBadDependenciesIT {

    @Test
    void no_dependency_in_the_sbom_is_known_bad() throws Exception {
        Path bom = Path.of("target/bom.json");
        assertThat(bom).as("the SBOM the package phase writes").exists();
        List<String> coordinates = new ArrayList<>();
        for (JsonNode component : new ObjectMapper().readTree(bom.toFile()).path("components")) {
            coordinates.add(component.path("group").asText() + ":" + component.path("name").asText() + ":"
                    + component.path("version").asText());
        }
        assertThat(coordinates).as("components in the SBOM").hasSizeGreaterThan(50)
                .contains("io.cloudsoft.windows:winrm4j-client:0.12.3");

        assertThat(KnownBad.read(KnownBad.FILE).violations(coordinates)).as("known-bad dependencies").isEmpty();
    }
}
