package io.antidote.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The safety matrix of issue 12 (point 10) as data: its dimensions, the scenarios generated from them, and for
 * each run the outcome the domain rules give (issue 12 point 2 and the safety invariant, PROXYLOGON.md's build
 * table and runbook). Pure: no I/O, nothing read from the product. The builds here are written from
 * PROXYLOGON.md, not taken from the lab's or the playbooks' tables, so that a wrong table there is caught.
 * {@link SafetyMatrixTest} runs the scenarios against the lab and compares; docs/safety-matrix.md explains them.
 */
final class SafetyMatrix {

    private SafetyMatrix() {
    }

    /** How a CU stands against the March 2021 fix (issue 12, point 2). */
    enum CuClass {
        /** The March 2021 SU (KB5000871) targets it. */
        PATCHABLE,
        /** 2016 CU20 and 2019 CU9 include the fix. */
        SHIPS_FIX,
        /** Too old for the March SU: only its own out-of-band March SU fixes it. */
        OLD
    }

    /** The cumulative updates, with their vulnerable and fixed builds (PROXYLOGON.md, "Updates and build numbers"). */
    enum Cu {
        EX2013_CU21("2013", "CU21", "15.0.1395.4", "15.0.1395.12", CuClass.OLD),
        EX2013_CU22("2013", "CU22", "15.0.1473.3", "15.0.1473.6", CuClass.OLD),
        EX2013_CU23("2013", "CU23", "15.0.1497.2", "15.0.1497.12", CuClass.PATCHABLE),
        EX2016_CU17("2016", "CU17", "15.1.2044.4", "15.1.2044.13", CuClass.OLD),
        EX2016_CU18("2016", "CU18", "15.1.2106.2", "15.1.2106.13", CuClass.PATCHABLE),
        EX2016_CU19("2016", "CU19", "15.1.2176.2", "15.1.2176.9", CuClass.PATCHABLE),
        EX2016_CU20("2016", "CU20", "15.1.2242.4", "15.1.2242.4", CuClass.SHIPS_FIX),
        EX2019_CU6("2019", "CU6", "15.2.659.4", "15.2.659.12", CuClass.OLD),
        EX2019_CU7("2019", "CU7", "15.2.721.2", "15.2.721.13", CuClass.PATCHABLE),
        EX2019_CU8("2019", "CU8", "15.2.792.3", "15.2.792.10", CuClass.PATCHABLE),
        EX2019_CU9("2019", "CU9", "15.2.858.5", "15.2.858.5", CuClass.SHIPS_FIX);

        final String version;
        final String name;
        /** The CU's own build: vulnerable unless it ships the fix. */
        final String build;
        /** The build its March SU (or out-of-band SU) brings, or the CU's own when it ships the fix. */
        final String fixed;
        final CuClass cuClass;

        Cu(String version, String name, String build, String fixed, CuClass cuClass) {
            this.version = version;
            this.name = name;
            this.build = build;
            this.fixed = fixed;
            this.cuClass = cuClass;
        }

        static List<Cu> of(CuClass c) {
            return Stream.of(values()).filter(cu -> cu.cuClass == c).toList();
        }

        @Override
        public String toString() {
            return version + " " + name;
        }
    }

    /** The ProxyLogon indicators the lab plants, and what of each a verdict must name. */
    enum Indicator {
        WEBSHELL("webshell", true, "zxvt0lpt.aspx", "errorEE.aspx"),
        LSASS_DUMP("lsass-dump", true, "lsass.dmp"),
        STAGED_ARCHIVE("staged-archive", true, "mail.7z", "out.zip"),
        LOG_26855("log-26855", false, "CVE-2021-26855"),
        LOG_26857("log-26857", false, "CVE-2021-26857"),
        LOG_26858("log-26858", false, "CVE-2021-26858"),
        LOG_27065("log-27065", false, "CVE-2021-27065");

        final String spec;
        /** A file the file scan quarantines; otherwise a log trace, which stays. */
        final boolean file;
        /** One verdict indicator per entry, each naming this. */
        final List<String> named;

        Indicator(String spec, boolean file, String... named) {
            this.spec = spec;
            this.file = file;
            this.named = List.of(named);
        }

