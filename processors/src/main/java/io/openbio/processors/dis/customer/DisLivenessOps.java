package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.bundle.KeyResolver;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.DisCustomer;
import io.openbio.events.DisLiveness;
import io.openbio.events.DisLivenessRecord;
import io.openbio.events.DisLivenessSelfie;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.challenge.FrameMeasurer;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.dis.DisLiveness.Assertion;
import io.openbio.inference.dis.DisLiveness.Corner;
import io.openbio.inference.dis.DisLiveness.Evaluation;
import io.openbio.inference.dis.DisLiveness.RecordEvaluation;
import io.openbio.inference.dis.DisLiveness.Selfie;
import io.openbio.inference.dis.DisLiveness.SelfieCheck;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.dis.customer.DisCustomerProcessor.Found;
import io.openbio.processors.dis.customer.DisCustomerProcessor.State;
import io.openbio.schemas.contract.DisContract;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The liveness operations of the dis-customers stage (seed 004, {@code /customers/{id}/liveness...}); the
 * evaluations themselves are {@link io.openbio.inference.dis.DisLiveness}'s (README "DIS liveness").
 *
 * <ul>
 * <li>{@code PUT liveness} creates the customer's liveness (a second PUT replaces it: its selfies, records and
 * challenge are dropped); {@code DELETE liveness} removes it (idempotent). Every other liveness operation on a
 * customer without one is 404 NOT_FOUND.</li>
 * <li>{@code records/challenge}: EYE_GAZE_LIVENESS only (the reference's ChallengeDetails has no other form): the
 * four corners in an order drawn with {@link SecureRandom}; the eye-gaze evaluation then checks the segments in
 * that order. Another type: 400 INVALID_REQUEST_BODY.</li>
 * <li>{@code selfies}: the image, or the customer's selfie ({@code selfieOrigin.link}); no face: 200
 * {@code errorCode NO_FACE_DETECTED} and nothing kept; several faces: the largest, warning MULTIPLE_FACES_DETECTED;
 * a face under the measured liveness minimum: warning LOW_QUALITY. Kept sealed in the parts store.</li>
 * <li>{@code records}: the platform's capture bundle ({@link DisRecords}); not one, or unreadable: 200
 * {@code errorCode INVALID_DATA}. Its nonce use goes through the nonce stage first (single use, tenant, expiry, as
 * every capture's); back here it is evaluated (MAGNIFEYE_LIVENESS: a passive capture verification and the best
 * frame's passive liveness; any failed injection signal, the nonce's included, makes its score 0) and kept; the best
 * frame is kept as the record's selfie ({@code links.selfie}, usable as the customer's {@code selfieOrigin.link}).</li>
 * <li>{@code evaluation}: PASSIVE / SMILE / EYE_GAZE on the liveness selfies, MAGNIFEYE on the latest record
 * (none: NOT_ENOUGH_DATA).</li>
 * </ul>
 */
final class DisLivenessOps {
    static final Set<String> TYPES = Set.of("EYE_GAZE_LIVENESS", "PASSIVE_LIVENESS", "SMILE_LIVENESS", "MAGNIFEYE_LIVENESS");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<FaceAnalyzer> analyzer;
    private final Supplier<KeyResolver> keys;
    private volatile io.openbio.inference.dis.DisLiveness models;

    DisLivenessOps(Supplier<FaceAnalyzer> analyzer, Supplier<KeyResolver> keys) {
        this.analyzer = analyzer;
        this.keys = keys;
    }

    /** The evaluations, made on first use (the iris model is loaded then). */
    private io.openbio.inference.dis.DisLiveness models() {
        io.openbio.inference.dis.DisLiveness local = models;
        if (local == null) {
            synchronized (this) {
                local = models;
                if (local == null) {
                    local = new io.openbio.inference.dis.DisLiveness(analyzer.get(), new FrameMeasurer(analyzer.get()));
                    models = local;
                }
            }
        }
        return local;
    }

    ResultEvent handle(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        return switch (request.getOperation()) {
            case DisContract.LIVENESS_PUT -> put(request, state, now, trace);
            case DisContract.LIVENESS_DELETE -> delete(request, state, now, trace);
            case DisContract.LIVENESS_CHALLENGE -> challenge(request, state, now, trace);
            case DisContract.LIVENESS_SELFIE_ADD -> addSelfie(request, state, now, trace);
            case DisContract.LIVENESS_SELFIES_RETRIEVE -> retrieve(request, state, now, trace);
            case DisContract.LIVENESS_RECORD_SELFIE -> recordSelfie(request, state, now, trace);
            case DisContract.LIVENESS_EVALUATION -> evaluate(request, state, now, trace);
            default -> throw new IllegalArgumentException(request.getOperation());
        };
    }

