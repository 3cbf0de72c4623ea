package io.openbio.launcher.fault;

import io.openbio.schemas.contract.BioServerContract;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.ChallengeContract;
import io.openbio.schemas.contract.ClientsContract;
import io.openbio.schemas.contract.DiagnosticContract;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.contract.PlatformContract;
import io.openbio.schemas.contract.Route;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two loads of the sizing measurement ({@code bench/stage-throughput.sh [rate] [seconds] [mix]}):
 * which families each sends, and so which stages it starts. A family's stages are those of the routes
 * its requests take (the pipeline contract's {@link Route}s) and of the stages off any route it passes
 * (callback delivery, the Kafka-client stage), so that every stage of the pipeline has a row in one of
 * the two (a test checks that).
 */
enum SizingMix {
    /** The fault runner's mixed load: IDLive diagnostic (with a callback), IAD, eKYC check with search, enrolment. */
    EKYC("ekyc", List.of("diagnostic", "iad", "ekyc-check", "ekyc-enrol")),
    /** One family per product not in {@link #EKYC}: LCP verify and its audit queries, BioServer, DIS faces and customers, challenges, Kafka clients. */
    PRODUCTS("products", List.of("lcp-verify", "lcp-audit", "bioserver", "dis-faces", "dis-customers", "challenge", "kafka-clients"));

    /** The routes each family's requests take. */
    static final Map<String, List<Route>> ROUTES = routes();
    /** The stages on no route that a family's requests pass through. */
    static final Map<String, List<String>> OFF_ROUTE = Map.of(
            "diagnostic", List.of(PlatformContract.CALLBACK.name()),
            // a topic-submitted iad.check_capture_liveness: kafka-clients -> the capture route -> kafka-clients
            "kafka-clients", List.of(ClientsContract.STAGE.name()));

    final String label;
    final List<String> families;

    SizingMix(String label, List<String> families) {
        this.label = label;
        this.families = families;
    }

    private static Map<String, List<Route>> routes() {
        Map<String, List<Route>> routes = new LinkedHashMap<>();
        routes.put("diagnostic", List.of(DiagnosticContract.ROUTE));
        routes.put("iad", List.of(CaptureContract.ROUTE));
        routes.put("ekyc-check", List.of(EkycContract.CHECK_ROUTE));
        routes.put("ekyc-enrol", List.of(EkycContract.TEMPLATE_ROUTE));
        // image style (a plain JPEG): lcp-verify answers it; the nonce stage of its route sees only bundles
        routes.put("lcp-verify", List.of(LcpContract.ROUTE));
        routes.put("lcp-audit", List.of(LcpContract.AUDIT_ROUTE));
        routes.put("bioserver", List.of(BioServerContract.ROUTE));
        routes.put("dis-faces", List.of(DisContract.FACES_ROUTE));
        routes.put("dis-customers", List.of(DisContract.CUSTOMERS_ROUTE));
        routes.put("challenge", List.of(ChallengeContract.ROUTE));
        routes.put("kafka-clients", List.of(CaptureContract.ROUTE));
        return Map.copyOf(routes);
    }

    static SizingMix of(String label) {
        for (SizingMix mix : values()) {
            if (mix.label.equals(label)) {
                return mix;
            }
        }
        throw new IllegalArgumentException("mix: ekyc | products, not " + label);
    }

    /** The stages this mix's requests pass through: its families' routes' stages in order, then those off any route. */
    List<String> stages() {
        Set<String> stages = new LinkedHashSet<>();
        for (String family : families) {
            for (Route route : ROUTES.get(family)) {
                stages.addAll(route.stageNames());
            }
        }
        for (String family : families) {
            stages.addAll(OFF_ROUTE.getOrDefault(family, List.of()));
        }
        return List.copyOf(stages);
    }
}
