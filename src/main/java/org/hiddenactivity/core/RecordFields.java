package org.hiddenactivity.core;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A record's components by name, in declaration order, for provenance, cache keys and parameter tables. */
public final class RecordFields {
    private RecordFields() {}

    /**
     * Every component of {@code r} except those named in {@code skip}; enums by their name, nested records as maps of
     * their own components.
     */
    public static Map<String, Object> of(Record r, Set<String> skip) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (skip.contains(c.getName())) {
                continue;
            }
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
            }
            m.put(c.getName(), v instanceof Enum<?> e ? e.name() : v instanceof Record nested ? of(nested, Set.of()) : v);
        }
        return m;
    }

    /** Every component of {@code r}. */
    public static Map<String, Object> of(Record r) {
        return of(r, Set.of());
    }
}