        static Indicator of(String spec) {
            return Stream.of(values()).filter(i -> i.spec.equals(spec)).findFirst().orElse(null);
        }
    }

    /** Look-alike log lines that a correct scan must not flag (not an indicator). */
    static final String LOOKALIKE = "lookalike-logs";

    /** What keeps Antidote from acting on a host at all, and the words its verdict must then carry. */
    enum Unreachable {
        REFUSED("refuse-connections", "connection refused"),
        HTTP_500("http-500", "HTTP 500"),
        HTTP_401("http-401", "authentication refused"),
        NOT_ELEVATED("non-elevated", "not elevated");

        final String fault;
        final String reason;

        Unreachable(String fault, String reason) {
            this.fault = fault;
            this.reason = reason;
        }

        static Unreachable of(List<String> faults) {
            return Stream.of(values()).filter(u -> faults.contains(u.fault)).findFirst().orElse(null);
        }
    }

    /** A patch package that is not the one pinned for its KB and CU, and what the refusal must say. */
    enum Package {
        TAMPERED("tampered-package", "Authenticode signature HashMismatch"),
        UNSIGNED("unsigned-package", "Authenticode signature NotSigned");

        final String fault;
        final String reason;

        Package(String fault, String reason) {
            this.fault = fault;
            this.reason = reason;
        }

        static Package of(List<String> faults) {
            return Stream.of(values()).filter(p -> faults.contains(p.fault)).findFirst().orElse(null);
        }
    }

    enum Playbook {
        REMEDIATION("proxylogon-remediation"), IOC_SCAN("proxylogon-ioc-scan"), VERIFY("proxylogon-verify");

        final String id;

        Playbook(String id) {
            this.id = id;
        }
    }

    /** What the approver does when the patch asks. */
    enum Decision { APPROVE, REJECT, CANCEL }

    /** A lab host as created for a scenario. */
    record Host(Cu cu, boolean suInstalled, List<String> compromise, List<String> faults) {
        Host {
            compromise = List.copyOf(compromise);
            faults = List.copyOf(faults);
        }

        static Host of(Cu cu) {
            return new Host(cu, false, List.of(), List.of());
        }

        Host withSu() {
            return new Host(cu, true, compromise, faults);
        }

        Host compromised(String... indicators) {
            return new Host(cu, suInstalled, List.of(indicators), faults);
        }

        Host faulty(String... names) {
            return new Host(cu, suInstalled, compromise, List.of(names));
        }

        Set<Indicator> indicators() {
            Set<Indicator> s = new LinkedHashSet<>();
            compromise.stream().map(Indicator::of).filter(i -> i != null).forEach(s::add);
            return s;
        }

        String describe() {
            return cu + (suInstalled ? " +SU" : "") + (compromise.isEmpty() ? "" : " " + compromise)
                    + (faults.isEmpty() ? "" : " faults " + faults);
        }
    }

    /**
     * One run of a scenario. {@code outOfBand}: the remediation is given the out-of-band SU folder. {@code on}: the
     * indexes of the scenario's hosts it targets (empty: all of them). {@code waits}: it must wait for its DAG,
     * touching nothing, while the runs after it go; it is judged once they ended, on the state they left.
     */
    record Run(Playbook playbook, boolean outOfBand, Decision decision, List<Integer> on, boolean waits) {
        Run {
            on = List.copyOf(on);
        }

        Run(Playbook playbook, boolean outOfBand, Decision decision) {
            this(playbook, outOfBand, decision, List.of(), false);
        }

        /** The same run on only these hosts of the scenario. */
        Run on(Integer... hosts) {
            return new Run(playbook, outOfBand, decision, List.of(hosts), waits);
        }

        /** The same run, requested while its DAG is held: it must wait until the runs after it ended. */
        Run waiting() {
            return new Run(playbook, outOfBand, decision, on, true);
        }

        /** The indexes of the hosts it targets, of a scenario of {@code hosts} hosts. */
        List<Integer> targets(int hosts) {
            return on.isEmpty() ? java.util.stream.IntStream.range(0, hosts).boxed().toList() : on;
        }

