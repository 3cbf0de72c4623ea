package io.openbio.processors.lcp;

import io.openbio.events.LcpReference;
import io.openbio.processors.core.Sealing;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The built-in user store: {@code openbio.lcp.references} as this stage's global store (every instance
 * holds every user). A user is known while it has a record; its image and template are sealed under
 * the record's key ({@code <tenant>/<userId>}) and opened here for one request.
 */
public final class StoredReferences implements References {
    public static final String SOURCE = "store";
    private final ReadOnlyKeyValueStore<String, LcpReference> store;

    public StoredReferences(ReadOnlyKeyValueStore<String, LcpReference> store) {
        this.store = store;
    }

    /** The record of the user, or null. */
    public LcpReference record(String tenant, String userId) {
        return store.get(LcpContract.userKey(tenant, userId));
    }

    @Override
    public Reference resolve(String tenant, String userId) {
        LcpReference record = record(tenant, userId);
        if (record == null) {
            throw LcpFailure.userDetailsMissing();
        }
        String key = LcpContract.userKey(tenant, userId);
        byte[] image = record.getImage() == null ? null
                : PayloadKeys.shared().open(tenant, Purpose.IMAGE, key, Sealing.bytes(record.getImage()));
        String template = record.getTemplate() == null ? null
                : PayloadKeys.shared().openText(tenant, Purpose.TEMPLATE, key, record.getTemplate());
        return new Reference(userId, image, template, SOURCE);
    }
}
