package mail.core.runtime;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;

/** "key=value, …" of a configuration mapping for the start-up log; values of secret-looking keys are masked. */
public final class ConfigDescription {
    private ConfigDescription() {
    }

    public static String of(Object mapping, Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getParameterCount() == 0 && m.getDeclaringClass() == type)
                .sorted(Comparator.comparing(Method::getName))
                .map(m -> m.getName() + "=" + value(mapping, m))
                .collect(Collectors.joining(", "));
    }

    private static String value(Object mapping, Method m) {
        String n = m.getName().toLowerCase(Locale.ROOT);
        if (n.contains("secret") || n.contains("password") || n.contains("key")) {
            return "***";
        }
        try {
            return String.valueOf(m.invoke(mapping));
        } catch (ReflectiveOperationException e) {
            return "?";
        }
    }
}
