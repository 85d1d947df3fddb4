package io.prunestream.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields a typed Kubernetes model (fabric8, Strimzi) did not recognise: both keep unknown keys in an
 * {@code additionalProperties} map instead of failing, so a misspelt key ({@code replica:}) is only visible there.
 */
final class UnknownFields {

    private final List<String> found = new ArrayList<>();
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private UnknownFields() {
    }

    /** The dotted paths of every unknown field in {@code resource}, empty when there is none. */
    static List<String> in(Object resource) {
        UnknownFields walk = new UnknownFields();
        walk.visit(resource, "");
        return walk.found;
    }

    private void visit(Object value, String path) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> visit(v, path + "." + k));
            return;
        }
        if (value instanceof Iterable<?> list) {
            int i = 0;
            for (Object item : list) {
                visit(item, path + "[" + i++ + "]");
            }
            return;
        }
        String type = value.getClass().getName();
        if (!type.startsWith("io.fabric8.") && !type.startsWith("io.strimzi.") || value.getClass().isEnum()) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object child = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> found.add(path.isEmpty() ? String.valueOf(k) : path.substring(1) + "." + k));
                }
            } else {
                visit(child, path + "." + decapitalize(getter.getName().substring(3)));
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
