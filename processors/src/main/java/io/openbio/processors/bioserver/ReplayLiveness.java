package io.openbio.processors.bioserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.BioServerFace;
import io.openbio.events.BioServerReplay;
import io.openbio.events.BioServerSession;
import io.openbio.events.ChallengeOutcome;
import io.openbio.events.ChallengeSpec;
import io.openbio.events.NonceIssued;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.InferenceException;
import io.openbio.inference.challenge.ActionSet;
import io.openbio.inference.challenge.Challenge;
import io.openbio.inference.challenge.ChallengeAction;
import io.openbio.inference.challenge.ChallengeGenerator;
import io.openbio.inference.challenge.ChallengeKinds;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.Sealing;
import io.openbio.schemas.contract.BioServerContract;
import io.openbio.schemas.contract.ChallengeContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The BioServer's replay liveness (seed 003, "Replay Challenge"), in the bioserver stage.
 *
 * <ul>
 * <li><b>init-liveness-parameters</b>: a challenge bound to a capture nonce that IS the session key (so the
 * capture's outcome, keyed by nonce, lands on this session's partition): {@code LIVENESS_ACTIVE} asks for
 * {@code nbChallenge} actions (default 2, the seed's example); {@code LIVENESS_PASSIVE} and
 * {@code LIVENESS_PASSIVE_VIDEO} ask for none. The nonce is recorded on {@code openbio.capture.nonces} as
 * {@code POST /challenge} records one; the status is INITIALIZED. One liveness per session: a second
 * init is taken while INITIALIZED (a new challenge replaces the first), refused (409) afterwards.</li>
 * <li><b>the capture client</b> fetches the challenge ({@link BioServerContract#LIVENESS_CHALLENGE}) and posts
 * its capture bundle ({@link BioServerContract#LIVENESS_CAPTURE}), which goes on to the challenge route
 * (decrypt, nonce, challenge-verify) under the session's tenant; IN_PROGRESS.</li>
 * <li><b>the outcome</b> (openbio.challenge.outcomes, keyed by the nonce = the session key) ends it: PASS is
 * SUCCESS, SPOOF / FAILED / TIMEOUT / ERROR as they are; the best frame is kept (sealed), a face is made
 * from it in the session (imageType VIDEO_FRAME), and the session's callbackURL gets
 * {@code {"sessionId":...}} through the platform's callback delivery.</li>
 * <li>INITIALIZED or IN_PROGRESS past the challenge's expiry reads as TIMEOUT (and the sweep records it,
 * with the callback).</li>
 * </ul>
 *
 * <p>What each type checks (README, "BioServer replay liveness"): ACTIVE = the challenge verification
 * (actions in order, temporal consistency, passive liveness of the best frame, injection signals);
 * PASSIVE and PASSIVE_VIDEO = the same verification with no action asked: temporal consistency of the
 * frame sequence (continuity, timing, one face, no identity switch, no cut), passive liveness of the
 * best frame and the injection signals. {@code securityLevel} travels with the challenge: the verify
 * stage applies {@code ChallengePolicy.forSecurityLevel} (smaller movements asked at LOW / MEDIUM).
 */
final class ReplayLiveness {
    static final String ACTIVE = "LIVENESS_ACTIVE";
    static final String PASSIVE = "LIVENESS_PASSIVE";
    static final String PASSIVE_VIDEO = "LIVENESS_PASSIVE_VIDEO";
    static final List<String> TYPES = List.of(ACTIVE, PASSIVE, PASSIVE_VIDEO);
    static final List<String> LEVELS = List.of("LOW", "MEDIUM", "HIGH");
    static final String INITIALIZED = "INITIALIZED";
    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String SUCCESS = "SUCCESS";
    static final String TIMEOUT = "TIMEOUT";
    /**
     * The actions an ACTIVE challenge is drawn from: head, smile and eyes, as the Liveness Check Proxy's
     * default (the gaze corners need the capture page's screen targets, and the bottom ones do not pass
     * reliably with the models here: inference/EVALUATION.md).
     */
    static final Set<ChallengeAction> ACTIONS = ActionSet.union(ActionSet.HEAD, ActionSet.SMILE, ActionSet.EYES);

    private final long challengeTtlMs;
    private final FaceCoder coder;

    ReplayLiveness(long challengeTtlMs, FaceCoder coder) {
        this.challengeTtlMs = challengeTtlMs;
        this.coder = coder;
    }

    /** What a replay step produces besides its answer. */
    record Effects(NonceIssued nonce, RequestEnvelope forward) {
        static final Effects NONE = new Effects(null, null);
    }

    record Answer(ResultEvent result, Effects effects) {
    }

    // ------------------------------------------------------------------ init

    Answer init(RequestEnvelope request, BioServerSession session, BioServerProcessor.State state, Instant now, List<StageTrace> trace) {
        BioServerReplay known = session.getReplay();
        if (known != null && !INITIALIZED.equals(known.getStatus())) {
            throw BioServerFailure.conflict("The replay liveness of this bio-session already started; create a new bio-session");
        }
        Map<String, String> a = request.getAttributes();
        String type = a.get(BioServerContract.LIVENESS_TYPE);
        if (!TYPES.contains(type)) {
            throw BioServerFailure.badRequest("type must be one of " + String.join(", ", TYPES));
        }
        String level = a.getOrDefault(BioServerContract.SECURITY_LEVEL, "HIGH");
        if (!LEVELS.contains(level)) {
            throw BioServerFailure.badRequest("securityLevel must be one of " + String.join(", ", LEVELS));
        }
        Integer nbChallenge = null;
        int k = 0;
        if (ACTIVE.equals(type)) {
            try {
                String nb = a.get(BioServerContract.NB_CHALLENGE);
                k = ChallengeGenerator.actionCount(nb == null ? null : Integer.valueOf(nb));
            } catch (IllegalArgumentException e) {
                throw BioServerFailure.badRequest("nbChallenge must be 1.." + ChallengeGenerator.MAX_ACTIONS);
            }
            nbChallenge = k;
        }
        String key = BioServerContract.sessionKey(session.getId());
        long ttl = Math.min(challengeTtlMs, session.getExpiresAt().toEpochMilli() - now.toEpochMilli());
        byte[] seed = new byte[ChallengeGenerator.SEED_BYTES];
        new java.security.SecureRandom().nextBytes(seed);
        List<ChallengeAction> actions = ChallengeGenerator.derive(seed, k, ACTIONS);
        ChallengeSpec spec = new ChallengeSpec(ByteBuffer.wrap(seed), k, ACTIONS.stream().map(Enum::name).toList(),
                actions.stream().map(Enum::name).toList(), level);
        Instant expires = now.plusMillis(Math.max(1, ttl));
        String imageRetrieval = a.get(BioServerContract.IMAGE_RETRIEVAL_DISABLED);
        BioServerReplay replay = BioServerReplay.newBuilder()
                .setId(a.getOrDefault(BioServerContract.REPLAY_ID, UUID.randomUUID().toString()))
                .setType(type)
                .setSecurityLevel(level)
                .setNbChallenge(nbChallenge)
                .setImageRetrievalDisabled(imageRetrieval == null || Boolean.parseBoolean(imageRetrieval))
                .setChallenge(spec)
                .setIssuedAt(now)
                .setExpiresAt(expires)
                .setStatus(INITIALIZED)
                .setUpdatedAt(now)
                .build();
        BioServerSession updated = BioServerSession.newBuilder(session).setReplay(replay).setRequestId(request.getRequestId()).build();
        state.sessions().put(key, updated);
        NonceIssued nonce = new NonceIssued(key, session.getTenant(), now, expires, spec);
        return new Answer(BioServerProcessor.ok(request, trace, 200, parameters(replay)), new Effects(nonce, null));
    }

    /**
     * init's answer (and getLivenessParameters'): the seed's fields, {@code seed} as a 32-bit integer (the
     * first 4 bytes of the challenge's 32-byte seed: the seed types it so; the platform's capture client
     * reads the challenge itself), {@code serverRandom} = the challenge's 32 random bytes in base64. The
     * gateway adds {@code certificates} (the capture-encryption certificate) and the signature.
     */
    static ObjectNode parameters(BioServerReplay replay) {
        ObjectNode node = BioServerJson.JSON.createObjectNode();
        node.put("id", replay.getId());
        node.put("type", replay.getType());
        node.put("securityLevel", replay.getSecurityLevel());
        if (replay.getNbChallenge() != null) {
            node.put("nbChallenge", replay.getNbChallenge());
        }
        node.put("imageRetrievalDisabled", replay.getImageRetrievalDisabled());
        byte[] seed = Sealing.bytes(replay.getChallenge().getSeed());
        node.put("seed", ByteBuffer.wrap(seed, 0, 4).getInt());
        node.put("serverRandom", Base64.getEncoder().encodeToString(seed));
        return node;
    }

    static BioServerReplay replay(BioServerSession session) {
        if (session.getReplay() == null) {
            throw BioServerFailure.notInitialized();
        }
        return session.getReplay();
    }

    // ------------------------------------------------------------------ the capture client's two calls

    /** The session's replay while a capture can still be sent for it, else 404. */
    private static BioServerReplay capturable(BioServerSession session, Instant now) {
        BioServerReplay replay = session.getReplay();
        if (replay == null || !INITIALIZED.equals(replay.getStatus()) || !now.isBefore(replay.getExpiresAt())) {
            throw BioServerFailure.notInitialized();
        }
        return replay;
    }

    Answer challenge(RequestEnvelope request, BioServerSession session, Instant now, List<StageTrace> trace) {
        BioServerReplay replay = capturable(session, now);
        ChallengeSpec spec = replay.getChallenge();
        Challenge challenge = new Challenge(BioServerContract.sessionKey(session.getId()), Sealing.bytes(spec.getSeed()),
                spec.getActions().stream().map(ChallengeAction::valueOf).toList(), replay.getIssuedAt().toEpochMilli(),
                replay.getExpiresAt().toEpochMilli());
        ObjectNode body = BioServerJson.JSON.valueToTree(ChallengeKinds.answer(challenge));
        body.put("type", replay.getType());
        return new Answer(BioServerProcessor.ok(request, trace, 200, body), Effects.NONE);
    }

    Answer capture(RequestEnvelope request, BioServerSession session, BioServerProcessor.State state, Instant now) {
        BioServerReplay replay = capturable(session, now);
        byte[] bundle = Envelopes.part(request, BioServerContract.BUNDLE_PART).orElse(null);
        if (bundle == null || bundle.length == 0) {
            throw BioServerFailure.badRequest("The capture bundle is missing");
        }
        // on to the challenge route as the session's tenant (the capture client sends no key): the part sealed again for it
        String tenant = session.getTenant();
        Part part = new Part("bundle", "application/octet-stream",
                ByteBuffer.wrap(PayloadKeys.shared().seal(tenant, Purpose.PART, request.getRequestId(), bundle)));
        RequestEnvelope forward = RequestEnvelope.newBuilder(request).setTenant(tenant)
                .setOperation(ChallengeContract.VERIFY_OPERATION).setParts(List.of(part)).build();
        BioServerReplay inProgress = BioServerReplay.newBuilder(replay).setStatus(IN_PROGRESS).setUpdatedAt(now).build();
        state.sessions().put(BioServerContract.sessionKey(session.getId()),
                BioServerSession.newBuilder(session).setReplay(inProgress).setRequestId(request.getRequestId()).build());
        return new Answer(null, new Effects(null, forward));
    }

    // ------------------------------------------------------------------ results

    /** The replay's status as a client sees it now: INITIALIZED / IN_PROGRESS past the challenge's expiry read TIMEOUT. */
    static String status(BioServerReplay replay, Instant now) {
        boolean open = INITIALIZED.equals(replay.getStatus()) || IN_PROGRESS.equals(replay.getStatus());
        return open && !now.isBefore(replay.getExpiresAt().plusMillis(GRACE_MS)) ? TIMEOUT : replay.getStatus();
    }

    /** How long after the challenge's expiry an IN_PROGRESS capture may still get its outcome (the challenge route's work). */
    static final long GRACE_MS = 60_000;

    /** {@code GET /v3/.../replay-liveness-metadata}: id, status, and on SUCCESS the best image (unless disabled) and its landmarks. */
    ObjectNode metadata(BioServerSession session, Instant now) {
        BioServerReplay replay = replay(session);
        ObjectNode node = BioServerJson.JSON.createObjectNode();
        node.put("id", replay.getId());
        node.put("status", status(replay, now));
        if (SUCCESS.equals(replay.getStatus()) && !replay.getImageRetrievalDisabled() && replay.getBestImage() != null) {
            node.put("image", Base64.getEncoder().encodeToString(bestImage(session, replay)));
        }
        ObjectNode landmarks = BioServerJson.landmarks(replay.getEyes(), replay.getBox());
        if (landmarks != null) {
            node.set("landmarks", landmarks);
        }
        return node;
    }

    /**
     * {@code GET .../liveness-challenge-result}, the integrators' shape: {@code livenessStatus}, {@code bestImageId}
     * (the face made from the best frame), {@code diagnostic} (the verification's reason).
     */
    ObjectNode challengeResult(BioServerSession session, Instant now) {
        BioServerReplay replay = replay(session);
        ObjectNode node = BioServerJson.JSON.createObjectNode();
        node.put("livenessStatus", status(replay, now));
        BioServerJson.putIfPresent(node, "bestImageId", replay.getBestFaceId());
        BioServerJson.putIfPresent(node, "diagnostic", replay.getReason());
        return node;
    }

    private static byte[] bestImage(BioServerSession session, BioServerReplay replay) {
        return PayloadKeys.shared().open(session.getTenant(), Purpose.IMAGE, BioServerContract.sessionKey(session.getId()),
                Sealing.bytes(replay.getBestImage()));
    }

    /**
     * An outcome of the challenge route for this session's nonce: the replay's end. Returns the callback
     * result to publish (null when the session has no callbackURL, or the outcome is not this session's).
     */
    ResultEvent outcome(String key, ChallengeOutcome outcome, BioServerProcessor.State state, int maxFaces, Instant now) {
        BioServerSession session = state.sessions().get(key);
        if (session == null || session.getReplay() == null || !session.getTenant().equals(outcome.getTenant())) {
            return null;
        }
        BioServerReplay replay = session.getReplay();
        if (!INITIALIZED.equals(replay.getStatus()) && !IN_PROGRESS.equals(replay.getStatus())) {
            return null;
        }
        String status = switch (outcome.getVerdict()) {
            case "PASS" -> SUCCESS;
            case "SPOOF", "FAILED", "TIMEOUT", "ERROR" -> outcome.getVerdict();
            default -> "ERROR";
        };
        BioServerReplay.Builder ended = BioServerReplay.newBuilder(replay).setStatus(status).setReason(outcome.getReason())
                .setUpdatedAt(now).setPassiveScore(outcome.getPassiveScore());
        List<BioServerFace> faces = new ArrayList<>(session.getFaces());
        if (SUCCESS.equals(status) && outcome.getBestFrame() != null) {
            ended.setBestImage(outcome.getBestFrame());
            byte[] best = PayloadKeys.shared().open(session.getTenant(), Purpose.IMAGE, key, Sealing.bytes(outcome.getBestFrame()));
            try {
                CodedFace coded = coder.code(best, "VIDEO_FRAME", false);
                ended.setEyes(coded.eyes()).setBox(coded.box());
                if (faces.size() < maxFaces) {
                    String faceId = UUID.randomUUID().toString();
                    String faceKey = key + "/" + faceId;
                    faces.add(coded.toFace(faceId, "replay liveness best image", null, "VIDEO_FRAME", null,
                            PayloadKeys.shared().sealText(session.getTenant(), Purpose.TEMPLATE, faceKey, coded.template().encode()),
                            coder.templateVersion(), now));
                    ended.setBestFaceId(faceId);
                    if (session.getImageStorageEnabled()) {
                        state.images().put(faceKey, PayloadKeys.shared().seal(session.getTenant(), Purpose.IMAGE, faceKey, best));
                    }
                }
            } catch (InferenceException e) {
                // the best frame's face is not found again by the coding detector: the status stands, without landmarks
            }
        }
        state.sessions().put(key, BioServerSession.newBuilder(session).setFaces(faces).setReplay(ended.build())
                .setRequestId(outcome.getRequestId()).build());
        return callback(session, now);
    }

    /** The sweep: a replay left open past its challenge's expiry (plus the grace) becomes TIMEOUT; returns its callback. */
    ResultEvent timeout(String key, BioServerSession session, BioServerProcessor.State state, Instant now) {
        BioServerReplay replay = session.getReplay();
        if (replay == null || !TIMEOUT.equals(status(replay, now)) || TIMEOUT.equals(replay.getStatus())) {
            return null;
        }
        state.sessions().put(key, BioServerSession.newBuilder(session)
                .setReplay(BioServerReplay.newBuilder(replay).setStatus(TIMEOUT).setReason("NO_CAPTURE").setUpdatedAt(now).build()).build());
        return callback(session, now);
    }

    /** The seed's replayLivenessCallback: {@code POST {callbackURL}} with {@code {"sessionId":...}}, through the callback stage. */
    private static ResultEvent callback(BioServerSession session, Instant now) {
        if (session.getCallbackUrl() == null) {
            return null;
        }
        String id = UUID.randomUUID().toString();
        RequestEnvelope event = RequestEnvelope.newBuilder().setRequestId(id).setTenant(session.getTenant())
                .setOperation(BioServerContract.REPLAY_CALLBACK).setCallbackUrl(session.getCallbackUrl()).setCreatedAt(now)
                .setParts(List.of()).setAttributes(Map.of()).build();
        ObjectNode body = BioServerJson.JSON.createObjectNode();
        body.put("sessionId", session.getId());
        return BioServerProcessor.ok(event, List.of(Results.trace(BioServerProcessor.NAME)), 200, body);
    }
}