        String describe() {
            return playbook.id + (outOfBand ? " +OOB" : "") + (playbook == Playbook.REMEDIATION ? " " + decision : "")
                    + (on.isEmpty() ? "" : " on " + on) + (waits ? " (waits for the DAG)" : "");
        }
    }

    /** Several hosts are members of one DAG, remediated by the same run(s). */
    record Scenario(String id, String dimension, List<Host> hosts, List<Run> runs) {
        boolean dag() {
            return hosts.size() > 1;
        }
    }

    // ---------------------------------------------------------------- expected outcomes

    /** Where the domain says a host stands, before and after each run. */
    static final class HostState {
        final Host host;
        String build;
        boolean patched;
        boolean isolated;
        boolean mitigated;
        /** The SU went in from a non-elevated session: the build is fixed, OWA answers 500 until an elevated reinstall. */
        boolean broken;
        int reboots;
        final Set<Indicator> live;
        /** What an earlier remediation run found: the server was compromised, even once its files are quarantined. */
        final Set<Indicator> foundBefore = EnumSet.noneOf(Indicator.class);
        /** Installs msiexec still refuses (refuse-update-once: the first; refuse-update: every one). */
        int refusalsLeft;

        HostState(Host host) {
            this.host = host;
            this.build = host.suInstalled() ? host.cu().fixed : host.cu().build;
            this.patched = host.suInstalled() || host.cu().cuClass == CuClass.SHIPS_FIX;
            this.live = EnumSet.noneOf(Indicator.class);
            this.live.addAll(host.indicators());
            this.refusalsLeft = host.faults().contains("refuse-update") ? Integer.MAX_VALUE
                    : host.faults().contains("refuse-update-once") ? 1 : 0;
        }

        boolean vulnerable() {
            return !patched;
        }
    }

    /**
     * What one target's verdict and the run must be. Sets hold the values the domain admits (a server whose
     * fix was installed but not verified may be called VULNERABLE, as last verified, or UNKNOWN).
     */
    record Verdict(Set<String> patch, String compromise, List<String> named, String service, List<String> reasons) {
    }

    /** A run's expected outcome: its status, and each target's verdict in host order. */
    record Outcome(Set<String> status, List<Verdict> verdicts) {
    }

    /**
     * What a run must end with on these hosts, from their state before it; moves the states to what the run
     * must leave. Targets go one at a time and the first failure stops the rollout (the remediation's strategy
     * is the default), so a DAG's later members are skipped, untouched, once one fails.
     */
    static Outcome expect(Run run, List<HostState> hosts) {
        List<Verdict> verdicts = new ArrayList<>();
        boolean failed = false;
        boolean cancelled = false;
        for (HostState h : hosts) {
            if (failed || cancelled) {
                verdicts.add(untouched("UNKNOWN", "UNKNOWN", List.of("not started")));
                continue;
            }
            Target t = switch (run.playbook()) {
                case REMEDIATION -> remediate(run, h);
                case IOC_SCAN -> scan(h);
                case VERIFY -> verify(h);
            };
            verdicts.add(t.verdict);
            failed |= t.status.equals("FAILED");
            cancelled |= t.status.equals("CANCELLED");
        }
        String status = cancelled ? "CANCELLED" : failed ? "FAILED" : "SUCCEEDED";
        return new Outcome(Set.of(status), verdicts);
    }

    private record Target(String status, Verdict verdict) {
    }

    private static Verdict untouched(String patch, String compromise, List<String> reasons) {
        return new Verdict(Set.of(patch), compromise, List.of(), "IN_SERVICE", reasons);
    }

    private static List<String> named(Set<Indicator> found) {
        return found.stream().flatMap(i -> i.named.stream()).toList();
    }

