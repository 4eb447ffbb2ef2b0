package dev.mlops.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Flattens olcut provenance trees into the dotted {@code key = value} pairs a run's params and tags hold. */
final class ProvenanceFields {
    private ProvenanceFields() {
    }

    /**
     * A configured object's class and configured fields: {@code prefix} is the class name,
     * {@code prefix.field} each field's value, nested configured objects (an optimiser, a loss)
     * flattened below their own field. Instance values (invocation counts, host names) are left
     * out: they are not configuration.
     */
    static Map<String, String> configured(String prefix, ConfiguredObjectProvenance p) {
        Map<String, String> out = new TreeMap<>();
        configured(prefix, p, out);
        return out;
    }

    private static void configured(String prefix, ConfiguredObjectProvenance p, Map<String, String> out) {
        out.put(prefix, p.getClassName());
        new TreeMap<>(p.getConfiguredParameters()).forEach((k, v) -> value(prefix + "." + k, v, out));
    }

    private static void value(String key, Provenance p, Map<String, String> out) {
        if (p instanceof ConfiguredObjectProvenance c) {
            configured(key, c, out);
        } else if (p instanceof ObjectProvenance o) {
            out.put(key, o.getClassName());
            for (Pair<String, Provenance> e : o) {
                if (!e.getA().equals(ObjectProvenance.CLASS_NAME)) {
                    value(key + "." + e.getA(), e.getB(), out);
                }
            }
        } else if (p instanceof PrimitiveProvenance<?> v) {
            out.put(key, String.valueOf(v.getValue()));
        } else if (p instanceof ListProvenance<?> l) {
            if (l.getList().stream().allMatch(x -> x instanceof PrimitiveProvenance<?>)) {
                List<String> values = new ArrayList<>();
                l.forEach(x -> values.add(String.valueOf(((PrimitiveProvenance<?>) x).getValue())));
                out.put(key, values.toString());
            } else {
                int i = 0;
                for (Provenance x : l) {
                    value(key + "." + i++, x, out);
                }
            }
        } else if (p instanceof MapProvenance<?> m) {
            for (Pair<String, ? extends Provenance> e : m) {
                value(key + "." + e.getA(), e.getB(), out);
            }
        } else {
            out.put(key, String.valueOf(p));
        }
    }

    /** The primitive fields of an object (such as a data source's path and hash), by their names. */
    static Map<String, String> primitives(ObjectProvenance p) {
        Map<String, String> out = new TreeMap<>();
        for (Pair<String, Provenance> e : p) {
            if (e.getB() instanceof PrimitiveProvenance<?> v && !e.getA().equals(ObjectProvenance.CLASS_NAME)) {
                out.put(e.getA(), String.valueOf(v.getValue()));
            }
        }
        return out;
    }

    /**
     * A provenance field's name as a tag key segment: Tribuo's names mix camel case
     * ({@code dataPath}) and hyphens ({@code resource-hash}); tag keys are lowercase
     * ({@code data-path}).
     */
    static String tagSegment(String field) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && sb.length() > 0 && sb.charAt(sb.length() - 1) != '-') {
                sb.append('-');
            }
            char l = Character.toLowerCase(c);
            boolean ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '-';
            sb.append(ok ? l : '-');
        }
        String s = sb.toString().replaceAll("-{2,}", "-").replaceAll("^[-_]+|[-_]+$", "");
        return s.isEmpty() ? "field" : s.toLowerCase(Locale.ROOT);
    }
}
