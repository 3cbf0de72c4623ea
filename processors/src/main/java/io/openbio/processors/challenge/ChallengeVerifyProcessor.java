package io.openbio.processors.challenge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CapturedFrame;
import io.openbio.events.ChallengeOutcome;
import io.openbio.events.ChallengeSpec;
import io.openbio.events.ResultEvent;
import io.openbio.events.Signal;
import io.openbio.events.StageTrace;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.challenge.ActionEvidence;
import io.openbio.inference.challenge.Challenge;
import io.openbio.inference.challenge.ChallengeAction;
import io.openbio.inference.challenge.ChallengeDecision;
import io.openbio.inference.challenge.ChallengeGenerator;
import io.openbio.inference.challenge.ChallengePolicy;
import io.openbio.inference.challenge.ChallengeVerdict;
import io.openbio.inference.challenge.TimedFrame;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.processors.capture.CaptureSignals;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.Sealing;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.ChallengeContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.json.ResultJson;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The challenge-verify stage ({@code POST /challenge/verify}, after the capture route's decrypt and
 * nonce stages): decides an active-liveness capture.
 *
 * <ol>
 * <li>The nonce: a nonce the nonce stage refused (never issued, another tenant's, already used) ends
 * the request with 400 {@code NONCE_REJECTED} and the nonce stage's reason; an expired one is the
 * decision {@code TIMEOUT}; a fresh nonce issued without a challenge ({@code POST /bundle/nonce}) is 400
 * {@code NO_CHALLENGE}.</li>
 * <li>The challenge is re-derived from its seed ({@link ChallengeGenerator#derive}); one that does not
 * re-derive to the actions issued is {@code ERROR}. The bundle's metadata must declare the challenge it
 * answers ({@code bundle/SPEC.md} 5.2: the member's absence never turns a challenge capture into a
 * passive one): without it the decision is {@code FAILED} ({@code CHALLENGE_NOT_DECLARED}); a different
 * id or action list is {@code SPOOF} ({@code CHALLENGE_MISMATCH}: the capture answers another
 * challenge, e.g. a replayed recording).</li>
 * <li>The frames are analysed ({@link ChallengeAnalysis}: per-frame measurements, the verifier's
 * verdict, the best frame's passive liveness) and the capture's injection signals evaluated
 * ({@link CaptureSignals}: timing, virtual camera, frame duplication, resolution, EXIF).</li>
 * <li>The decision: the verifier's {@code ERROR} stays {@code ERROR}; any failed injection signal makes
 * it {@code SPOOF} ({@code INJECTION_SIGNAL}; the verifier's own {@code SPOOF} keeps its reason); a
 * verifier {@code FAILED} / {@code TIMEOUT} / {@code SPOOF} stays as it is; a verifier {@code PASS} is
 * {@code PASS} only when the best frame's passive liveness probability is at least
 * {@link #PASSIVE_THRESHOLD}: below it is {@code SPOOF} ({@code PASSIVE_LIVENESS_LOW}), no score
 * (no best frame, or no face on it) is {@code FAILED} ({@code NO_PASSIVE_SCORE}).</li>
 * </ol>
 *
 * <p>The answer (200 for every decision): {@code {"requestId","challengeId","decision","reason",
 * "requestedActions","actions":[{action,found,startFrame,endFrame,measure,peak,threshold,note}],
 * "bestFrame","passiveScore","signals":{name:{passed,detail,value}},"frames"}}; a measurement that is
 * not a finite number is {@code null}. The audit record gets the decision, its figures and one signal
 * per action with its evidence (frames, measure, peak, threshold), never image bytes.
 *
 * <p>The outcome record ({@link ChallengeOutcome} on {@link Topics#CHALLENGE_OUTCOMES}, keyed by nonce, in
 * the same exactly-once transaction as the result): written for every capture whose nonce the nonce stage
 * accepted (fresh, first use) and that carries a challenge, whatever the decision; never for a refused or
 * expired nonce or a nonce without a challenge, so a replayed bundle cannot overwrite the outcome of the
 * capture that spent its nonce. Only a PASS carries the best frame (as captured) and its face embedding,
 * both sealed for the tenant under the nonce: what another product needs to match the person who passed
 * (e.g. the Liveness Check Proxy's token-style verify).
 */
public final class ChallengeVerifyProcessor implements StreamProcessor {
    public static final String NAME = ChallengeContract.VERIFY.name();

    /** The passive liveness probability a PASS needs on the best frame: the models' threshold. */
    public static final double PASSIVE_THRESHOLD = LivenessResult.THRESHOLD;

    private final ChallengeAnalysis analysis;

    public ChallengeVerifyProcessor() {
        this(new ModelChallengeAnalysis(Analyzers::shared));
    }

    public ChallengeVerifyProcessor(ChallengeAnalysis analysis) {
        this.analysis = analysis;
    }

    /** The request's result and, for an accepted nonce with a challenge, the outcome record (else null). */
    record Verified(ResultEvent result, ChallengeOutcome outcome) {
    }

    @Override
    public Stage stage() {
        return ChallengeContract.VERIFY;
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Verified> verified = builder
                .stream(Topics.CHALLENGE_CAPTURES.name(), Topics.CHALLENGE_CAPTURES.consumed(serdes).withName("challenge-captures"))
                .filter((key, capture) -> capture != null)
                .mapValues(this::verify);
        Results.publish(verified.mapValues(Verified::result), serdes);
        verified.filter((key, v) -> v.outcome() != null)
                .map((key, v) -> KeyValue.pair(v.outcome().getNonce(), v.outcome()))
                .to(Topics.CHALLENGE_OUTCOMES.name(), Topics.CHALLENGE_OUTCOMES.produced(serdes));
        return builder.build();
    }

    Verified verify(CaptureAnalysis capture) {
        List<StageTrace> trace = new ArrayList<>(capture.getTrace());
        trace.add(Results.trace(NAME));
        var request = capture.getEnvelope();
        try {
            Signal nonce = capture.getSignals().stream().filter(s -> "nonce".equals(s.getName())).findFirst()
                    .orElse(new Signal("nonce", false, "no nonce verdict", null));
            ChallengeSpec spec = capture.getChallenge();
            long received = capture.getReceivedAt().toEpochMilli();
            Answer answer = new Answer(capture, spec);
            if (!nonce.getPassed()) {
                if (spec != null && capture.getNonceExpiresAt() != null && received > capture.getNonceExpiresAt()) {
                    return new Verified(answer.decided(trace, ChallengeDecision.TIMEOUT, "NONCE_EXPIRED", List.of(nonce)).result(), null);
                }
                return new Verified(Results.error(request, trace, 400, "NONCE_REJECTED", "Capture nonce refused: " + nonce.getDetail()), null);
            }
            if (spec == null) {
                return new Verified(Results.error(request, trace, 400, "NO_CHALLENGE",
                        "The capture's nonce was issued without a challenge: get a challenge and its nonce from POST /challenge"), null);
            }
            List<ChallengeAction> actions = rederive(spec);
            if (!actions.stream().map(Enum::name).toList().equals(spec.getActions())) {
                return answer.decided(trace, ChallengeDecision.ERROR, "CHALLENGE_NOT_REDERIVED", List.of(nonce));
            }
            // a passive capture (seed 003's LIVENESS_PASSIVE / PASSIVE_VIDEO: no action asked) declares no challenge
            boolean passive = spec.getK() == 0;
            if (!passive && capture.getClaimedChallengeId() == null && capture.getClaimedActions() == null) {
                return answer.decided(trace, ChallengeDecision.FAILED, "CHALLENGE_NOT_DECLARED", List.of(nonce));
            }
            if (passive ? capture.getClaimedActions() != null && !capture.getClaimedActions().isEmpty() : claimsAnotherChallenge(capture, spec)) {
                return answer.decided(trace, ChallengeDecision.SPOOF, "CHALLENGE_MISMATCH", List.of(nonce));
            }
            List<Signal> signals = new ArrayList<>(List.of(nonce));
            signals.addAll(CaptureSignals.evaluate(capture));

            List<TimedFrame> frames = new ArrayList<>();
            for (CapturedFrame frame : capture.getFrames()) {
                frames.add(new TimedFrame(frame.getTimestamp(), Sealing.frame(capture, frame)));
            }
            Challenge challenge = new Challenge(capture.getNonce(), Sealing.bytes(spec.getSeed()), actions,
                    capture.getNonceIssuedAt() == null ? 0 : capture.getNonceIssuedAt(),
                    capture.getNonceExpiresAt() == null ? Long.MAX_VALUE : capture.getNonceExpiresAt());
            ChallengeAnalysis.Result result;
            try {
                result = analysis.analyze(challenge, frames, ChallengePolicy.forSecurityLevel(spec.getSecurityLevel()));
            } catch (InferenceException e) {
                if (e.code() == ErrorCode.MODEL_UNAVAILABLE || e.code() == ErrorCode.CHECK_UNAVAILABLE) {
                    // the installation's fault, not the capture's: the nonce is spent, no outcome is recorded
                    return new Verified(Stages.inferenceError(request, trace, e), null);
                }
                // an undecodable or oversized frame: the capture cannot be analysed
                return answer.decided(trace, ChallengeDecision.ERROR, e.code().name(), signals);
            }
            return answer.analysed(trace, result, signals, frames);
        } catch (RuntimeException e) {
            return new Verified(Stages.unexpected(NAME, request, trace, e), null);
        }
    }

    static List<ChallengeAction> rederive(ChallengeSpec spec) {
        Set<ChallengeAction> allowed = EnumSet.noneOf(ChallengeAction.class);
        spec.getAllowed().forEach(a -> allowed.add(ChallengeAction.valueOf(a)));
        return ChallengeGenerator.derive(Sealing.bytes(spec.getSeed()), spec.getK(), allowed);
    }

    /** The bundle's metadata declares a challenge other than the one issued with its nonce. */
    static boolean claimsAnotherChallenge(CaptureAnalysis capture, ChallengeSpec spec) {
        return !capture.getNonce().equals(capture.getClaimedChallengeId()) || !spec.getActions().equals(capture.getClaimedActions());
    }

    /** The final decision and its reason; see the class comment. */
    record Decision(ChallengeDecision decision, String reason) {
    }

    static Decision decide(ChallengeVerdict verdict, List<Signal> signals, Double passive) {
        if (verdict.decision() == ChallengeDecision.ERROR) {
            return new Decision(ChallengeDecision.ERROR, verdict.reason());
        }
        if (verdict.decision() == ChallengeDecision.SPOOF) {
            return new Decision(ChallengeDecision.SPOOF, verdict.reason());
        }
        if (signals.stream().anyMatch(s -> !s.getPassed())) {
            return new Decision(ChallengeDecision.SPOOF, "INJECTION_SIGNAL");
        }
        if (verdict.decision() != ChallengeDecision.PASS) {
            return new Decision(verdict.decision(), verdict.reason());
        }
        if (passive == null) {
            return new Decision(ChallengeDecision.FAILED, "NO_PASSIVE_SCORE");
        }
        if (passive < PASSIVE_THRESHOLD) {
            return new Decision(ChallengeDecision.SPOOF, "PASSIVE_LIVENESS_LOW");
        }
        return new Decision(ChallengeDecision.PASS, verdict.reason());
    }

    /** Builds the answer body and its audit figures for one capture. */
    private static final class Answer {
        private final CaptureAnalysis capture;
        private final ChallengeSpec spec;

        Answer(CaptureAnalysis capture, ChallengeSpec spec) {
            this.capture = capture;
            this.spec = spec;
        }

        /** Decided before any frame was analysed. */
        Verified decided(List<StageTrace> trace, ChallengeDecision decision, String reason, List<Signal> signals) {
            Decision d = new Decision(decision, reason);
            return new Verified(build(trace, d, List.of(), -1, null, signals), outcome(d, null, null));
        }

        Verified analysed(List<StageTrace> trace, ChallengeAnalysis.Result result, List<Signal> signals, List<TimedFrame> frames) {
            ChallengeVerdict verdict = result.verdict();
            Decision decision = decide(verdict, signals, result.passive());
            int best = verdict.bestFrame();
            byte[] bestImage = best >= 0 && best < frames.size() ? frames.get(best).image() : null;
            return new Verified(build(trace, decision, verdict.actions(), best, result, signals), outcome(decision, result, bestImage));
        }

        /** The outcome record of this capture (its nonce was accepted); biometric fields sealed, PASS only. */
        private ChallengeOutcome outcome(Decision decision, ChallengeAnalysis.Result result, byte[] bestImage) {
            String tenant = capture.getEnvelope().getTenant();
            String nonce = capture.getNonce();
            boolean pass = decision.decision() == ChallengeDecision.PASS;
            ChallengeOutcome.Builder out = ChallengeOutcome.newBuilder()
                    .setNonce(nonce)
                    .setTenant(tenant)
                    .setRequestId(capture.getEnvelope().getRequestId())
                    .setVerdict(decision.decision().name())
                    .setReason(decision.reason())
                    .setCompletedAt(Instant.now())
                    .setPassiveScore(result == null ? null : result.passive());
            if (pass && bestImage != null) {
                out.setBestFrame(Sealing.sealImage(tenant, nonce, bestImage));
            }
            if (pass && result != null && result.bestEmbedding() != null) {
                out.setBestEmbedding(Sealing.sealVector(tenant, nonce, result.bestEmbedding())).setModelId(result.modelId());
            }
            return out.build();
        }

        private ResultEvent build(List<StageTrace> trace, Decision decision, List<ActionEvidence> evidence, int bestFrame,
                                  ChallengeAnalysis.Result result, List<Signal> signals) {
            Double passive = result == null ? null : result.passive();
            ObjectNode body = ResultJson.MAPPER.createObjectNode();
            body.put("requestId", capture.getEnvelope().getRequestId());
            body.put("challengeId", capture.getNonce());
            body.put("decision", decision.decision().name());
            body.put("reason", decision.reason());
            ArrayNode requested = body.putArray("requestedActions");
            if (spec != null) {
                spec.getActions().forEach(requested::add);
            }
            ArrayNode actions = body.putArray("actions");
            for (ActionEvidence e : evidence) {
                ObjectNode a = actions.addObject();
                a.put("action", e.action().name());
                a.put("found", e.found());
                a.put("startFrame", e.startFrame());
                a.put("endFrame", e.endFrame());
                a.put("measure", e.measure());
                number(a, "peak", e.peak());
                number(a, "threshold", e.threshold());
                a.put("note", e.note());
            }
            body.put("bestFrame", bestFrame);
            number(body, "passiveScore", passive == null ? Double.NaN : passive);
            ObjectNode signalsJson = body.putObject("signals");
            for (Signal s : signals) {
                ObjectNode o = signalsJson.putObject(s.getName());
                o.put("passed", s.getPassed());
                o.put("detail", s.getDetail());
                number(o, "value", s.getValue() == null ? Double.NaN : s.getValue());
            }
            body.put("frames", capture.getFrames().size());

            Map<String, String> summary = new LinkedHashMap<>();
            summary.put("decision", decision.decision().name());
            summary.put("reason", decision.reason());
            summary.put("requestedActions", spec == null ? "" : String.join(",", spec.getActions()));
            summary.put("frames", Integer.toString(capture.getFrames().size()));
            summary.put("bestFrame", Integer.toString(bestFrame));
            if (passive != null) {
                summary.put("passiveScore", format(passive));
            }
            List<Signal> audit = new ArrayList<>(signals);
            if (result != null) {
                result.passiveModels().forEach((model, score) -> audit.add(new Signal("model:" + model,
                        score >= LivenessResult.THRESHOLD, "passive liveness model score on the best frame", score)));
            }
            for (int i = 0; i < evidence.size(); i++) {
                ActionEvidence e = evidence.get(i);
                String detail = (e.found() ? "frames " + e.startFrame() + "-" + e.endFrame() : "not found")
                        + ", " + e.measure() + " peak " + format(e.peak()) + " threshold " + format(e.threshold())
                        + (e.note() == null || e.note().isEmpty() ? "" : ": " + e.note());
                audit.add(new Signal("action:" + (i + 1) + ":" + e.action().name(), e.found(), detail,
                        Double.isFinite(e.peak()) ? e.peak() : null));
            }
            var response = Sealing.apiResponse(capture.getEnvelope(), 200, body.toString());
            response.setSummary(summary);
            response.setSignals(audit);
            return Results.resultFor(capture.getEnvelope(), trace).setPayload(response).build();
        }

        private static void number(ObjectNode node, String field, double value) {
            if (Double.isFinite(value)) {
                node.put(field, value);
            } else {
                node.putNull(field);
            }
        }

        private static String format(double value) {
            return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "NaN";
        }
    }
}
