"""Where the service's CPU went: JFR execution samples (`jfr print --json --events jdk.ExecutionSample`, on stdin)
grouped by the part of the stack they were in. Used by bench/fleet.sh.

Three views, each in % of samples:
- self: the category of the frame that was running (the leaf);
- owner: the nearest frame that is not the JDK's own (java., jdk., sun., javax.), so that a sample in
  String or HashMap counts for the library that called it; JDK crypto keeps its own category;
- inclusive: samples with at least one frame of the category anywhere on the stack (adds up to more than 100).
Execution samples are Java threads running Java code: GC, the JIT compiler and native I/O waits are not in them.
"""
import collections
import json
import re
import sys

# First match wins: the more specific prefixes come first.
CATEGORIES = [
    ("antidote lab (should not be here)", ("io.antidote.lab.",)),
    ("antidote engine", ("io.antidote.engine.",)),
    ("antidote store", ("io.antidote.store.", "io.antidote.events.", "io.antidote.audit.")),
    ("antidote winrm", ("io.antidote.winrm.",)),
    ("antidote other", ("io.antidote.",)),
    ("NTLM/crypto", ("io.cloudsoft.winrm4j.client.ntlm.", "io.cloudsoft.winrm4j.client.encryption.",
                     "org.apache.http.impl.auth.", "org.apache.hc.client5.http.impl.auth.", "javax.crypto.",
                     "com.sun.crypto.", "sun.security.", "java.security.", "org.bouncycastle.",
                     )),
    ("winrm4j", ("io.cloudsoft.winrm4j.",)),
    ("CXF, SOAP and XML (StAX, JAXB, SAAJ, DOM)", ("org.apache.cxf.", "com.ctc.wstx.", "org.codehaus.stax2.",
                                          "com.sun.org.apache.xerces.", "com.sun.org.apache.xml.",
                                          "com.sun.xml.", "org.glassfish.jaxb.", "jakarta.xml.", "javax.xml.",
                                          "org.apache.xml.", "org.w3c.", "org.xml.", "com.sun.istack.")),
    ("HTTP client", ("org.apache.http.", "org.apache.hc.", "sun.net.www.", "java.net.http.", "jdk.internal.net.http.")),
    ("PostgreSQL client", ("io.vertx.pgclient.", "io.vertx.sqlclient.", "io.vertx.mutiny.pgclient.",
                           "io.vertx.mutiny.sqlclient.")),
    ("Vert.x/Netty", ("io.vertx.", "io.netty.")),
    ("Jackson", ("com.fasterxml.jackson.",)),
    ("RabbitMQ/messaging", ("com.rabbitmq.", "io.smallrye.reactive.messaging.")),
    ("Mutiny", ("io.smallrye.mutiny.",)),
    ("Quarkus/RESTEasy/Arc/Hibernate Validator", ("io.quarkus.", "org.jboss.resteasy.", "org.hibernate.",
                                                  "io.smallrye.")),
    ("JDK (collections, strings, regex, I/O...)", ("java.", "jdk.", "sun.", "javax.", "com.sun.")),
]
JDK = ("java.", "jdk.", "sun.", "javax.", "com.sun.")
CRYPTO = "NTLM/crypto"


def category(cls):
    for name, prefixes in CATEGORIES:
        if cls.startswith(prefixes):
            return name
    return "other libraries"


def class_name(frame):
    t = frame.get("method", {}).get("type", {})
    return (t.get("name") or "?").replace("/", ".")


def main():
    events = json.load(sys.stdin)["recording"]["events"]
    self_counts, owner_counts, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
    threads, methods, others = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for event in events:
        values = event["values"]
        frames = (values.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        total += 1
        classes = [class_name(f) for f in frames]
        self_counts[category(classes[0])] += 1
        owner = next((c for c in classes if not c.startswith(JDK) or category(c) == CRYPTO), classes[-1])
        owner_counts[category(owner)] += 1
        if category(owner) == "other libraries":
            others[".".join(owner.split(".")[:3])] += 1
        for c in set(category(c) for c in classes):
            inclusive[c] += 1
        leaf = frames[0].get("method", {})
        methods[class_name(frames[0]) + "." + leaf.get("name", "?")] += 1
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        threads[re.sub(r"[-#]?\d+$", "", re.sub(r"\d+", "N", thread))] += 1
    if total == 0:
        print("  no execution samples")
        return
    print(f"  {total} execution samples")
    names = sorted(set(self_counts) | set(owner_counts), key=lambda c: -owner_counts[c])
    print(f"  {'category':44} {'self':>6} {'owner':>6} {'incl.':>6}")
    for name in names:
        print(f"  {name:44} {100 * self_counts[name] / total:5.1f}% {100 * owner_counts[name] / total:5.1f}%"
              f" {100 * inclusive[name] / total:5.1f}%")
    print("  other libraries (owner): " + ", ".join(f"{p} {100 * n / total:.1f}%" for p, n in others.most_common(6)))
    print("  hottest methods (self):")
    for method, n in methods.most_common(12):
        print(f"    {100 * n / total:5.1f}% {method}")
    print("  threads:")
    for thread, n in threads.most_common(8):
        print(f"    {100 * n / total:5.1f}% {thread}")


if __name__ == "__main__":
    main()
