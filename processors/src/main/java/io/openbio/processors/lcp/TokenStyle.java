package io.openbio.processors.lcp;

import io.openbio.events.ChallengeOutcome;
import io.openbio.events.ChallengeSpec;
import io.openbio.events.LcpAuditEvent;
import io.openbio.events.LcpSession;
import io.openbio.events.NonceIssued;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.challenge.Challenge;
import io.openbio.inference.challenge.ChallengeAction;
import io.openbio.inference.challenge.ChallengeGenerator;
import io.openbio.inference.challenge.ChallengeKinds;
import io.openbio.inference.embed.MatchScores;
import io.openbio.inference.embed.Template;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.core.Sealing;
import io.openbio.processors.lcp.LcpVerifyProcessor.State;
import io.openbio.processors.lcp.LcpVerifyProcessor.Step;
import io.openbio.schemas.contract.ChallengeContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The Liveness Check Proxy's token style (the seed's iProov-like provider), in the lcp-verify stage.
 *
 * <ul>
 * <li><b>init</b> (after the user's reference resolved as for the image style): a verification token, 32
 * lowercase hex characters (128 bits of SecureRandom), that IS a capture nonce issued with an
 * active-liveness challenge: {@link NonceIssued} on {@code openbio.capture.nonces} (as {@code POST
 * /challenge} issues one) and an {@link LcpSession} (ISSUED) on {@code openbio.lcp.sessions}.</li>
 * <li><b>challenge</b> ({@code GET /liveness/challenge/{token}}): the challenge, in the shape of {@code POST
 * /challenge}'s answer, while the token is usable (known, not expired, not used, no capture outcome yet);
 * else 404.</li>
 * <li><b>capture</b> ({@code POST /liveness/capture/{token}}): the same checks, then the request goes on to
 * the challenge route ({@code openbio.challenge.requests}: decrypt, nonce, challenge-verify) under the
 * session's tenant with its request id, so challenge-verify answers the waiting HTTP request and writes
 * the outcome keyed by the token; the session becomes CAPTURED.</li>
 * <li><b>verify</b> (a token in {@code livenessRecord.reference}, no image): the session must be the
 * caller's tenant's and the user's and not USED; the challenge outcome must exist (else
 * VERIFICATION_ERROR, the token stays usable); PASS and the best frame's passive score and its embedding's
 * match against the user's reference template decide ({@link LcpDecision#decideChallenge}); the session
 * becomes USED in the same step (store and topic), so a second verify is VERIFICATION_ERROR.</li>
 * </ul>
 *
 * <p>Sessions and outcomes are keyed by token on topics with the same partitions as the token-keyed
 * requests, and read back into this task's stores by {@link SessionRegistrar} and {@link #outcomes()}.
 */
final class TokenStyle {
    static final String ISSUED = "ISSUED";
    static final String CAPTURED = "CAPTURED";
    static final String USED = "USED";
    static final String PASS = "PASS";
    /** How long a session or outcome stays in the stores after its expiry / completion. */
    static final long KEEP_MS = Duration.ofDays(1).toMillis();
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LcpSettings settings;
    private final Supplier<FaceAnalyzer> analyzer;

    TokenStyle(LcpSettings settings, Supplier<FaceAnalyzer> analyzer) {
        this.settings = settings;
        this.analyzer = analyzer;
    }

    /** A new token: 128 random bits as 32 lowercase hex characters (the seed's example's form). */
    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether {@code text} has the form of a token. */
    static boolean isToken(String text) {
        return text != null && TOKEN.matcher(text).matches();
    }

    // ------------------------------------------------------------------ init

