package io.antidote.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.antidote.architecture.ProductionClasses.ALL;
import static io.antidote.architecture.ProductionClasses.WORKFLOW;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.lang.ArchRule;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The decider in {@code workflow} is replayed from events and tested given-events / when-command /
 * then-events: it may use the JDK and nothing else, and nothing that would make the same events and
 * command decide differently twice (time and ids arrive on the command).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WorkflowPurityTest {

    /** Static methods that read the time, chance, or the process's surroundings. */
    private static final Set<String> IMPURE_CALLS = Set.of(
            "java.lang.System.currentTimeMillis", "java.lang.System.nanoTime", "java.lang.System.getenv",
            "java.lang.System.getProperty", "java.lang.System.getProperties", "java.lang.Math.random",
            "java.lang.StrictMath.random", "java.util.UUID.randomUUID");

    private static final DescribedPredicate<JavaAccess<?>> READS_THE_CLOCK_CHANCE_OR_ENVIRONMENT =
            DescribedPredicate.describe("reads the clock, chance or the environment (now(), currentTimeMillis, "
                    + "randomUUID, getenv...)", access -> {
                String owner = access.getTargetOwner().getName();
                return (owner.startsWith("java.time.") && access.getName().equals("now"))
                        || IMPURE_CALLS.contains(owner + "." + access.getName());
            });

    @Test
    void workflow_depends_on_nothing_but_itself_and_the_JDK() {
        ArchRule rule = classes().that().resideInAPackage(WORKFLOW)
                .should().onlyDependOnClassesThat().resideInAnyPackage(WORKFLOW, "java..");
        rule.check(ALL);
    }

    @Test
    void workflow_holds_no_clock_and_no_source_of_chance() {
        ArchRule rule = noClasses().that().resideInAPackage(WORKFLOW)
                .should().dependOnClassesThat().belongToAnyOf(Clock.class, InstantSource.class, Random.class,
                        SecureRandom.class, SplittableRandom.class, ThreadLocalRandom.class)
                .orShould().dependOnClassesThat().resideInAPackage("java.util.random..");
        rule.check(ALL);
    }

    @Test
    void workflow_never_reads_the_time_chance_or_environment() {
        ArchRule rule = noClasses().that().resideInAPackage(WORKFLOW)
                .should().accessTargetWhere(READS_THE_CLOCK_CHANCE_OR_ENVIRONMENT);
        rule.check(ALL);
    }

    @Test
    void workflow_does_no_input_or_output() {
        ArchRule rule = noClasses().that().resideInAPackage(WORKFLOW)
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..",
                        "java.sql..");
        rule.check(ALL);
    }
}
