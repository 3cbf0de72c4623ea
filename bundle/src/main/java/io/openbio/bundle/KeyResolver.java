package io.openbio.bundle;

import java.security.PrivateKey;
import java.util.Optional;

/** Finds the server's private key for a key id; empty when the id is unknown. */
@FunctionalInterface
public interface KeyResolver {
    Optional<PrivateKey> privateKey(String kid);
}
