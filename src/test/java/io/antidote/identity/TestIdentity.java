package io.antidote.identity;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * How tests call the API as someone. Every test class starts with RestAssured sending the token of
 * {@link #TESTER}, a person holding every role (and the test playbooks' approval role {@code ops}) and allowed
 * every playbook, so that tests about something else need not think about identity; tests about identity say
 * who acts with {@link #as}, or {@link #anonymous()}. A Quarkus test callback
 * (src/test/resources/META-INF/services) installs it before each {@code @QuarkusTest} method, inside Quarkus's
 * class loader, whose RestAssured is the one the test uses; tests Quarkus does not run in its class loader
 * ({@code CrashRecoveryIT}, {@code RemediationIT}) say {@code @ExtendWith(TestIdentity.class)}. (JUnit's
 * extension auto-detection would need a junit-platform.properties, which displaces Quarkus's class orderer.)
 */
public class TestIdentity implements BeforeAllCallback, QuarkusTestBeforeEachCallback {

    public static final String TESTER = "tester";
    /** Every role of the API, plus the approval role the temporary test playbooks name. */
    public static final List<String> TESTER_ROLES;

    static {
        List<String> roles = new ArrayList<>(Roles.ALL);
        roles.add("ops");
        TESTER_ROLES = List.copyOf(roles);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        useByDefault(TestTokens.person(TESTER, TESTER_ROLES, List.of(Caller.ALL_PLAYBOOKS)));
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        useByDefault(TestTokens.person(TESTER, TESTER_ROLES, List.of(Caller.ALL_PLAYBOOKS)));
    }

    /** Marks a request that is to go without any credential; the default filter removes it. */
    private static final String ANONYMOUS = "X-Test-Anonymous";

    /**
     * From now on, requests carry this bearer token unless a test gives its own or asks for none. A filter
     * rather than a default request specification: a specification would fix the port before Quarkus sets it.
     */
    public static void useByDefault(String token) {
        RestAssured.replaceFiltersWith((request, response, context) -> {
            if (request.getHeaders().hasHeaderWithName(ANONYMOUS)) {
                request.removeHeader(ANONYMOUS);
            } else if (!request.getHeaders().hasHeaderWithName("Authorization")
                    && !request.getHeaders().hasHeaderWithName(ApiTokenMechanism.TOKEN_HEADER)) {
                request.header("Authorization", "Bearer " + token);
            }
            return context.next(request, response);
        });
    }

    /** A request as this person, with these roles, allowed every playbook. */
    public static RequestSpecification as(String subject, String... roles) {
        return bearer(TestTokens.person(subject, roles));
    }

    /** A request with this bearer token (a JWT or an API token). */
    public static RequestSpecification bearer(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    /** A request without any credential. */
    public static RequestSpecification anonymous() {
        return RestAssured.given().header(ANONYMOUS, "true");
    }
}
