package io.openbio.schemas.registry;

import io.apicurio.registry.serde.SerdeConfig;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP basic credentials the platform's clients send to the schema registry: the registry built
 * by the {@code registry} module answers writes (POST / PUT / PATCH / DELETE) and its admin API only
 * with them (role {@code platform}), while schema reads stay open. Absent
 * ({@code OPENBIO_REGISTRY_PASSWORD} unset, e.g. a registry of the user's own without
 * authentication), clients send none.
 */
public record RegistryCredentials(String user, String password) {
    /** No credentials: requests go out anonymous. */
    public static final RegistryCredentials NONE = new RegistryCredentials(null, null);

    public RegistryCredentials {
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("registry user and password go together");
        }
    }

    public static RegistryCredentials of(String user, String password) {
        return new RegistryCredentials(Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
    }

    /**
     * {@code OPENBIO_REGISTRY_USER} (default {@code openbio}) and {@code OPENBIO_REGISTRY_PASSWORD}
     * (system property, else environment variable); {@link #NONE} when no password is set.
     */
    public static RegistryCredentials fromEnvironment() {
        String password = KafkaSettings.setting(Settings.REGISTRY_PASSWORD);
        return password == null ? NONE : of(KafkaSettings.setting(Settings.REGISTRY_USER), password);
    }

    public boolean present() {
        return password != null;
    }

    /** Adds the {@code Authorization: Basic} header where there are credentials. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        if (present()) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        return request;
    }

    /** Adds the Apicurio serdes' basic-auth settings ({@code apicurio.auth.username/password}) where there are credentials. */
    public void addTo(Map<String, Object> serdeConfig) {
        if (present()) {
            serdeConfig.put(SerdeConfig.AUTH_USERNAME, user);
            serdeConfig.put(SerdeConfig.AUTH_PASSWORD, password);
        }
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return present() ? "RegistryCredentials[user=" + user + "]" : "RegistryCredentials[none]";
    }
}
