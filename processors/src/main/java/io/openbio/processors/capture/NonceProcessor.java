package io.openbio.processors.capture;

import io.openbio.bundle.CaptureRules;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.EkycPart;
import io.openbio.events.NonceIssued;
import io.openbio.events.NonceState;
import io.openbio.events.Signal;
import io.openbio.events.StageTrace;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.ChallengeContract;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Capture stage 2: replay protection. Issued nonces ({@link Topics#CAPTURE_NONCES}) and decrypted
 * captures ({@link Topics#CAPTURE_DECRYPTED}) are both keyed by nonce and co-partitioned, so one
 * task sees every use of a nonce, and its state store (changelogged in Kafka, exactly-once) says
 * whether the nonce was issued, to which tenant, until when, and whether a bundle already used it.
 *
 * <p>IDLive {@code /check} selfies that came as capture bundles are checked the same way (same
 * nonces, same single use); their verdict goes to the eKYC assembler as a NONCE part.
 *
 * <p>Active-liveness challenge captures ({@link ChallengeContract#VERIFY_OPERATION}) go on to the
 * challenge-verify stage ({@link Topics#CHALLENGE_CAPTURES}) with the challenge their nonce was issued
 * with ({@code null} for a nonce issued without one, which that stage refuses), never to face
 * detection; a challenge nonce used on {@code /check_capture_liveness} is checked as any nonce (its
 * single use spent) and goes on to face detection as today.
 *
 * <p>Liveness Check Proxy verifies whose image is a capture bundle ({@code lcp.verify}) go back to the
 * lcp-verify stage ({@link Topics#LCP_CAPTURES}), which decided everything else before and now adds
 * this verdict.
 *
 * <p>Digital Identity Service liveness records ({@link DisContract#LIVENESS_RECORD_ADD}) go back to the
 * dis-customers stage ({@link Topics#DIS_CAPTURES}), keyed by their customer key again, which evaluates and
 * keeps the record with this verdict.
 *
 * <p>The verdict is the {@code nonce} signal: passed only for a nonce this platform issued to the
 * request's tenant, used for the first time, before it expired. A failed verdict is an injection
 * signal for the liveness stage, never an error. Nonce records are dropped a day after expiry.
 */
public final class NonceProcessor implements StreamProcessor {
    public static final String NAME = CaptureContract.NONCE.name();
    public static final String STORE = "capture-nonces";
    static final long PURGE_AFTER_EXPIRY_MS = CaptureRules.NONCE_RETENTION_AFTER_EXPIRY_MS;

    /** The operation of IDLive /check requests, whose selfie bundles are checked here too. */
    public static final String EKYC_CHECK = EkycContract.CHECK;

    @Override
    public Stage stage() {
        return CaptureContract.NONCE;
    }

    /** The operation of active-liveness challenge captures, which go to the challenge-verify stage. */
    public static final String CHALLENGE_VERIFY = ChallengeContract.VERIFY_OPERATION;

    /** The operation of Liveness Check Proxy verifies whose image is a capture bundle: back to the lcp-verify stage. */
    public static final String LCP_VERIFY = io.openbio.schemas.contract.LcpContract.VERIFY_OPERATION;

    /**
     * The operation of DIS liveness records ({@code POST /customers/{id}/liveness/records}): back to the
     * dis-customers stage, which decided nothing yet, keyed by the customer key.
     */
    public static final String DIS_RECORD = DisContract.LIVENESS_RECORD_ADD;

    /** The key of a DIS record's customer: {@link DisContract#customerKey} of its request, as the gateway keyed it. */
    static String disCustomerKey(CaptureAnalysis capture) {
        java.util.Map<String, String> a = capture.getEnvelope().getAttributes();
        return DisContract.customerKey(a.get(DisContract.CUSTOMER_ID), a.get(DisContract.SESSION_ID));
    }

    /** The nonce verdict of an IDLive /check selfie, as a NONCE part for the assembler. */
    static EkycPart verdict(CaptureAnalysis capture) {
        Signal nonce = capture.getSignals().stream().filter(s -> "nonce".equals(s.getName())).findFirst()
                .orElse(new Signal("nonce", false, "no verdict", null));
        String json = "{\"passed\":" + nonce.getPassed() + "}";
        return EkycPart.newBuilder().setRequestId(capture.getEnvelope().getRequestId()).setKind("NONCE").setJson(json).build();
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Serdes.String(), serdes.valueSerde(NonceState.class)));

        TopicSpec<NonceIssued> issued = Topics.CAPTURE_NONCES;
        builder.stream(issued.name(), issued.consumed(serdes).withName("nonces-issued"))
                .process(Registrar::new, STORE);

        TopicSpec<CaptureAnalysis> in = Topics.CAPTURE_DECRYPTED;
        TopicSpec<CaptureAnalysis> out = Topics.CAPTURE_NONCE_CHECKED;
        KStream<String, CaptureAnalysis> checked = builder
                .stream(in.name(), in.consumed(serdes).withName("captures-by-nonce"))
                .process(Checker::new, STORE);
        // IAD captures go on to face detection; an IDLive /check selfie only needs the verdict, which
        // goes to the eKYC assembler.
        checked.filter((k, c) -> !EKYC_CHECK.equals(c.getEnvelope().getOperation())
                        && !CHALLENGE_VERIFY.equals(c.getEnvelope().getOperation())
                        && !LCP_VERIFY.equals(c.getEnvelope().getOperation())
                        && !DIS_RECORD.equals(c.getEnvelope().getOperation()))
                .to(out.name(), out.produced(serdes));
        // a DIS liveness record goes back to the task holding its customer (the gateway's key for the request)
        checked.filter((k, c) -> DIS_RECORD.equals(c.getEnvelope().getOperation()))
                .map((k, c) -> KeyValue.pair(disCustomerKey(c), c))
                .to(Topics.DIS_CAPTURES.name(), Topics.DIS_CAPTURES.produced(serdes));
        checked.filter((k, c) -> LCP_VERIFY.equals(c.getEnvelope().getOperation()))
                .to(Topics.LCP_CAPTURES.name(), Topics.LCP_CAPTURES.produced(serdes));
        checked.filter((k, c) -> CHALLENGE_VERIFY.equals(c.getEnvelope().getOperation()))
                .to(Topics.CHALLENGE_CAPTURES.name(), Topics.CHALLENGE_CAPTURES.produced(serdes));
        checked.filter((k, c) -> EKYC_CHECK.equals(c.getEnvelope().getOperation()))
                .mapValues(NonceProcessor::verdict)
                .to(Topics.EKYC_PARTS.name(), Topics.EKYC_PARTS.produced(serdes));
        return builder.build();
    }

    /** Records issued nonces (an already-used nonce is never reset by a duplicate issue record). */
    static final class Registrar implements Processor<String, NonceIssued, Void, Void> {
        private KeyValueStore<String, NonceState> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
            context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::purge);
        }

        @Override
        public void process(Record<String, NonceIssued> record) {
            NonceIssued nonce = record.value();
            if (nonce == null || record.key() == null || store.get(record.key()) != null) {
                return;
            }
            store.put(record.key(), NonceState.newBuilder().setNonce(nonce.getNonce()).setTenant(nonce.getTenant())
                    .setIssuedAt(nonce.getIssuedAt().toEpochMilli()).setExpiresAt(nonce.getExpiresAt().toEpochMilli())
                    .setUsedAt(null).setUsedBy(null).setChallenge(nonce.getChallenge()).build());
        }

        private void purge(long now) {
            List<String> expired = new ArrayList<>();
            try (KeyValueIterator<String, NonceState> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, NonceState> entry = all.next();
                    if (entry.value.getExpiresAt() + PURGE_AFTER_EXPIRY_MS < now) {
                        expired.add(entry.key);
                    }
                }
            }
            expired.forEach(store::delete);
        }
    }

    /** Gives each capture its nonce verdict and marks the nonce used; re-keys by request id. */
    static final class Checker implements Processor<String, CaptureAnalysis, String, CaptureAnalysis> {
        private KeyValueStore<String, NonceState> store;
        private ProcessorContext<String, CaptureAnalysis> context;

        @Override
        public void init(ProcessorContext<String, CaptureAnalysis> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, CaptureAnalysis> record) {
            CaptureAnalysis capture = record.value();
            if (capture == null) {
                return;
            }
            String nonce = capture.getNonce();
            String requestId = capture.getEnvelope().getRequestId();
            long received = capture.getReceivedAt().toEpochMilli();
            NonceState state = nonce == null || nonce.isEmpty() ? null : store.get(nonce);
            Signal verdict;
            Long issuedAt = null;
            Long expiresAt = null;
            io.openbio.events.ChallengeSpec challenge = null;
            if (state == null) {
                verdict = new Signal("nonce", false, "nonce was never issued by this server", null);
            } else {
                issuedAt = state.getIssuedAt();
                expiresAt = state.getExpiresAt();
                // only a challenge capture of the nonce's own tenant takes the challenge on (the IAD
                // route never needs it)
                if (CHALLENGE_VERIFY.equals(capture.getEnvelope().getOperation())
                        && state.getTenant().equals(capture.getEnvelope().getTenant())) {
                    challenge = state.getChallenge();
                }
                if (!state.getTenant().equals(capture.getEnvelope().getTenant())) {
                    verdict = new Signal("nonce", false, "nonce was issued to another tenant", null);
                } else if (state.getUsedAt() != null) {
                    verdict = new Signal("nonce", false, "nonce already used by an earlier bundle (replay)", null);
                } else if (received > state.getExpiresAt()) {
                    verdict = new Signal("nonce", false, "nonce expired before the bundle arrived", null);
                } else {
                    verdict = new Signal("nonce", true, "fresh nonce, first use", null);
                }
                if (state.getUsedAt() == null) {
                    state.setUsedAt(received);
                    state.setUsedBy(requestId);
                    store.put(nonce, state);
                }
            }
            List<Signal> signals = new ArrayList<>(capture.getSignals());
            signals.add(verdict);
            List<StageTrace> trace = new ArrayList<>(capture.getTrace());
            trace.add(Results.trace(NAME));
            CaptureAnalysis checked = CaptureAnalysis.newBuilder(capture)
                    .setNonceIssuedAt(issuedAt)
                    .setNonceExpiresAt(expiresAt)
                    .setChallenge(challenge)
                    .setSignals(signals)
                    .setTrace(trace)
                    .build();
            context.forward(record.withKey(requestId).withValue(checked));
        }
    }
}