    /** The runbook (PROXYLOGON.md) with issue 12's rules: scans before any change, restore only when fixed and clean. */
    private static Target remediate(Run run, HostState h) {
        Unreachable u = Unreachable.of(h.host.faults());
        if (u != null) {
            return new Target("FAILED", untouched("UNKNOWN", "UNKNOWN", List.of(u.reason)));
        }
        Set<Indicator> found = EnumSet.noneOf(Indicator.class);
        found.addAll(h.live);
        found.addAll(h.foundBefore);
        h.foundBefore.addAll(found);
        String compromise = found.isEmpty() ? "CLEAN" : "COMPROMISED";
        List<String> reasons = new ArrayList<>();
        if (!found.isEmpty()) {
            reasons.add("compromised");
        }
        boolean oldWithoutItsSu = h.vulnerable() && h.host.cu().cuClass == CuClass.OLD && !run.outOfBand();
        if (h.patched && h.broken) {
            // Verify finds OWA failing: not verified fixed, so it stays where the earlier run left it.
            h.isolated |= !found.isEmpty();
            reasons.add("verify");
            return new Target("FAILED", new Verdict(Set.of("UNKNOWN"), compromise, named(found), service(h), reasons));
        }
        if (h.patched) {
            // Verified, scanned and cleaned, no other change; isolated only when compromised (or left isolated
            // before, and reopened now that this run verified it fixed and clean). A mitigation an earlier run
            // applied is Antidote's own, and comes off once the server is verified patched.
            h.live.removeIf(i -> i.file);
            h.mitigated = false;
            h.isolated = !found.isEmpty();
            return new Target(found.isEmpty() ? "SUCCEEDED" : "FAILED",
                    new Verdict(Set.of("PATCHED"), compromise, named(found), service(h), reasons));
        }
        h.isolated = true;
        if (oldWithoutItsSu) {
            h.mitigated = true;
            h.live.removeIf(i -> i.file);
            reasons.add("CU too old: upgrade the CU or install the out-of-band SU");
            return new Target("FAILED", new Verdict(Set.of("MITIGATED"), compromise, named(found), "ISOLATED", reasons));
        }
        if (run.decision() != Decision.APPROVE) {
            reasons.add(run.decision() == Decision.REJECT ? "rejected" : "cancelled");
            return new Target(run.decision() == Decision.REJECT ? "FAILED" : "CANCELLED",
                    new Verdict(Set.of("VULNERABLE"), compromise, named(found), "ISOLATED", reasons));
        }
        Package pkg = Package.of(h.host.faults());
        if (pkg != null) {
            // Issue 12 pt 7: a package that is not the pinned, Microsoft-signed one is refused before msiexec.
            reasons.add("step 'patch' failed");
            reasons.add("refused, nothing installed");
            reasons.add(pkg.reason);
            return new Target("FAILED", new Verdict(Set.of("VULNERABLE"), compromise, named(found), "ISOLATED", reasons));
        }
        if (h.refusalsLeft > 0) {
            h.refusalsLeft--;
            reasons.add("step 'patch' failed");
            return new Target("FAILED", new Verdict(Set.of("VULNERABLE"), compromise, named(found), "ISOLATED", reasons));
        }
        h.build = h.host.cu().fixed;
        h.reboots++;
        h.live.removeIf(i -> i.file);
        if (h.host.faults().contains("non-elevated-install")) {
            // Installed but OWA answers 500: not verified fixed, so never reopened.
            h.patched = true;
            h.broken = true;
            reasons.add("verify");
            return new Target("FAILED", new Verdict(Set.of("VULNERABLE", "UNKNOWN"), compromise, named(found),
                    "ISOLATED", reasons));
        }
        h.patched = true;
        h.mitigated = false; // an earlier run's mitigation comes off once the build is verified fixed
        h.isolated = !found.isEmpty();
        return new Target(found.isEmpty() ? "SUCCEEDED" : "FAILED",
                new Verdict(Set.of("PATCHED"), compromise, named(found), service(h), reasons));
    }

    private static String service(HostState h) {
        return h.isolated ? "ISOLATED" : "IN_SERVICE";
    }

    /** Read-only: names every indicator, says nothing of the build, fails when it found any. */
    private static Target scan(HostState h) {
        Set<Indicator> found = EnumSet.noneOf(Indicator.class);
        found.addAll(h.live);
        return new Target(found.isEmpty() ? "SUCCEEDED" : "FAILED", new Verdict(Set.of("UNKNOWN"),
                found.isEmpty() ? "CLEAN" : "COMPROMISED", named(found), service(h), List.of()));
    }

