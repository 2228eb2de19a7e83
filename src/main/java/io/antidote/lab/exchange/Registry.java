package io.antidote.lab.exchange;

import java.util.Locale;
import java.util.Map;

/** Spelling of registry paths: {@code HKLM:\...}, also {@code HKEY_LOCAL_MACHINE\...} and {@code Registry::...}. */
final class Registry {

    private Registry() {
    }

    static String normalize(String path) {
        String p = path.replace('/', '\\');
        String lower = p.toLowerCase(Locale.ROOT);
        for (String prefix : new String[] {"microsoft.powershell.core\\registry::", "registry::"}) {
            if (lower.startsWith(prefix)) {
                p = p.substring(prefix.length());
                lower = lower.substring(prefix.length());
            }
        }
        if (lower.startsWith("hkey_local_machine")) {
            p = "HKLM:" + p.substring("hkey_local_machine".length());
        } else if (lower.startsWith("hklm:")) {
            p = "HKLM:" + p.substring(5);
        }
        StringBuilder out = new StringBuilder();
        for (String s : p.split("\\\\+")) {
            if (s.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append('\\');
            }
            out.append(s);
        }
        String n = out.toString();
        return n.equalsIgnoreCase("HKLM:") ? "HKLM:\\" : n;
    }

    /** Adds a key and, as a registry has them, every key above it. */
    static void put(Map<String, Map<String, Object>> keys, String path, Map<String, Object> values) {
        String n = normalize(path);
        keys.put(n, values);
        int i = n.lastIndexOf('\\');
        while (i > "HKLM:".length()) {
            n = n.substring(0, i);
            keys.putIfAbsent(n, Map.of());
            i = n.lastIndexOf('\\');
        }
        keys.putIfAbsent("HKLM:\\", Map.of());
    }
}
