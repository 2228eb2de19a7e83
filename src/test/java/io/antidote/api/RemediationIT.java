package io.antidote.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The walking skeleton against the packaged application ({@code target/quarkus-app/quarkus-run.jar}):
 * the only place where class-path gaps show, such as the javax annotation and activation APIs that
 * Quarkus drops from the packaged runtime and that WinRM4j's CXF needs.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.antidote.identity.TestIdentity.class)
@QuarkusIntegrationTest
class RemediationIT extends ProxyLogonRemediationTest {
}
