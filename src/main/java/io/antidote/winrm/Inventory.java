package io.antidote.winrm;

import io.antidote.winrm.Target.AuthScheme;
import io.antidote.winrm.Target.Scheme;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The targets Antidote knows: from the YAML file {@code antidote.inventory.file} (see {@link InventoryFile}),
 * from properties {@code antidote.targets.<name>.*} (which win over the file for the same name, and which
 * the environment overrides), and from hosts that register themselves through {@link TargetRegistry}
 * (the lab's). An invalid entry is logged with where it is and left out; it never stops the others or the
 * service. The file is read again when it changes (polled every
 * {@code antidote.inventory.reload-interval}) or on {@link #reload()}.
 */
@ApplicationScoped
public class Inventory implements TargetRegistry {

    private static final Logger LOG = Logger.getLogger(Inventory.class);
    static final String CONFIGURATION = "configuration";

    private final InventoryConfig config;
    private final Optional<Path> file;
    private final Map<String, Target> registered = new ConcurrentSkipListMap<>();
    private volatile Map<String, Target> configured = Map.of();
    private volatile List<InventoryError> errors = List.of();
    private volatile FileTime loadedVersion;
    private final ScheduledExecutorService watcher;

    /** What a reload found. */
    public record Loaded(int targets, List<InventoryError> errors) {
    }

    @Inject
    Inventory(InventoryConfig config, InventoryFileConfig inventory) {
        this(config, inventory.file(), inventory.reloadInterval());
    }

    Inventory(InventoryConfig config, Optional<String> file, Duration reloadInterval) {
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("antidote.inventory.reload-interval must not be negative, not " + reloadInterval);
        }
        this.config = config;
        this.file = file.filter(f -> !f.isBlank()).map(Path::of);
        reload();
        if (this.file.isPresent() && !reloadInterval.isZero()) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "antidote-inventory-watch");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, reloadInterval.toMillis(), reloadInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            watcher = null;
        }
    }

    /** Reads the file and the properties again and replaces the configured targets. Blocking (file I/O). */
    public synchronized Loaded reload() {
        Map<String, Target> next = new TreeMap<>();
        List<InventoryError> found = new ArrayList<>();
        if (file.isPresent()) {
            Path path = file.get();
            try {
                loadedVersion = Files.getLastModifiedTime(path);
                InventoryFile.Parsed parsed = InventoryFile.parse(path.toString(), Files.readString(path));
                parsed.targets().forEach(t -> next.put(t.name(), t));
                found.addAll(parsed.errors());
            } catch (IOException e) {
                found.add(new InventoryError(path.toString(), 0, 0, null, "cannot read the inventory file ("
                        + e.getClass().getSimpleName() + ")"));
            }
        }
        config.targets().forEach((name, entry) -> {
            try {
                next.put(name, fromProperties(name, entry, Optional.ofNullable(next.get(name))));
            } catch (IllegalArgumentException e) {
                found.add(new InventoryError(CONFIGURATION, 0, 0, name, "antidote.targets." + name + ": " + e.getMessage()));
            }
        });
        found.forEach(error -> LOG.errorf("Inventory entry ignored: %s", error));
        configured = Map.copyOf(next);
        errors = List.copyOf(found);
        LOG.infof("Inventory: %d configured target(s), %d invalid entr%s", next.size(), found.size(),
                found.size() == 1 ? "y" : "ies");
        return new Loaded(next.size(), errors);
    }

    private void reloadIfChanged() {
        try {
            FileTime now = Files.getLastModifiedTime(file.orElseThrow());
            if (!now.equals(loadedVersion)) {
                reload();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Inventory file %s could not be checked for changes: %s", file.orElseThrow(),
                    e.getClass().getSimpleName());
        }
    }

    /** A target from properties, or the file's entry of that name with the fields properties set overridden. */
    private static Target fromProperties(String name, InventoryConfig.Entry entry, Optional<Target> fromFile) {
        Scheme scheme = entry.scheme().map(s -> parse(Scheme.class, "scheme", s))
                .orElse(fromFile.map(Target::scheme).orElse(Scheme.HTTPS));
        AuthScheme auth = entry.auth().map(a -> parse(AuthScheme.class, "auth", a))
                .orElse(fromFile.map(Target::auth).orElse(AuthScheme.NTLM));
        int port = entry.port().orElse(fromFile.filter(t -> t.scheme() == scheme).map(Target::port)
                .orElse(scheme == Scheme.HTTPS ? 5986 : 5985));
        String address = entry.address().filter(a -> !a.isBlank()).or(() -> fromFile.map(Target::address))
                .orElseThrow(() -> new IllegalArgumentException("address is required"));
        String credential = entry.credential().filter(c -> !c.isBlank()).or(() -> fromFile.map(Target::credential))
                .orElseThrow(() -> new IllegalArgumentException("credential is required"));
        boolean verify = entry.verifyCertificate().orElse(fromFile.map(Target::verifyCertificate).orElse(true));
        Map<String, String> labels = new TreeMap<>(fromFile.map(Target::labels).orElse(Map.of()));
        labels.putAll(entry.labels());
        return validated(new Target(name, address, port, scheme, auth, credential, labels, verify));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String what, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** Rules for configured targets beyond the record's own: Basic sends the password in clear. */
    static Target validated(Target target) {
        if (target.auth() == AuthScheme.BASIC && target.scheme() != Scheme.HTTPS) {
            throw new IllegalArgumentException("target '" + target.name()
                    + "': basic authentication sends the password in clear and is allowed only over https");
        }
        return target;
    }

    /** Adds a target that is not configured (lab hosts). */
    @Override
    public void register(Target target) {
        registered.put(target.name(), target);
    }

    @Override
    public void remove(String name) {
        registered.remove(name);
    }

    @Override
    public Optional<Target> find(String name) {
        Target target = configured.get(name);
        return Optional.ofNullable(target != null ? target : registered.get(name));
    }

    public Collection<Target> all() {
        Map<String, Target> all = new TreeMap<>(registered);
        all.putAll(configured);
        return List.copyOf(all.values());
    }

    /** The entries left out at the last load, with where they are and why. */
    public List<InventoryError> errors() {
        return errors;
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
