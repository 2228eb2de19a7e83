package io.antidote.lab.powershell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * @{ } — case-insensitive for string keys as PowerShell's hashtables are. Entries keep their
 * insertion order (a real Hashtable's order is by hash; the lab prefers repeatable output).
 */
final class PsHashtable {

    private final Map<Object, Object[]> entries = new LinkedHashMap<>();

    private static Object normalize(Object key) {
        if (key instanceof String s) {
            return s.toLowerCase(Locale.ROOT);
        }
        if (key instanceof Number n && !(key instanceof Double)) {
            return n.longValue();
        }
        return key;
    }

    boolean containsKey(Object key) {
        return entries.containsKey(normalize(key));
    }

    Object get(Object key) {
        Object[] e = entries.get(normalize(key));
        return e == null ? null : e[1];
    }

    void put(Object key, Object value) {
        Object n = normalize(key);
        Object[] e = entries.get(n);
        if (e != null) {
            e[1] = value;
        } else {
            entries.put(n, new Object[] {key, value});
        }
    }

    boolean remove(Object key) {
        return entries.remove(normalize(key)) != null;
    }

    int size() {
        return entries.size();
    }

    List<Object> keys() {
        List<Object> k = new ArrayList<>();
        for (Object[] e : entries.values()) {
            k.add(e[0]);
        }
        return k;
    }

    List<Object> values() {
        List<Object> v = new ArrayList<>();
        for (Object[] e : entries.values()) {
            v.add(e[1]);
        }
        return v;
    }

    PsHashtable copy() {
        PsHashtable h = new PsHashtable();
        for (Object[] e : entries.values()) {
            h.put(e[0], e[1]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "System.Collections.Hashtable";
    }
}
