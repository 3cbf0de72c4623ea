package io.openbio.processors.ekyc;

import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.KeyResolver;
import io.openbio.events.RequestEnvelope;
import io.openbio.processors.core.Envelopes;
import io.openbio.schemas.ekyc.CheckModel;

/**
 * A {@code /check} request opened: its checkModel parsed and its {@code face} and {@code doc} parts
 * read (capture bundles decrypted and verified when {@code encrypted=true}). Both prepare stages
 * (the selfie half, {@link EkycPrepareProcessor}, and the document half,
 * {@link EkycPrepareDocProcessor}) open each request with this, so they agree on which requests
 * are invalid: the selfie stage answers those with a 400, the document stage drops them.
 */
record CheckInputs(CheckModel model, boolean encrypted, Opened face, Opened doc) {

    /** An image part opened: its bytes, and the bundle when it came encrypted; null when the part is absent. */
    record Opened(byte[] image, CaptureBundle bundle, String kid) {
    }

    /** Why a request cannot be checked at all; its message is the API's 400 message. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static CheckInputs open(RequestEnvelope request, KeyResolver keys) throws Invalid {
        CheckModel model;
        try {
            model = CheckModel.parse(request.getAttributes().getOrDefault("checkModel", ""));
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
        boolean encrypted = !"false".equalsIgnoreCase(request.getAttributes().getOrDefault("encrypted", "true"));
        try {
            return new CheckInputs(model, encrypted, part(request, "face", encrypted, keys), part(request, "doc", encrypted, keys));
        } catch (BundleException e) {
            throw new Invalid(e.apiMessage());
        }
    }

    private static Opened part(RequestEnvelope request, String name, boolean encrypted, KeyResolver keys) throws BundleException {
        byte[] bytes = Envelopes.part(request, name).orElse(null);
        if (bytes == null) {
            return null;
        }
        if (!encrypted) {
            return new Opened(bytes, null, null);
        }
        String kid = BundleReader.header(bytes).kid();
        CaptureBundle bundle = BundleReader.read(bytes, keys);
        return new Opened(bundle.frames().get(0).image(), bundle, kid);
    }
}
