package io.openbio.schemas.kafka;

import io.openbio.schemas.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How this process's Kafka clients prove who they are: SCRAM-SHA-512 over TLS ({@code SASL_SSL}, the
 * default), one principal per stage ({@link KafkaAccess#stagePrincipal}), one for the gateway and
 * {@code admin} for the set-up; or {@code PLAINTEXT} for an unsecured broker of one's own.
 *
 * <p>A principal's password is the content of the file named after it in
 * {@code OPENBIO_KAFKA_CREDENTIALS_DIR}. A process hosting several stages (the local run's single
 * processor JVM, the wired tests) reads one file per stage, so each stage's Kafka Streams clients
 * still authenticate as that stage and the broker's ACLs confine each to its own topics. A k8s pod
 * gets only its own stage's file.
 *
 * @param protocol       {@code SASL_SSL} or {@code PLAINTEXT}
 * @param credentialsDir the folder of password files (null: none, e.g. PLAINTEXT)
 * @param truststore     PEM file of the CA that signed the broker's certificate (null: the JVM's CAs)
 * @param user           the principal of this process's own clients (admin, producers, consumers);
 *                       Kafka Streams clients use their stage's principal instead
 */
public record KafkaSecurity(String protocol, Path credentialsDir, Path truststore, String user) {
    public static final String SASL_SSL = "SASL_SSL";
    public static final String PLAINTEXT = "PLAINTEXT";
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** No authentication, no encryption: only for a broker of one's own without security. */
    public static final KafkaSecurity NONE = new KafkaSecurity(PLAINTEXT, null, null, null);

    public KafkaSecurity {
        protocol = protocol.toUpperCase(Locale.ROOT);
        if (!protocol.equals(SASL_SSL) && !protocol.equals(PLAINTEXT)) {
            throw new IllegalArgumentException("OPENBIO_KAFKA_SECURITY_PROTOCOL must be SASL_SSL or PLAINTEXT, not " + protocol);
        }
    }

    /** {@code OPENBIO_KAFKA_SECURITY_PROTOCOL}, {@code OPENBIO_KAFKA_CREDENTIALS_DIR}, {@code OPENBIO_KAFKA_TRUSTSTORE}; no user yet. */
    public static KafkaSecurity fromEnvironment() {
        String dir = KafkaSettings.setting(Settings.KAFKA_CREDENTIALS_DIR);
        String truststore = KafkaSettings.setting(Settings.KAFKA_TRUSTSTORE);
        return new KafkaSecurity(KafkaSettings.setting(Settings.KAFKA_SECURITY_PROTOCOL),
                dir == null ? null : Path.of(dir), truststore == null ? null : Path.of(truststore), null);
    }

    /** Local SASL_SSL: passwords in {@code credentialsDir}, the CA in {@code truststore}. */
    public static KafkaSecurity sasl(Path credentialsDir, Path truststore, String user) {
        return new KafkaSecurity(SASL_SSL, credentialsDir, truststore, user);
    }

    public boolean secured() {
        return protocol.equals(SASL_SSL);
    }

    /** The same, for clients acting as {@code principal}. */
    public KafkaSecurity asUser(String principal) {
        return new KafkaSecurity(protocol, credentialsDir, truststore, principal);
    }

    /** The password of {@code principal}: the content of its file in the credentials folder. */
    public String password(String principal) {
        if (credentialsDir == null) {
            throw new IllegalStateException("OPENBIO_KAFKA_CREDENTIALS_DIR is not set: no password for Kafka principal " + principal);
        }
        Path file = credentialsDir.resolve(principal);
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (password.isEmpty()) {
                throw new IllegalStateException(file + " is empty: no password for Kafka principal " + principal);
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("no password for Kafka principal " + principal + " (" + file + ")", e);
        }
    }

    /** The security settings of a client acting as {@link #user()}. */
    public Map<String, Object> clientConfig() {
        return clientConfig(user);
    }

    /** The security settings of a client acting as {@code principal} (nothing but the protocol for PLAINTEXT). */
    public Map<String, Object> clientConfig(String principal) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (!secured()) {
            return config;
        }
        Objects.requireNonNull(principal, "a SASL_SSL client needs a principal (KafkaSettings.asUser)");
        config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(principal, password(principal)));
        if (truststore != null) {
            config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toAbsolutePath().toString());
        }
        return config;
    }

    /** The JAAS line of a SCRAM login (quotes and backslashes escaped). */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + escape(user)
                + "\" password=\"" + escape(password) + "\";";
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Never prints a password (there is none in here: only where they are). */
    @Override
    public String toString() {
        return "KafkaSecurity[" + protocol + (secured() ? ", user=" + user + ", credentials=" + credentialsDir
                + ", truststore=" + truststore : "") + "]";
    }
}
