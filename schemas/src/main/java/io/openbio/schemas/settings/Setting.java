package io.openbio.schemas.settings;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code OPENBIO_*} setting of the platform, as listed in {@link Settings#ALL}.
 *
 * @param env          the environment variable, {@code OPENBIO_...}
 * @param property     the system property (or Spring property) of the same setting, whose upper-cased
 *                     name with '.' and '-' as '_' is {@code env}; null where there is none
 * @param defaultValue the value the code falls back to, exactly; null where the default is worked out
 *                     at run time (or there is none)
 * @param defaultText  the default as users read it (README's Configuration table): {@code defaultValue}
 *                     where that is fixed, else a description
 * @param readBy       the components that read it
 * @param scope        who sets it, and where it is documented
 * @param meaning      what it does, in one line
 */
public record Setting(String env, String property, String defaultValue, String defaultText, Set<Component> readBy,
                      Scope scope, String meaning) {

    /** The parts of the platform that read settings. */
    public enum Component {
        /** the HTTP gateway */
        GATEWAY,
        /** the processor stages ({@code ProcessorMain}) */
        PROCESSORS,
        /** the set-up job ({@code PlatformSetup}): topics and schemas */
        SETUP,
        /** the local run ({@code ./run.sh}, {@code LocalPlatform}) and the fault tests */
        LAUNCHER,
        /** command-line tools, benchmarks and tests */
        TOOLS;

        /** Every component that runs in a deployment or the local run: what reads {@code KafkaSettings}. */
        public static Set<Component> all() {
            return Collections.unmodifiableSet(EnumSet.of(GATEWAY, PROCESSORS, SETUP, LAUNCHER));
        }
    }

    /** Who sets a setting, and so where it is documented. */
    public enum Scope {
        /** set in deployments; a row of README.md's Configuration table */
        DEPLOYMENT,
        /** the local run only ({@code ./run.sh}); README.md's "Local run only" line */
        LOCAL_RUN,
        /** read, with a default that suits every deployment; not documented for users */
        TUNING,
        /** tests, benchmarks and the build; not documented for users */
        DEVELOPMENT
    }

    public Setting {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(defaultText, "defaultText");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(meaning, "meaning");
        readBy = Collections.unmodifiableSet(readBy.isEmpty() ? EnumSet.noneOf(Component.class) : EnumSet.copyOf(readBy));
    }

    /** A setting with a fixed default, documented as that value. */
    static Setting of(String env, String property, String defaultValue, Set<Component> readBy, Scope scope, String meaning) {
        return new Setting(env, property, defaultValue, defaultValue, readBy, scope, meaning);
    }

    /** A setting whose default is worked out at run time (or absent), documented as {@code defaultText}. */
    static Setting computed(String env, String property, String defaultText, Set<Component> readBy, Scope scope, String meaning) {
        return new Setting(env, property, null, defaultText, readBy, scope, meaning);
    }

    /** The environment variable a property is read from: upper case, '.' and '-' as '_'. */
    public static String envOf(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
