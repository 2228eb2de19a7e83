package io.antidote.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.antidote.alert.AlertsConfig;
import io.antidote.playbook.AlertRule;
import io.antidote.playbook.AlertRuleFiles;
import io.antidote.winrm.CredentialsConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart in {@code helm/antidote}, linted and rendered by real Helm inside this JVM (helm-java), with the
 * defaults and with values files as an operator would write them. Asserts on the rendered manifests, not on
 * the templates' text.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelmChartTest {

    static final Path CHART = Path.of("helm/antidote");
    static final Path PLAYBOOKS = Path.of("playbooks");

    @Test
    void the_chart_lints_clean_in_strict_mode() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }

    @Test
    void the_defaults_run_the_image_non_root_read_only_with_probes_and_a_drain() {
        Manifests rendered = render(new Helm(CHART).template());
        // Without a provider the service accepts API tokens only, and still starts (docs/security.md).
        assertThat(rendered.properties().getProperty("quarkus.oidc.tenant-enabled")).isEqualTo("false");

        Map<String, Object> deployment = rendered.one("Deployment", "r-antidote");
        Map<String, Object> pod = map(deployment, "spec", "template", "spec");
        Map<String, Object> container = container(deployment);
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 185)
                .containsEntry("fsGroup", 185);
        assertThat(map(pod, "securityContext", "seccompProfile")).containsEntry("type", "RuntimeDefault");
        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false).containsEntry("privileged", false);
        assertThat(map(container, "securityContext", "capabilities").get("drop")).isEqualTo(List.of("ALL"));
        assertThat(pod).containsEntry("automountServiceAccountToken", false);
        assertThat(container.get("image")).isEqualTo("antidote/antidote:0.1.0-SNAPSHOT");

        assertThat(map(container, "livenessProbe", "httpGet")).containsEntry("path", "/q/health/live");
        assertThat(map(container, "startupProbe", "httpGet")).containsEntry("path", "/q/health/live");
        assertThat(map(container, "readinessProbe", "httpGet")).containsEntry("path", "/q/health/ready");
        assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat(map(container, "resources", "limits")).containsKey("memory");

        // Runs have an owner, so the new pod may start before the old one drains; time to drain.
        assertThat(map(deployment, "spec", "strategy")).containsEntry("type", "RollingUpdate");
        assertThat(map(deployment, "spec", "strategy", "rollingUpdate")).containsEntry("maxSurge", 1)
                .containsEntry("maxUnavailable", 0);
        assertThat(map(deployment, "spec")).containsEntry("replicas", 1);
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThanOrEqualTo(60);
        assertThat(map(container, "lifecycle", "preStop", "sleep")).containsEntry("seconds", 5);

        assertThat(mounts(container)).containsEntry("tmp", "/tmp").containsEntry("config", "/deployments/config")
                .containsEntry("playbooks", "/etc/antidote/playbooks").containsEntry("inventory", "/etc/antidote/inventory");
        assertThat(volume(pod, "tmp")).containsKey("emptyDir");
        assertThat(env(container)).containsKey("QUARKUS_DATASOURCE_PASSWORD");
        assertThat(map(env(container).get("QUARKUS_DATASOURCE_PASSWORD"), "valueFrom", "secretKeyRef"))
                .containsEntry("name", "antidote-db").containsEntry("key", "password");

        assertThat(map(rendered.one("PodDisruptionBudget", "r-antidote"), "spec")).containsEntry("maxUnavailable", 1);
        assertThat(map(rendered.one("Service", "r-antidote"), "spec", "selector"))
                .isEqualTo(map(deployment, "spec", "selector", "matchLabels"));
        assertThat(rendered.kinds()).doesNotContain("Ingress", "NetworkPolicy", "ServiceMonitor");

        Properties properties = rendered.properties();
        assertThat(properties.getProperty("antidote.inventory.file")).isEqualTo("/etc/antidote/inventory/inventory.yaml");
        assertThat(properties.getProperty("antidote.playbooks.dir")).isEqualTo("/etc/antidote/playbooks");
        assertThat(properties.getProperty("quarkus.log.console.json.enabled")).isEqualTo("true");
        assertThat(properties.getProperty("quarkus.datasource.reactive.url")).isEqualTo("postgresql://postgresql:5432/antidote");
    }

    @Test
    void an_estate_values_file_keeps_every_target_field_any_name_and_mounts_the_step_library(@TempDir Path dir)
            throws IOException {
        Manifests rendered = renderEstate(dir);

        Map<String, Object> inventory = new Yaml(new SafeConstructor(new LoaderOptions())).load(
                (String) map(rendered.one("ConfigMap", "r-antidote-inventory"), "data").get("inventory.yaml"));
        assertThat(inventory.get("targets")).isEqualTo(estate().get("inventory") instanceof Map<?, ?> i ? i.get("targets") : null);

        Map<String, Object> deployment = rendered.one("Deployment", "r-antidote");
        Map<String, Object> pod = map(deployment, "spec", "template", "spec");
        Map<String, Object> container = container(deployment);

        // Playbooks at the top of the volume, the library under steps/, both with the repository's content.
        Map<String, Object> playbookData = map(rendered.one("ConfigMap", "r-antidote-playbooks"), "data");
        Map<String, Object> stepData = map(rendered.one("ConfigMap", "r-antidote-steps"), "data");
        for (Path file : yamlFiles(PLAYBOOKS)) {
            assertThat(playbookData.get(file.getFileName().toString())).isEqualTo(Files.readString(file));
        }
        List<Map<String, Object>> stepItems = new ArrayList<>();
        for (Path file : yamlFiles(PLAYBOOKS.resolve("steps"))) {
            String name = file.getFileName().toString();
            assertThat(stepData.get(name)).isEqualTo(Files.readString(file));
            stepItems.add(Map.of("key", name, "path", "steps/" + name));
        }
        List<Map<String, Object>> sources = list(map(volume(pod, "playbooks"), "projected"), "sources");
        assertThat(map(sources.get(0), "configMap")).containsEntry("name", "r-antidote-playbooks").doesNotContainKey("items");
        assertThat(map(sources.get(1), "configMap")).containsEntry("name", "r-antidote-steps");
        assertThat(list(map(sources.get(1), "configMap"), "items")).containsExactlyInAnyOrderElementsOf(stepItems);

        // Credentials by reference, from Secret files read at every use.
        Map<String, String> mounts = mounts(container);
        assertThat(mounts).containsEntry("trust", "/etc/antidote/trust").containsValues(
                "/etc/antidote/credentials/exchange-admins", "/etc/antidote/credentials/lab.AMS");
        mounts.forEach((volume, path) -> {
            if (path.startsWith("/etc/antidote/credentials/")) {
                assertThat(volume).as("a volume name Kubernetes accepts").matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
                assertThat(map(volume(pod, volume), "secret")).containsEntry("defaultMode", 0440).containsEntry("secretName",
                        path.endsWith("lab.AMS") ? "lab-ams" : "exchange-admins");
            }
        });
        assertThat(map(volume(pod, "trust"), "secret")).containsEntry("secretName", "winrm-ca");
        Properties properties = rendered.properties();
        // As the service binds them: a reference with a dot is quoted, or it would split the setting's name.
        assertThat(properties.getProperty("antidote.credentials.\"lab.AMS\".file")).isEqualTo("/etc/antidote/credentials/lab.AMS");
        CredentialsConfig credentials = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "config/application.properties", 260))
                .withMapping(CredentialsConfig.class).build().getConfigMapping(CredentialsConfig.class);
        assertThat(credentials.find("exchange-admins").flatMap(CredentialsConfig.Reference::file))
                .contains("/etc/antidote/credentials/exchange-admins");
        assertThat(credentials.find("lab.AMS").flatMap(CredentialsConfig.Reference::file))
                .contains("/etc/antidote/credentials/lab.AMS");
        assertThat(properties.getProperty("antidote.winrm.trust-store")).isEqualTo("/etc/antidote/trust/ca.p12");
        assertThat(map(env(container).get("ANTIDOTE_WINRM_TRUST_STORE_PASSWORD"), "valueFrom", "secretKeyRef"))
                .containsEntry("name", "winrm-ca").containsEntry("key", "store-password");
        assertThat(properties.getProperty("antidote.audit.signing-key-file")).isEqualTo("/etc/antidote/audit/key.pem");
        assertThat(map(env(container).get("ANTIDOTE_IDEMPOTENCY_FINGERPRINT_KEY"), "valueFrom", "secretKeyRef"))
                .containsEntry("name", "antidote-fingerprint").containsEntry("key", "k");
        assertThat(properties.getProperty("antidote.audit.public-key")).isEqualTo("MCowBQYDK2VwAyEAexample");
        assertThat(properties.getProperty("quarkus.datasource.jdbc.url")).isEqualTo("jdbc:postgresql://pg.db:6432/remediation");
        assertThat(properties.getProperty("antidote.winrm.max-sessions")).isEqualTo("64");
        assertThat(properties.getProperty("rabbitmq-host")).isEqualTo("mq.internal");
        assertThat(properties.getProperty("quarkus.oidc.auth-server-url")).isEqualTo("https://sso.example/realms/ops");
        // The console's login through the provider: its client's secret and session key from secrets, not the file.
        assertThat(properties.getProperty("antidote.console.oidc")).isEqualTo("true");
        assertThat(properties.getProperty("quarkus.oidc.console.client-id")).isEqualTo("antidote-console");
        assertThat(map(env(container).get("QUARKUS_OIDC_CONSOLE_CREDENTIALS_SECRET"), "valueFrom", "secretKeyRef"))
                .containsEntry("name", "console-oidc").containsEntry("key", "secret");
        assertThat(map(env(container).get("QUARKUS_OIDC_CONSOLE_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET"), "valueFrom",
                "secretKeyRef")).containsEntry("name", "antidote-console-oidc").containsEntry("key", "session-key");
        assertThat(String.join("\n", properties.stringPropertyNames())).doesNotContainIgnoringCase("password");
    }

    /**
     * The pod as the kubelet writes the projected playbooks volume: its files in a hidden {@code ..<timestamp>}
     * directory, {@code ..data} linked to it and each top-level name ({@code rules} among them) linked into
     * {@code ..data}. The directory the service's own configuration resolves for the rules, read with the service's
     * own reader, holds every rule of the repository; none is left among the playbooks.
     */
    @Test
    void the_alert_rules_reach_the_directory_the_service_reads_them_from_in_the_pod(@TempDir Path dir)
            throws IOException {
        Manifests rendered = renderEstate(dir);
        Map<String, Object> deployment = rendered.one("Deployment", "r-antidote");
        String mountPath = mounts(container(deployment)).get("playbooks");

        Path volume = Files.createDirectory(dir.resolve("playbooks-volume"));
        kubeletWrites(rendered, volume(map(deployment, "spec", "template", "spec"), "playbooks"), volume);

        AlertsConfig alerts = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(rendered.properties(), "config/application.properties", 260))
                .addDefaultInterceptors()  // ${...} expressions, as Quarkus expands them
                // Quarkus reads "10s" as its settings are written; plain SmallRye does not.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(AlertsConfig.class).build().getConfigMapping(AlertsConfig.class);
        assertThat(alerts.rulesDirs()).as("where the service reads rules in the pod")
                .containsExactly(mountPath + "/rules");
        List<Path> inPod = alerts.rulesDirs().stream()
                .map(path -> volume.resolve(Path.of(mountPath).relativize(Path.of(path)).toString())).toList();
        assertThat(Files.isSymbolicLink(inPod.get(0))).as("rules/ is the kubelet's link into ..data").isTrue();

        AlertRuleFiles.Loaded loaded = AlertRuleFiles.read(inPod);
        AlertRuleFiles.Loaded shipped = AlertRuleFiles.read(List.of(PLAYBOOKS.resolve("rules")));
        assertThat(loaded.invalid()).as("rule files refused in the pod").isEmpty();
        assertThat(shipped.rules()).as("the repository's rules").isNotEmpty();
        assertThat(loaded.rules()).extracting(AlertRule::name)
                .containsExactlyElementsOf(shipped.rules().stream().map(AlertRule::name).toList());
        assertThat(loaded.rules()).extracting(AlertRule::playbook).contains("proxylogon-remediation");
        assertThat(loaded.rules()).allSatisfy(rule -> assertThat(rule.file()).startsWith(inPod.get(0).toString()));
        assertThat(map(rendered.one("ConfigMap", "r-antidote-playbooks"), "data"))
                .as("rules are no playbooks").doesNotContainKeys(fileNames(PLAYBOOKS.resolve("rules")).toArray(String[]::new));

        Map<String, Object> none = map(render(new Helm(CHART).template()).one("ConfigMap", "r-antidote-rules"), "data");
        assertThat(none == null ? Map.of() : none).as("no rule unless given").isEmpty();
    }

    @Test
    void overrides_switch_on_ingress_network_policy_service_monitor_and_a_rolling_update() {
        Manifests rendered = render(new Helm(CHART).template()
                .set("replicaCount", 2)
                .set("updateStrategy.type", "RollingUpdate")
                .set("image.tag", "1.2.3")
                .set("jsonLogs", false)
                .set("preStopSleepSeconds", 0)
                .set("ingress.enabled", true)
                .set("networkPolicy.enabled", true)
                .set("serviceMonitor.enabled", true)
                .set("serviceMonitor.tokenSecret.name", "metrics-token")
                .set("serviceMonitor.tokenSecret.key", "token")
                .set("inventory.targets[0].name", "ex-03")
                .set("inventory.targets[0].address", "10.0.0.3")
                .set("inventory.targets[0].credential", "c")
                .set("inventory.targets[0].port", 15986));

        Map<String, Object> deployment = rendered.one("Deployment", "r-antidote");
        assertThat(map(deployment, "spec")).containsEntry("replicas", 2);
        assertThat(map(deployment, "spec", "strategy", "rollingUpdate")).containsEntry("maxSurge", 1)
                .containsEntry("maxUnavailable", 0);
        assertThat(container(deployment).get("image")).isEqualTo("antidote/antidote:1.2.3");
        assertThat(container(deployment)).doesNotContainKey("lifecycle");
        assertThat(rendered.properties().getProperty("quarkus.log.console.json.enabled")).isEqualTo("false");

        Map<String, Object> path = list(map(rendered.one("Ingress", "r-antidote"), "spec"), "rules").get(0);
        assertThat(list(map(path, "http"), "paths").get(0)).containsEntry("path", "/api");
        Map<String, Object> scrape = list(map(rendered.one("ServiceMonitor", "r-antidote"), "spec"), "endpoints").get(0);
        assertThat(scrape).containsEntry("path", "/q/metrics");
        // Metrics need a credential like every path but health (docs/security.md): the scraper sends an API token.
        assertThat(map(scrape, "authorization")).containsEntry("type", "Bearer");
        assertThat(map(scrape, "authorization", "credentials")).containsEntry("name", "metrics-token")
                .containsEntry("key", "token");
        List<Map<String, Object>> egress = list(map(rendered.one("NetworkPolicy", "r-antidote"), "spec"), "egress");
        assertThat(egress).anySatisfy(rule -> assertThat(list(rule, "ports"))
                .extracting(port -> port.get("port")).contains(5985, 5986, 15986));
    }

    @Test
    void the_migration_job_runs_as_the_schema_owner_before_install_and_upgrade(@TempDir Path dir) throws IOException {
        String template = Files.readString(CHART.resolve("templates/migration-job.yaml"));
        assertThat(template).contains("helm.sh/hook: pre-install,pre-upgrade");
        // helm-java's template leaves hooks out of its output: render a copy without the hook annotations.
        Path copy = dir.resolve("antidote");
        copyTree(CHART, copy);
        Files.writeString(copy.resolve("templates/migration-job.yaml"), template.lines()
                .filter(line -> !line.contains("helm.sh/hook")).reduce("", (a, b) -> a + b + "\n"));

        Manifests rendered = render(new Helm(copy).template());

        Map<String, Object> job = rendered.one("Job", "r-antidote-migrate");
        Map<String, Object> container = list(map(job, "spec", "template", "spec"), "containers").get(0);
        Map<String, Map<String, Object>> env = env(container);
        assertThat(env.get("QUARKUS_INIT_AND_EXIT")).containsEntry("value", "true");
        assertThat(env.get("QUARKUS_FLYWAY_MIGRATE_AT_START")).containsEntry("value", "true");
        assertThat(env.get("QUARKUS_DATASOURCE_USERNAME")).containsEntry("value", "antidote_owner");
        assertThat(map(env.get("QUARKUS_DATASOURCE_PASSWORD"), "valueFrom", "secretKeyRef"))
                .containsEntry("name", "antidote-db-owner");
        assertThat(env.get("ANTIDOTE_DATABASE_SERVICE_ROLE")).as("the role the migrations grant its rights to")
                .containsEntry("value", "antidote");
        assertThat(env(container(rendered.one("Deployment", "r-antidote"))).get("QUARKUS_DATASOURCE_USERNAME"))
                .as("the role the service connects as").containsEntry("value", "antidote");
        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true);
        assertThat(env(container(rendered.one("Deployment", "r-antidote"))).get("QUARKUS_FLYWAY_MIGRATE_AT_START"))
                .as("the service's own role does not migrate").containsEntry("value", "false");

        Manifests without = render(new Helm(CHART).template().set("migration.enabled", false));
        assertThat(env(container(without.one("Deployment", "r-antidote")))).doesNotContainKey("QUARKUS_FLYWAY_MIGRATE_AT_START");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "replicaCount|two|/replicaCount",
            "updateStrategy.type|BlueGreen|/updateStrategy/type",
            "inventory.targets[0].scheme|ftp|/inventory/targets/0",
            "inventory.targets[0].colour|red|/inventory/targets/0",
            "inventory.targets[0].port|70000|/inventory/targets/0",
            "podSecurityContext.runAsNonRoot|false|/podSecurityContext/runAsNonRoot",
            "podSecurityContext.runAsUser|0|/podSecurityContext/runAsUser",
            "securityContext.privileged|true|/securityContext/privileged",
            "credentials.exchange-admins.user|administrator|/credentials/exchange-admins",
            "config.quarkus\\.datasource\\.password|hunter2|quarkus.datasource.password",
            "playbooks.steps.build\\.txt|x|build.txt",
            "terminationGracePeriodSeconds|5|/terminationGracePeriodSeconds",
            "replicas|3|replicas",
    })
    void bad_values_are_refused_naming_the_field(String key, String value, String named) {
        TemplateCommand template = new Helm(CHART).template().withName("r").set(key, value);
        if (key.startsWith("inventory.targets[0]")) {
            template.set("inventory.targets[0].name", "ex01").set("inventory.targets[0].address", "ex01.example")
                    .set("inventory.targets[0].credential", "c");
        }

        assertThatThrownBy(template::call).hasMessageContaining("schema").hasMessageContaining(named);
    }

    private static Manifests renderEstate(Path dir) throws IOException {
        Path values = dir.resolve("estate.yaml");
        Files.writeString(values, yaml(estate()));
        return render(new Helm(CHART).template().withValuesFile(values));
    }

    /** Values an operator of a real estate would write: odd target names, every field, Secrets by name. */
    private static Map<String, Object> estate() throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("database", Map.of("host", "pg.db", "port", 6432, "name", "remediation", "user", "antidote",
                "passwordSecret", Map.of("name", "pg-antidote", "key", "password")));
        values.put("inventory", Map.of("targets", List.of(
                target("ex-01.contoso.local", "10.0.0.11", Map.of("port", 5986, "scheme", "https", "auth", "ntlm",
                        "verify-certificate", false, "labels", Map.of("version", "2016", "dag", "DAG1", "site", "AMS")),
                        "exchange-admins"),
                target("EX_02", "ex02.contoso.local", Map.of("scheme", "http", "auth", "negotiate", "port", 5985),
                        "lab.AMS"),
                target("ex03", "ex03.contoso.local", Map.of("auth", "kerberos", "labels", Map.of("role", "edge")),
                        "exchange-admins"))));
        values.put("credentials", Map.of("exchange-admins", Map.of("secretName", "exchange-admins"),
                "lab.AMS", Map.of("secretName", "lab-ams")));
        values.put("winrm", Map.of("trustStore", Map.of("secretName", "winrm-ca", "key", "ca.p12",
                "passwordKey", "store-password")));
        values.put("audit", Map.of("signingKey", Map.of("secretName", "checkpoint-key", "key", "key.pem"),
                "publicKey", "MCowBQYDK2VwAyEAexample"));
        values.put("idempotency", Map.of("fingerprintKeySecret", Map.of("name", "antidote-fingerprint", "key", "k")));
        values.put("rabbitmq", Map.of("enabled", true, "host", "mq.internal"));
        values.put("oidc", Map.of("enabled", true, "authServerUrl", "https://sso.example/realms/ops",
                "console", Map.of("enabled", true, "clientSecret", Map.of("name", "console-oidc", "key", "secret"))));
        values.put("config", Map.of("antidote.winrm.max-sessions", "64"));
        Map<String, String> files = new LinkedHashMap<>();
        for (Path file : yamlFiles(PLAYBOOKS)) {
            files.put(file.getFileName().toString(), Files.readString(file));
        }
        Map<String, String> steps = new LinkedHashMap<>();
        for (Path file : yamlFiles(PLAYBOOKS.resolve("steps"))) {
            steps.put(file.getFileName().toString(), Files.readString(file));
        }
        Map<String, String> rules = new LinkedHashMap<>();
        for (Path file : yamlFiles(PLAYBOOKS.resolve("rules"))) {
            rules.put(file.getFileName().toString(), Files.readString(file));
        }
        values.put("playbooks", Map.of("files", files, "steps", steps, "rules", rules));
        return values;
    }

    private static Map<String, Object> target(String name, String address, Map<String, Object> more, String credential) {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("name", name);
        target.put("address", address);
        target.put("credential", credential);
        target.putAll(more);
        return target;
    }

    // --- rendering and reading manifests ---

    record Manifests(List<Map<String, Object>> documents) {
        Map<String, Object> one(String kind, String name) {
            List<Map<String, Object>> found = documents.stream()
                    .filter(d -> kind.equals(d.get("kind")) && name.equals(map(d, "metadata").get("name"))).toList();
            assertThat(found).as("%s %s in %s", kind, name, kinds()).hasSize(1);
            return found.get(0);
        }

        List<String> kinds() {
            return documents.stream().map(d -> (String) d.get("kind")).toList();
        }

        Properties properties() {
            Properties properties = new Properties();
            try {
                properties.load(new StringReader((String) map(one("ConfigMap", "r-antidote-config"), "data")
                        .get("application.properties")));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return properties;
        }
    }

    private static Manifests render(TemplateCommand template) {
        String output = template.withName("r").call();
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(output)) {
            if (document != null) {
                documents.add(cast(document));
            }
        }
        return new Manifests(documents);
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        return list(map(deployment, "spec", "template", "spec"), "containers").get(0);
    }

    private static Map<String, String> mounts(Map<String, Object> container) {
        Map<String, String> mounts = new LinkedHashMap<>();
        list(container, "volumeMounts").forEach(m -> mounts.put((String) m.get("name"), (String) m.get("mountPath")));
        return mounts;
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        list(container, "env").forEach(e -> env.put((String) e.get("name"), e));
        return env;
    }

    private static Map<String, Object> volume(Map<String, Object> pod, String name) {
        return list(pod, "volumes").stream().filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    static Map<String, Object> map(Map<String, Object> from, String... path) {
        Map<String, Object> at = from;
        for (String key : path) {
            assertThat(at).as("at %s", key).containsKey(key);
            at = cast(at.get(key));
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> from, String key) {
        assertThat(from).containsKey(key);
        return (List<Map<String, Object>>) from.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    private static String yaml(Map<String, Object> values) {
        return new Yaml().dump(values);
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        return yamlFiles(dir).stream().map(f -> f.getFileName().toString()).toList();
    }

    /** Writes a projected volume of ConfigMaps under {@code root} the way the kubelet does (atomic writer layout). */
    private static void kubeletWrites(Manifests rendered, Map<String, Object> volume, Path root) throws IOException {
        Path data = Files.createDirectory(root.resolve("..2026_12_07_15_00_00.000000001"));
        for (Map<String, Object> source : list(map(volume, "projected"), "sources")) {
            Map<String, Object> configMap = map(source, "configMap");
            Map<String, Object> content = map(rendered.one("ConfigMap", (String) configMap.get("name")), "data");
            Map<String, String> paths = new LinkedHashMap<>();
            if (configMap.containsKey("items")) {
                list(configMap, "items").forEach(item -> paths.put((String) item.get("key"), (String) item.get("path")));
            } else if (content != null) {
                content.keySet().forEach(key -> paths.put(key, key));
            }
            for (Map.Entry<String, String> path : paths.entrySet()) {
                Path file = data.resolve(path.getValue());
                Files.createDirectories(file.getParent());
                Files.writeString(file, (String) content.get(path.getKey()));
            }
        }
        Files.createSymbolicLink(root.resolve("..data"), data.getFileName());
        try (Stream<Path> top = Files.list(data)) {
            for (Path name : top.toList()) {
                Files.createSymbolicLink(root.resolve(name.getFileName()), Path.of("..data").resolve(name.getFileName()));
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