    /** Read-only: the build judged per CU, scans nothing, fails unless fixed. */
    private static Target verify(HostState h) {
        return new Target(h.patched ? "SUCCEEDED" : "FAILED", new Verdict(Set.of(h.patched ? "PATCHED" : "VULNERABLE"),
                "UNKNOWN", List.of(), service(h), h.patched ? List.of() : List.of("vulnerable")));
    }

    // ---------------------------------------------------------------- the scenarios

    private static final Run APPROVED = new Run(Playbook.REMEDIATION, false, Decision.APPROVE);
    private static final Run APPROVED_OOB = new Run(Playbook.REMEDIATION, true, Decision.APPROVE);
    private static final Run IOC_SCAN = new Run(Playbook.IOC_SCAN, false, Decision.APPROVE);
    private static final Run VERIFY = new Run(Playbook.VERIFY, false, Decision.APPROVE);
    private static final List<String> ALL_INDICATORS = Stream.of(Indicator.values()).map(i -> i.spec).toList();

    /** About 75 scenarios, generated from the dimensions, each on hosts of its own. */
    static List<Scenario> scenarios() {
        List<Scenario> s = new ArrayList<>();
        Adder add = (dimension, id, hosts, runs) -> s.add(new Scenario(id, dimension, hosts, runs));

        // Versions x CU classes, clean, remediation approved.
        for (Cu cu : Cu.of(CuClass.PATCHABLE)) {
            add.to("cu", "patchable-" + slug(cu), List.of(Host.of(cu)), List.of(APPROVED));
        }
        for (Cu cu : Cu.of(CuClass.SHIPS_FIX)) {
            add.to("cu", "ships-fix-" + slug(cu), List.of(Host.of(cu)), List.of(APPROVED));
        }
        for (Cu cu : Cu.of(CuClass.OLD)) {
            add.to("cu", "old-oob-given-" + slug(cu), List.of(Host.of(cu)), List.of(APPROVED_OOB));
            add.to("cu", "old-oob-installed-" + slug(cu), List.of(Host.of(cu).withSu()), List.of(APPROVED));
            add.to("cu", "too-old-" + slug(cu), List.of(Host.of(cu)), List.of(APPROVED));
        }
        for (Cu cu : List.of(Cu.EX2013_CU23, Cu.EX2016_CU19, Cu.EX2019_CU8)) {
            add.to("cu", "su-installed-" + slug(cu), List.of(Host.of(cu).withSu()), List.of(APPROVED));
        }

        // Each indicator alone, the look-alikes, and all together, across versions and CU classes.
        List<Cu> rotation = List.of(Cu.EX2016_CU19, Cu.EX2019_CU8, Cu.EX2013_CU23);
        int r = 0;
        for (Indicator i : Indicator.values()) {
            Cu cu = rotation.get(r++ % rotation.size());
            add.to("indicator", i.spec + "-" + slug(cu), List.of(Host.of(cu).compromised(i.spec)), List.of(APPROVED));
        }
        add.to("indicator", "lookalikes-only-2016-CU18", List.of(Host.of(Cu.EX2016_CU18).compromised(LOOKALIKE)),
                List.of(APPROVED));
        add.to("indicator", "all-2019-CU7", List.of(Host.of(Cu.EX2019_CU7).compromised(all())), List.of(APPROVED));
        add.to("indicator", "all-ships-fix-2019-CU9", List.of(Host.of(Cu.EX2019_CU9).compromised(all())), List.of(APPROVED));
        add.to("indicator", "all-too-old-2016-CU17", List.of(Host.of(Cu.EX2016_CU17).compromised(all())), List.of(APPROVED));
        add.to("indicator", "all-oob-given-2013-CU22", List.of(Host.of(Cu.EX2013_CU22).compromised(all())),
                List.of(APPROVED_OOB));
        add.to("indicator", "webshell-su-installed-2016-CU18", List.of(Host.of(Cu.EX2016_CU18).withSu()
                .compromised("webshell")), List.of(APPROVED));

        // Faults.
        add.to("fault", "patch-fails-2019-CU8", List.of(Host.of(Cu.EX2019_CU8).faulty("refuse-update")), List.of(APPROVED));
        add.to("fault", "patch-fails-all-indicators-2016-CU19", List.of(Host.of(Cu.EX2016_CU19).compromised(all())
                .faulty("refuse-update")), List.of(APPROVED));
        add.to("fault", "oob-patch-fails-2019-CU6", List.of(Host.of(Cu.EX2019_CU6).faulty("refuse-update")),
                List.of(APPROVED_OOB));
        add.to("fault", "unreachable-2016-CU19", List.of(Host.of(Cu.EX2016_CU19).faulty("refuse-connections")),
                List.of(APPROVED));
        add.to("fault", "http-500-2019-CU8", List.of(Host.of(Cu.EX2019_CU8).faulty("http-500")), List.of(APPROVED));
        add.to("fault", "http-401-2013-CU23", List.of(Host.of(Cu.EX2013_CU23).faulty("http-401")), List.of(APPROVED));
        add.to("fault", "non-elevated-2016-CU18", List.of(Host.of(Cu.EX2016_CU18).faulty("non-elevated")),
                List.of(APPROVED));
        add.to("fault", "non-elevated-install-2019-CU7", List.of(Host.of(Cu.EX2019_CU7).faulty("non-elevated-install")),
                List.of(APPROVED));
        add.to("fault", "tampered-package-2016-CU19", List.of(Host.of(Cu.EX2016_CU19).faulty("tampered-package")),
                List.of(APPROVED));
        add.to("fault", "unsigned-package-2019-CU8", List.of(Host.of(Cu.EX2019_CU8).faulty("unsigned-package")),
                List.of(APPROVED));
        add.to("fault", "slow-reboot-2016-CU19", List.of(Host.of(Cu.EX2016_CU19).faulty("unreachable-after-reboot:15s")),
                List.of(APPROVED));
        add.to("fault", "slow-reboot-compromised-2019-CU8", List.of(Host.of(Cu.EX2019_CU8)
                .compromised("webshell", "log-26855").faulty("unreachable-after-reboot:15s")), List.of(APPROVED));

        // Read-only playbooks.
        add.to("read-only", "ioc-scan-clean-2016-CU19", List.of(Host.of(Cu.EX2016_CU19)), List.of(IOC_SCAN));
        add.to("read-only", "ioc-scan-lookalikes-2019-CU8", List.of(Host.of(Cu.EX2019_CU8).compromised(LOOKALIKE)),
                List.of(IOC_SCAN));
        add.to("read-only", "ioc-scan-all-2013-CU23", List.of(Host.of(Cu.EX2013_CU23).compromised(all())),
                List.of(IOC_SCAN));
        add.to("read-only", "ioc-scan-logs-only-2016-CU20", List.of(Host.of(Cu.EX2016_CU20)
                .compromised("log-26855", "log-26857", "log-26858", "log-27065")), List.of(IOC_SCAN));
        add.to("read-only", "ioc-scan-lsass-2019-CU6", List.of(Host.of(Cu.EX2019_CU6).compromised("lsass-dump")),
                List.of(IOC_SCAN));
        add.to("read-only", "verify-vulnerable-2016-CU19", List.of(Host.of(Cu.EX2016_CU19)), List.of(VERIFY));
        add.to("read-only", "verify-su-installed-2019-CU8", List.of(Host.of(Cu.EX2019_CU8).withSu()), List.of(VERIFY));
        add.to("read-only", "verify-ships-fix-2016-CU20", List.of(Host.of(Cu.EX2016_CU20)), List.of(VERIFY));
        add.to("read-only", "verify-oob-installed-2016-CU17", List.of(Host.of(Cu.EX2016_CU17).withSu()), List.of(VERIFY));
        add.to("read-only", "verify-too-old-2013-CU21", List.of(Host.of(Cu.EX2013_CU21)), List.of(VERIFY));

        // DAG members, one run over both.
        add.to("dag", "two-clean-2016-CU19", List.of(Host.of(Cu.EX2016_CU19), Host.of(Cu.EX2016_CU19)), List.of(APPROVED));
        add.to("dag", "mixed-cus-2019", List.of(Host.of(Cu.EX2019_CU8), Host.of(Cu.EX2019_CU9)), List.of(APPROVED));
        add.to("dag", "first-patch-fails-2016-CU18", List.of(Host.of(Cu.EX2016_CU18).faulty("refuse-update"),
                Host.of(Cu.EX2016_CU18)), List.of(APPROVED));
        add.to("dag", "first-compromised-2019-CU7", List.of(Host.of(Cu.EX2019_CU7).compromised("log-27065"),
                Host.of(Cu.EX2019_CU7)), List.of(APPROVED));

        // DAG members across runs (issue 12 pt 5): the first member's run fails in maintenance; a run on the second
        // waits, touching nothing, while a new run on the first takes the DAG over and succeeds; then it goes on.
        add.to("dag", "across-runs-after-a-failure-in-maintenance-2016-CU19", List.of(
                        Host.of(Cu.EX2016_CU19).faulty("refuse-update-once"), Host.of(Cu.EX2016_CU19)),
                List.of(APPROVED.on(0), APPROVED.on(1).waiting(), APPROVED.on(0)));

        // Approvals.
        add.to("approval", "reject-2016-CU19", List.of(Host.of(Cu.EX2016_CU19)),
                List.of(new Run(Playbook.REMEDIATION, false, Decision.REJECT)));
        add.to("approval", "reject-oob-2013-CU21", List.of(Host.of(Cu.EX2013_CU21)),
                List.of(new Run(Playbook.REMEDIATION, true, Decision.REJECT)));
        add.to("approval", "cancel-2019-CU8", List.of(Host.of(Cu.EX2019_CU8)),
                List.of(new Run(Playbook.REMEDIATION, false, Decision.CANCEL)));
        add.to("approval", "cancel-oob-2019-CU6", List.of(Host.of(Cu.EX2019_CU6)),
                List.of(new Run(Playbook.REMEDIATION, true, Decision.CANCEL)));
        add.to("approval", "cancel-compromised-2013-CU23", List.of(Host.of(Cu.EX2013_CU23).compromised("webshell", "log-26857")),
                List.of(new Run(Playbook.REMEDIATION, false, Decision.CANCEL)));
        add.to("approval", "reject-dag-2016-CU18", List.of(Host.of(Cu.EX2016_CU18), Host.of(Cu.EX2016_CU18)),
                List.of(new Run(Playbook.REMEDIATION, false, Decision.REJECT)));

        // Re-runs after a failed (or cancelled) run, on the state it left.
        add.to("re-run", "after-reject-2016-CU19", List.of(Host.of(Cu.EX2016_CU19)),
                List.of(new Run(Playbook.REMEDIATION, false, Decision.REJECT), APPROVED));
        add.to("re-run", "after-cancel-2019-CU7", List.of(Host.of(Cu.EX2019_CU7)),
                List.of(new Run(Playbook.REMEDIATION, false, Decision.CANCEL), APPROVED));
        add.to("re-run", "after-patch-failed-2016-CU18", List.of(Host.of(Cu.EX2016_CU18).faulty("refuse-update")),
                List.of(APPROVED, APPROVED));
        add.to("re-run", "after-too-old-with-oob-2016-CU17", List.of(Host.of(Cu.EX2016_CU17)),
                List.of(APPROVED, APPROVED_OOB));
        add.to("re-run", "after-compromised-logs-2019-CU8", List.of(Host.of(Cu.EX2019_CU8).compromised("log-26858")),
                List.of(APPROVED, APPROVED));
        add.to("re-run", "after-compromised-webshell-quarantined-2016-CU18", List.of(Host.of(Cu.EX2016_CU18)
                .compromised("webshell")), List.of(APPROVED, APPROVED));
        add.to("re-run", "after-non-elevated-install-2016-CU19", List.of(Host.of(Cu.EX2016_CU19)
                .faulty("non-elevated-install")), List.of(APPROVED, APPROVED));
        add.to("re-run", "ioc-scan-after-remediation-2013-CU23", List.of(Host.of(Cu.EX2013_CU23)
                .compromised("webshell", "log-27065")), List.of(APPROVED, IOC_SCAN));
        return s;
    }

    @FunctionalInterface
    private interface Adder {
        void to(String dimension, String id, List<Host> hosts, List<Run> runs);
    }

    private static String[] all() {
        return ALL_INDICATORS.toArray(String[]::new);
    }

    private static String slug(Cu cu) {
        return cu.version + "-" + cu.name;
    }
}
