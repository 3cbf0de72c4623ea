package io.openbio.schemas.contract;

import io.openbio.schemas.Topics;
import java.util.List;

/**
 * Capture bundles: the IAD Server API (seed 000) and the bundle operations of the IDLive API. A
 * bundle is decrypted, its nonce checked (single use), then its face found and its liveness scored
 * in one stage.
 */
public final class CaptureContract {
    public static final String FAMILY = "capture";

    /** IAD {@code POST /check_capture_liveness}. */
    public static final String CHECK_CAPTURE_LIVENESS = "iad.check_capture_liveness";
    /** IAD {@code POST /extract_image}: answered by the decrypt stage. */
    public static final String EXTRACT_IMAGE = "iad.extract_image";

    public static final Stage DECRYPT = Stage.named("decrypt").family(FAMILY)
            .does("decrypts capture bundles (IAD captures and challenge captures) with the server's private keys (keyed by nonce on the way out); extract_image and unreadable bundles end here")
            .reads(Topics.CAPTURE_REQUESTS, Topics.CHALLENGE_REQUESTS).writes(Topics.CAPTURE_DECRYPTED, Topics.RESULTS, Topics.AUDIT)
            .deployment(Deployment.SMALL.withBundleKeys().withResources("250m", "512Mi", "1", "1Gi"))
            .implementedBy("io.openbio.processors.capture.DecryptProcessor");

    public static final Stage NONCE = Stage.named("nonce").family(FAMILY)
            .does("checks each bundle's nonce against the issued ones (single use, tenant, expiry) in a co-partitioned state store; challenge captures go on with their nonce's challenge to challenge-verify, Liveness Check Proxy captures back to lcp-verify, DIS liveness records back to dis-customers")
            .reads(Topics.CAPTURE_DECRYPTED).tables(Topics.CAPTURE_NONCES)
            .writes(Topics.CAPTURE_NONCE_CHECKED, Topics.EKYC_PARTS, Topics.CHALLENGE_CAPTURES, Topics.LCP_CAPTURES, Topics.DIS_CAPTURES)
            .deployment(Deployment.SMALL.withResources("250m", "512Mi", "1", "1Gi").withState("2Gi"))
            .implementedBy("io.openbio.processors.capture.NonceProcessor");

    public static final Stage LIVENESS = Stage.named("liveness").family(FAMILY)
            .does("finds the one face of the capture (FACE_NOT_FOUND / MULTIPLE_FACES end here), then passive liveness and the capture verdict from every signal")
            .reads(Topics.CAPTURE_NONCE_CHECKED).writes(Topics.RESULTS, Topics.AUDIT)
            .deployment(Deployment.MODEL)
            .implementedBy("io.openbio.processors.capture.LivenessProcessor");

    /** check_capture_liveness, extract_image and the IDLive {@code /decrypt}. */
    public static final Route ROUTE = new Route(FAMILY, Topics.CAPTURE_REQUESTS, List.of(DECRYPT, NONCE, LIVENESS));

    public static final Product PRODUCT = new Product(FAMILY, List.of(DECRYPT, NONCE, LIVENESS), List.of(ROUTE),
            List.of(Topics.CAPTURE_REQUESTS, Topics.CAPTURE_DECRYPTED, Topics.CAPTURE_NONCES, Topics.CAPTURE_NONCE_CHECKED));

    private CaptureContract() {
    }
}
