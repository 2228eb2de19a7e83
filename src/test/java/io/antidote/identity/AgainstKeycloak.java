package io.antidote.identity;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/**
 * The service against a real provider ({@link Keycloak}): the API's bearer tenant and the console's login through
 * the provider. Every class that needs Keycloak names this profile, so that Quarkus runs them one after another on a
 * single start of Keycloak (40 to 90 s), while the other classes keep the test profile's offline key.
 */
public class AgainstKeycloak implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Keycloak.class));
    }
}