    // ------------------------------------------------------------------ the liveness resource

    static String selfiePart(int index) {
        return "liveness/selfies/" + index;
    }

    private static String link(DisCustomer customer) {
        return "/api/v1/customers/" + customer.getId() + "/liveness";
    }

    /** The customer's liveness, or 404 NOT_FOUND. */
    static DisLiveness liveness(Found found) {
        if (found.customer().getLiveness() == null) {
            throw DisFailure.notFound("Liveness");
        }
        return found.customer().getLiveness();
    }

    private static void save(State state, Found found, DisLiveness liveness, RequestEnvelope request) {
        state.customers().put(found.key(), DisCustomer.newBuilder(found.customer()).setLiveness(liveness)
                .setRequestId(request.getRequestId()).build());
    }

    /** Removes the liveness' parts (selfies and record selfies). */
    private static void dropParts(State state, Found found) {
        state.parts().deleteAll(CustomerParts.key(found.key(), "liveness/"));
        state.parts().deleteAll(CustomerParts.key(found.key(), "records/"));
    }

    private ResultEvent put(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        dropParts(state, found);
        save(state, found, DisLiveness.newBuilder().setCreatedAt(now).build(), request);
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        body.putObject("links").put("self", link(found.customer()));
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    private ResultEvent delete(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found;
        try {
            found = DisCustomerProcessor.customer(request, state, now);
        } catch (DisFailure e) {
            if (e.status == 404) {
                return DisCustomerProcessor.ok(request, trace, 204, null);
            }
            throw e;
        }
        dropParts(state, found);
        if (found.customer().getLiveness() != null) {
            save(state, found, null, request);
        }
        return DisCustomerProcessor.ok(request, trace, 204, null);
    }

    private static String type(RequestEnvelope request) {
        String type = request.getAttributes().get(DisContract.LIVENESS_TYPE);
        if (type == null || !TYPES.contains(type)) {
            throw DisFailure.badRequest("INVALID_REQUEST_BODY", "type must be one of " + String.join(", ", TYPES));
        }
        return type;
    }

    private ResultEvent challenge(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        DisLiveness liveness = liveness(found);
        if (!"EYE_GAZE_LIVENESS".equals(type(request))) {
            throw DisFailure.badRequest("INVALID_REQUEST_BODY", "Only EYE_GAZE_LIVENESS has a challenge (EyeGazeChallengeDetails)");
        }
        List<String> corners = io.openbio.inference.dis.DisLiveness.drawCorners(RANDOM).stream().map(Enum::name).toList();
        save(state, found, DisLiveness.newBuilder(liveness).setChallenge(corners).build(), request);
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        ArrayNode array = body.putObject("details").putArray("corners");
        corners.forEach(array::add);
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    // ------------------------------------------------------------------ selfies

    private ResultEvent addSelfie(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        DisLiveness liveness = liveness(found);
        Assertion assertion;
        try {
            assertion = Assertion.valueOf(request.getAttributes().getOrDefault(DisContract.ASSERTION, ""));
        } catch (IllegalArgumentException e) {
            throw DisFailure.badRequest("INVALID_REQUEST_BODY", "assertion must be one of EYE_GAZE_TOP_LEFT, EYE_GAZE_TOP_RIGHT,"
                    + " EYE_GAZE_BOTTOM_LEFT, EYE_GAZE_BOTTOM_RIGHT, SMILE, NEUTRAL, NONE");
        }
        byte[] image;
        if (Boolean.parseBoolean(request.getAttributes().get(DisContract.FROM_SELFIE))) {
            image = state.parts().get(found.customer(), found.key(), CustomerParts.SELFIE);
            if (image == null) {
                throw DisFailure.notFound("Selfie");
            }
        } else {
            image = Envelopes.part(request, DisContract.IMAGE_PART)
                    .orElseThrow(() -> DisFailure.badRequest("INVALID_REQUEST_BODY", "The image is missing"));
        }
        SelfieCheck check;
        try {
            check = models().check(image);
        } catch (InferenceException e) {
            throw imageFailure(e);
        }
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        if (check.face() == null) {
            body.put("errorCode", "NO_FACE_DETECTED");
            return DisCustomerProcessor.ok(request, trace, 200, body);
        }
        int index = liveness.getNextSelfie();
        state.parts().put(found.customer(), found.key(), selfiePart(index), image);
        List<DisLivenessSelfie> selfies = new ArrayList<>(liveness.getSelfies());
        selfies.add(DisLivenessSelfie.newBuilder().setIndex(index).setAssertion(assertion.name())
                .setMultipleFaces(check.multipleFaces()).setLowQuality(check.lowQuality()).setCreatedAt(now).build());
        save(state, found, DisLiveness.newBuilder(liveness).setNextSelfie(index + 1).setSelfies(selfies).build(), request);
        if (check.multipleFaces() || check.lowQuality()) {
            ArrayNode warnings = body.putArray("warnings");
            if (check.multipleFaces()) {
                warnings.add("MULTIPLE_FACES_DETECTED");
            }
            if (check.lowQuality()) {
                warnings.add("LOW_QUALITY");
            }
        }
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    static DisFailure imageFailure(InferenceException e) {
        if (e.code() == ErrorCode.MODEL_UNAVAILABLE || e.code() == ErrorCode.CHECK_UNAVAILABLE) {
            throw e;
        }
        return DisFailure.badRequest("INVALID_IMAGE", "The image cannot be read");
    }

    /** The liveness selfies with their images, in upload order. */
    static List<Selfie> selfies(State state, Found found, DisLiveness liveness) {
        List<Selfie> out = new ArrayList<>();
        for (DisLivenessSelfie s : liveness.getSelfies()) {
            byte[] image = state.parts().get(found.customer(), found.key(), selfiePart(s.getIndex()));
            if (image != null) {
                out.add(new Selfie(Assertion.valueOf(s.getAssertion()), image));
            }
        }
        return out;
    }

    private static boolean ofType(Assertion a, String type) {
        return switch (type) {
            case "EYE_GAZE_LIVENESS" -> a.corner() != null;
            case "SMILE_LIVENESS" -> a == Assertion.SMILE || a == Assertion.NEUTRAL;
            case "PASSIVE_LIVENESS" -> a == Assertion.NONE;
            default -> false;
        };
    }

    private ResultEvent retrieve(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        DisLiveness liveness = liveness(found);
        String type = type(request);
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        ArrayNode selfies = body.putArray("selfies");
        for (Selfie s : selfies(state, found, liveness)) {
            if (ofType(s.assertion(), type)) {
                selfies.addObject().put("assertion", s.assertion().name()).put("data", Base64.getEncoder().encodeToString(s.image()));
            }
        }
        ArrayNode records = body.putArray("recordSelfies");
        if ("MAGNIFEYE_LIVENESS".equals(type)) {
            for (DisLivenessRecord r : liveness.getRecords()) {
                byte[] image = state.parts().get(found.customer(), found.key(), CustomerParts.recordSelfie(r.getId()));
                if (image != null) {
                    records.addObject().put("assertion", "MAGNIFEYE").put("data", Base64.getEncoder().encodeToString(image));
                }
            }
        }
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    // ------------------------------------------------------------------ records

    /**
     * {@code POST records}, first pass: a body that is no readable capture bundle is answered INVALID_DATA at once;
     * a bundle's nonce use goes to the nonce stage ({@link DisRecords}), and {@link #recordChecked} answers when it is
     * back. The customer and its liveness are checked now (404 at once) and again then.
     */
    DisCustomerProcessor.Step addRecord(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        liveness(found);
        if (DisContract.canonicalUuid(request.getAttributes().get(DisContract.RECORD_ID)) == null) {
            throw new IllegalStateException("a record without its id");
        }
        byte[] bytes = Envelopes.part(request, DisContract.RECORD_PART)
                .orElseThrow(() -> DisFailure.badRequest("INVALID_REQUEST_BODY", "The record is missing"));
        try {
            return new DisCustomerProcessor.Step(null, DisRecords.open(request, bytes, keys.get(), trace));
        } catch (DisRecords.Unreadable e) {
            ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
            body.put("errorCode", "INVALID_DATA");
            return DisCustomerProcessor.Step.answer(DisCustomerProcessor.ok(request, trace, 200, body));
        }
    }

    /**
     * {@code POST records}, back from the nonce stage with the nonce signal: the record evaluated (MAGNIFEYE_LIVENESS)
     * and kept; any failed injection signal (the nonce's included: a replayed bundle, another tenant's or an unknown
     * nonce) makes its score 0.
     */
    ResultEvent recordChecked(CaptureAnalysis capture, State state, Instant now, List<StageTrace> trace) {
        RequestEnvelope request = capture.getEnvelope();
        Found found = DisCustomerProcessor.customer(request, state, now);
        DisLiveness liveness = liveness(found);
        String recordId = DisContract.canonicalUuid(request.getAttributes().get(DisContract.RECORD_ID));
        if (recordId == null) {
            throw new IllegalStateException("a record without its id");
        }
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        DisRecords.Opened opened = DisRecords.checked(capture);
        RecordEvaluation evaluated;
        try {
            evaluated = models().record(opened.frames());
        } catch (InferenceException e) {
            if (e.code() == ErrorCode.MODEL_UNAVAILABLE || e.code() == ErrorCode.CHECK_UNAVAILABLE) {
                throw e;
            }
            body.put("errorCode", "INVALID_DATA");
            return DisCustomerProcessor.ok(request, trace, 200, body);
        }
        Evaluation e = evaluated.evaluation();
        List<String> failed = opened.failed();
        Double score = e.score() == null ? null : failed.isEmpty() ? e.score() : 0.0;
        DisLivenessRecord.Builder record = DisLivenessRecord.newBuilder().setId(recordId).setFrames(opened.frames().size())
                .setBestFrame(evaluated.bestFrame()).setDecision(e.details().get("decision")).setReason(e.details().get("reason"))
                .setScore(score).setErrorCode(e.errorCode()).setFailedSignals(failed).setCreatedAt(now);
        if (evaluated.bestFrame() >= 0) {
            byte[] best = opened.frames().get(evaluated.bestFrame()).image();
            FaceAnalyzer fa = analyzer.get();
            DecodedImage decoded = fa.decode(best);
            List<Face> faces = fa.detectAll(decoded);
            if (!faces.isEmpty()) {
                Face face = faces.get(0);
                List<Integer> box = box(face.box(), decoded.image().width(), decoded.image().height());
                double confidence = Math.max(0, Math.min(1, face.score()));
                record.setConfidence(confidence).setBox(box);
                state.parts().put(found.customer(), found.key(), CustomerParts.recordSelfie(recordId), best);
                ObjectNode detection = body.putObject("selfie").putObject("detection");
                detection.put("confidence", confidence);
                detection.set("faceRectangle", DisCustomerProcessor.roi(box));
                body.putObject("links").put("selfie", link(found.customer()) + "/records/" + recordId + "/selfie");
            }
        }
        if (e.errorCode() != null) {
            body.put("errorCode", e.errorCode());
        }
        List<DisLivenessRecord> records = new ArrayList<>(liveness.getRecords());
        records.add(record.build());
        save(state, found, DisLiveness.newBuilder(liveness).setRecords(records).build(), request);
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    static List<Integer> box(BoundingBox b, int width, int height) {
        return List.of(clamp(b.x(), width), clamp(b.y(), height), clamp(b.x() + b.width(), width), clamp(b.y() + b.height(), height));
    }

    private static int clamp(double v, int max) {
        return (int) Math.max(0, Math.min(max, Math.round(v)));
    }

    private ResultEvent recordSelfie(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        liveness(found);
        String recordId = DisContract.canonicalUuid(request.getAttributes().get(DisContract.RECORD_ID));
        byte[] image = recordId == null ? null : state.parts().get(found.customer(), found.key(), CustomerParts.recordSelfie(recordId));
        if (image == null) {
            throw DisFailure.notFound("Liveness record selfie");
        }
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        body.put("data", Base64.getEncoder().encodeToString(image));
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    // ------------------------------------------------------------------ evaluation

    private ResultEvent evaluate(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        DisLiveness liveness = liveness(found);
        String type = type(request);
        Evaluation e;
        try {
            e = switch (type) {
                case "PASSIVE_LIVENESS" -> models().passive(selfies(state, found, liveness));
                case "SMILE_LIVENESS" -> models().smile(selfies(state, found, liveness));
                case "EYE_GAZE_LIVENESS" -> models().eyeGaze(selfies(state, found, liveness),
                        liveness.getChallenge().stream().map(Corner::valueOf).toList());
                default -> magnifEye(liveness);
            };
        } catch (InferenceException ex) {
            if (ex.code() == ErrorCode.MODEL_UNAVAILABLE || ex.code() == ErrorCode.CHECK_UNAVAILABLE) {
                throw ex;
            }
            e = new Evaluation(null, io.openbio.inference.dis.DisLiveness.INVALID_DATA, java.util.Map.of("reason", ex.code().name()));
        }
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        if (e.score() != null) {
            body.put("score", e.score());
        } else {
            body.put("errorCode", e.errorCode());
        }
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    /** MAGNIFEYE_LIVENESS: the latest record's evaluation, made when it arrived. */
    private static Evaluation magnifEye(DisLiveness liveness) {
        if (liveness.getRecords().isEmpty()) {
            return new Evaluation(null, io.openbio.inference.dis.DisLiveness.NOT_ENOUGH_DATA, java.util.Map.of("reason", "no liveness record"));
        }
        DisLivenessRecord r = liveness.getRecords().get(liveness.getRecords().size() - 1);
        return new Evaluation(r.getScore(), r.getScore() == null ? r.getErrorCode() : null, java.util.Map.of());
    }
}
