package io.antidote.playbook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SHA-256 of every update package a patch step may install, pinned per KB, Exchange version and CU in the
 * repository ({@code package-pins.tsv} beside this class), so that what a server installs is decided by a reviewed
 * change and not by whatever a share holds. A step that declares {@code packagePins: true} gets them in its param
 * block as {@code $antidote_package_pins}, a hashtable from {@code "KB5000871 2016 CU19"} to the upper-case hex hash
 * Get-FileHash prints (docs/playbooks.md, "Update packages").
 */
public final class PackagePins {

    /** One pinned package. {@code origin} says where its bytes come from ("lab": the lab's simulated package). */
    public record Pin(String kb, String version, String cu, String file, String sha256, String origin) {

        /** How a script looks the pin up: {@code KB5000871 2016 CU19}. */
        public String key() {
            return kb + " " + version + " " + cu;
        }
    }

    /** The PowerShell variable a step with {@code packagePins: true} gets the table in. */
    public static final String VARIABLE = "antidote_package_pins";

    private static final String RESOURCE = "package-pins.tsv";
    private static final Pattern KB = Pattern.compile("KB\\d{6,8}");
    private static final Pattern VERSION = Pattern.compile("2010|2013|2016|2019");
    private static final Pattern CU = Pattern.compile("RTM|SP\\d|CU\\d{1,2}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.(msp|msu|exe)");
    private static final Pattern SHA256 = Pattern.compile("[0-9A-F]{64}");

    private static final List<Pin> PINS = load();

    private PackagePins() {
    }

    public static List<Pin> all() {
        return PINS;
    }

    /** The pinned hash per {@link Pin#key()}, in file order. */
    public static Map<String, String> byKey() {
        Map<String, String> byKey = new LinkedHashMap<>();
        PINS.forEach(pin -> byKey.put(pin.key(), pin.sha256()));
        return Collections.unmodifiableMap(byKey);
    }

    private static List<Pin> load() {
        try (InputStream in = PackagePins.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the table; a malformed line or a key pinned twice stops the start, naming the line. */
    static List<Pin> parse(String text) {
        List<Pin> pins = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            String where = RESOURCE + ":" + (i + 1) + ": ";
            if (f.length != 6 || !KB.matcher(f[0]).matches() || !VERSION.matcher(f[1]).matches()
                    || !CU.matcher(f[2]).matches() || !FILE.matcher(f[3]).matches() || !SHA256.matcher(f[4]).matches()
                    || f[5].isBlank()) {
                throw new IllegalStateException(where + "expected kb, version, cu, file, sha256 (64 upper-case hex"
                        + " digits) and origin, separated by tabs");
            }
            Pin pin = new Pin(f[0], f[1], f[2], f[3], f[4], f[5]);
            Integer earlier = seen.putIfAbsent(pin.key(), i + 1);
            if (earlier != null) {
                throw new IllegalStateException(where + pin.key() + " is pinned already at line " + earlier);
            }
            pins.add(pin);
        }
        return List.copyOf(pins);
    }
}
