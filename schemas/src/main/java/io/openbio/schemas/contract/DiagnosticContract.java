package io.openbio.schemas.contract;

import io.openbio.schemas.Topics;
import java.util.List;

/** The diagnostic round trip ({@code POST /diagnostic/digest}): two small stages that prove the pipeline. */
public final class DiagnosticContract {
    public static final String FAMILY = "diagnostic";

    /** {@code POST /diagnostic/digest}. */
    public static final String DIGEST_OPERATION = "diagnostic.digest";

    public static final Stage DIGEST = Stage.named("digest").family(FAMILY)
            .does("hashes each diagnostic request (SHA-256)")
            .reads(Topics.DIAGNOSTIC_REQUESTS).writes(Topics.DIAGNOSTIC_DIGESTED, Topics.RESULTS, Topics.AUDIT)
            .implementedBy("io.openbio.processors.diagnostic.DigestProcessor");

    public static final Stage IMAGE_INFO = Stage.named("image-info").family(FAMILY)
            .does("adds size, image format and pixel size, and answers the request")
            .reads(Topics.DIAGNOSTIC_DIGESTED).writes(Topics.RESULTS, Topics.AUDIT)
            .deployment(Deployment.SMALL.withResources("250m", "384Mi", "1", "768Mi"))
            .implementedBy("io.openbio.processors.diagnostic.ImageInfoProcessor");

    public static final Route ROUTE = new Route(FAMILY, Topics.DIAGNOSTIC_REQUESTS, List.of(DIGEST, IMAGE_INFO));

    public static final Product PRODUCT = new Product(FAMILY, List.of(DIGEST, IMAGE_INFO), List.of(ROUTE),
            List.of(Topics.DIAGNOSTIC_REQUESTS, Topics.DIAGNOSTIC_DIGESTED));

    private DiagnosticContract() {
    }
}