    Step init(RequestEnvelope request, String userId, References.Reference reference, List<StageTrace> trace,
              List<KeyValue<String, LcpAuditEvent>> audits) {
        String token = newToken();
        int k = settings.challengeActions();
        Set<ChallengeAction> allowed = settings.challengeAllowed();
        Challenge challenge = ChallengeGenerator.issue(token, k, allowed, System.currentTimeMillis(), settings.tokenTtl().toMillis());
        ChallengeSpec spec = new ChallengeSpec(ByteBuffer.wrap(challenge.seed()), k, allowed.stream().map(Enum::name).toList(),
                challenge.actions().stream().map(Enum::name).toList(), null);
        Instant issuedAt = Instant.ofEpochMilli(challenge.issuedAt());
        Instant expiresAt = Instant.ofEpochMilli(challenge.expiresAt());
        NonceIssued nonce = new NonceIssued(token, request.getTenant(), issuedAt, expiresAt, spec);
        LcpSession session = LcpSession.newBuilder().setToken(token).setTenant(request.getTenant()).setUserId(userId)
                .setChallenge(spec).setIssuedAt(issuedAt).setExpiresAt(expiresAt).setState(ISSUED)
                .setUpdatedAt(issuedAt).setRequestId(request.getRequestId()).build();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("initiationType", LcpSettings.TOKEN);
        body.put("reference", token);
        Map<String, String> summary = Map.of("initiationType", LcpSettings.TOKEN, "referenceSource", reference.source(),
                "challengeActions", Integer.toString(k), "expiresAt", expiresAt.toString());
        return new Step(LcpVerifyProcessor.answer(request, trace, 200, body, summary, List.of()), audits, null, null, null,
                nonce, session, null);
    }

    // ------------------------------------------------------------------ the device's two calls

    /** The session of the request's token while a capture can still be made for it; else 404 ERROR_NOT_FOUND. */
    private static LcpSession usable(RequestEnvelope request, State state) {
        String token = request.getAttributes().get(LcpVerifyProcessor.TOKEN);
        LcpSession session = isToken(token) ? state.sessions().get(token) : null;
        if (session == null || USED.equals(session.getState()) || session.getExpiresAt().toEpochMilli() <= System.currentTimeMillis()
                || state.outcomes().get(token) != null) {
            throw LcpFailure.notFound("Unknown, expired or used verification token.");
        }
        return session;
    }

    Step challenge(RequestEnvelope request, State state, List<StageTrace> trace) {
        LcpSession session = usable(request, state);
        ChallengeSpec spec = session.getChallenge();
        Challenge challenge = new Challenge(session.getToken(), Sealing.bytes(spec.getSeed()),
                spec.getActions().stream().map(ChallengeAction::valueOf).toList(),
                session.getIssuedAt().toEpochMilli(), session.getExpiresAt().toEpochMilli());
        return Step.answer(LcpVerifyProcessor.answer(request, trace, 200, ChallengeKinds.answer(challenge),
                Map.of("tokenState", session.getState()), List.of()), List.of());
    }

    Step capture(RequestEnvelope request, State state, List<StageTrace> trace) {
        LcpSession session = usable(request, state);
        byte[] bundle = Envelopes.part(request, LcpVerifyProcessor.BUNDLE_PART).orElse(null);
        if (bundle == null || bundle.length == 0) {
            throw LcpFailure.request("Invalid request parameters: the capture bundle is missing.");
        }
        // on to the challenge route as the session's tenant (the device sends no key): the part is sealed again for it
        String tenant = session.getTenant();
        Part part = new Part(LcpVerifyProcessor.BUNDLE_PART, "application/octet-stream",
                ByteBuffer.wrap(PayloadKeys.shared().seal(tenant, Purpose.PART, request.getRequestId(), bundle)));
        RequestEnvelope forward = RequestEnvelope.newBuilder(request).setTenant(tenant)
                .setOperation(ChallengeContract.VERIFY_OPERATION).setParts(List.of(part)).build();
        LcpSession captured = ISSUED.equals(session.getState()) ? moved(session, CAPTURED, request) : null;
        if (captured != null) {
            state.sessions().put(captured.getToken(), captured);
        }
        return new Step(null, List.of(), null, null, null, null, captured, forward);
    }

    private static LcpSession moved(LcpSession session, String to, RequestEnvelope request) {
        return LcpSession.newBuilder(session).setState(to).setUpdatedAt(Instant.now()).setRequestId(request.getRequestId()).build();
    }

