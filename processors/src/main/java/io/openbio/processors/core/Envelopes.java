package io.openbio.processors.core;

import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import java.util.Optional;

/** Reading request envelopes. */
public final class Envelopes {
    private Envelopes() {
    }

    /** The bytes of the request's part named {@code name} (opened: the gateway seals parts), if it has one. */
    public static Optional<byte[]> part(RequestEnvelope request, String name) {
        for (Part part : request.getParts()) {
            if (name.equals(part.getName())) {
                return Optional.of(Sealing.openPart(request, part.getData()));
            }
        }
        return Optional.empty();
    }
}
