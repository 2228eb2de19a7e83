package io.antidote.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import io.antidote.identity.Roles;
import io.antidote.lab.LabResource;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.antidote.architecture.ProductionClasses.ALL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deny by default, checked on the code: every JAX-RS method of the product names the roles it admits on the
 * method itself (so that a new endpoint cannot inherit a broader class-level grant unnoticed), nothing is
 * {@code @PermitAll}, and every role named is one of {@link Roles#ALL}. The configuration backs this up
 * ({@code quarkus.security.jaxrs.deny-unannotated-endpoints}, and an authenticated-only permission on every
 * path but health); AccessControlTest checks the answers.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RolesAnnotationTest {

    private static final List<Class<? extends Annotation>> VERBS = List.of(GET.class, POST.class, PUT.class,
            DELETE.class, PATCH.class, HEAD.class);

    @Test
    void every_resource_method_names_the_roles_it_admits_and_only_known_roles() {
        List<String> methods = new ArrayList<>();
        List<String> bare = new ArrayList<>();
        List<String> unknownRoles = new ArrayList<>();
        for (JavaClass type : ALL) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = type.reflect();
            assertThat(resource.isAnnotationPresent(PermitAll.class)).as("%s is @PermitAll", resource).isFalse();
            for (Method method : resource.getDeclaredMethods()) {
                if (VERBS.stream().noneMatch(method::isAnnotationPresent)) {
                    continue;
                }
                String name = resource.getSimpleName() + "." + method.getName();
                methods.add(name);
                assertThat(method.isAnnotationPresent(PermitAll.class)).as("%s is @PermitAll", name).isFalse();
                RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
                if (roles == null && !method.isAnnotationPresent(DenyAll.class)) {
                    bare.add(name);
                } else if (roles != null) {
                    assertThat(roles.value()).as("roles of %s", name).isNotEmpty();
                    Arrays.stream(roles.value()).filter(role -> !Roles.ALL.contains(role))
                            .forEach(role -> unknownRoles.add(name + ": " + role));
                }
            }
        }
        assertThat(methods).as("resource methods found").hasSizeGreaterThan(25)
                .contains("RunResource.cancel", "ApiTokenResource.issue", "LabResource.create");
        assertThat(bare).as("resource methods without @RolesAllowed").isEmpty();
        assertThat(unknownRoles).as("roles that are not in Roles.ALL").isEmpty();
    }

    @Test
    void the_lab_names_the_lab_admin_role_as_the_product_does() {
        assertThat(LabResource.LAB_ADMIN).isEqualTo(Roles.LAB_ADMIN);
    }
}