    // ------------------------------------------------------------------ verify

    Step verify(RequestEnvelope request, String userId, String token, References references, State state, List<StageTrace> trace,
                List<KeyValue<String, LcpAuditEvent>> audits) {
        LcpSession session = isToken(token) ? state.sessions().get(token) : null;
        if (session == null || !session.getTenant().equals(request.getTenant()) || !session.getUserId().equals(userId)
                || USED.equals(session.getState())) {
            throw LcpFailure.verification();
        }
        References.Reference reference = references.resolve(request.getTenant(), userId);
        if (!reference.hasImage()) {
            throw LcpFailure.verification();
        }
        ChallengeOutcome outcome = state.outcomes().get(token);
        if (outcome == null || !outcome.getTenant().equals(session.getTenant())) {
            // the capture is not done (or its outcome has not arrived yet): the token stays usable
            throw LcpFailure.verification();
        }
        Template template = References.template(analyzer.get(), reference);
        MatchScores match = null;
        byte[] best = null;
        if (PASS.equals(outcome.getVerdict())) {
            String model = template.modelId() + ":" + template.modelVersion();
            if (outcome.getBestEmbedding() == null || !model.equals(outcome.getModelId())) {
                // another model made the capture's embedding: not comparable here
                throw LcpFailure.verification();
            }
            float[] vector = PayloadKeys.shared().openVector(session.getTenant(), token, Sealing.bytes(outcome.getBestEmbedding()));
            match = analyzer.get().compare(new Template(template.modelId(), template.modelVersion(), vector), template);
            if (outcome.getBestFrame() != null) {
                best = PayloadKeys.shared().open(session.getTenant(), Purpose.IMAGE, token, Sealing.bytes(outcome.getBestFrame()));
            }
        }
        LcpDecision.Decision decision = LcpDecision.decideChallenge(outcome.getVerdict(), outcome.getReason(), outcome.getPassiveScore(),
                match, settings);
        if (best != null) {
            audits.add(LcpAudit.probe(request, userId, best, reference.image()));
        }
        audits.add(LcpAudit.result(request, userId, decision.result(), decision.figures()));
        LcpSession used = moved(session, USED, request);
        state.sessions().put(token, used);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", decision.result());
        body.put("selfie", settings.returnSelfie() && best != null ? Base64.getEncoder().encodeToString(best) : null);
        Map<String, String> summary = new LinkedHashMap<>(decision.figures());
        summary.put("referenceSource", reference.source());
        return new Step(LcpVerifyProcessor.answer(request, trace, 200, body, summary, decision.signals()), audits, null, null, null,
                null, used, null);
    }

    // ------------------------------------------------------------------ the stores

    private static int rank(String state) {
        return switch (state) {
            case ISSUED -> 0;
            case CAPTURED -> 1;
            default -> 2;
        };
    }

    /**
     * Reads {@code openbio.lcp.sessions} back into this task's store. A session's state only moves forward:
     * a record read late (CAPTURED after the verify step already put USED) never takes a token back.
     * Sessions go a day after they expired.
     */
    static final class SessionRegistrar implements Processor<String, LcpSession, Void, Void> {
        private KeyValueStore<String, LcpSession> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(LcpVerifyProcessor.SESSIONS);
            context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME,
                    now -> io.openbio.processors.core.StoreMirror.purge(store, now, s -> s.getExpiresAt().toEpochMilli(), KEEP_MS));
        }

        @Override
        public void process(Record<String, LcpSession> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                return;
            }
            LcpSession known = store.get(record.key());
            if (known == null || rank(record.value().getState()) >= rank(known.getState())) {
                store.put(record.key(), record.value());
            }
        }
    }

    /** Reads {@code openbio.challenge.outcomes} back into this task's store; outcomes go a day after they completed. */
    static io.openbio.processors.core.StoreMirror<ChallengeOutcome> outcomes() {
        return io.openbio.processors.core.StoreMirror.purging(LcpVerifyProcessor.OUTCOMES, o -> o.getCompletedAt().toEpochMilli(), KEEP_MS);
    }

}
