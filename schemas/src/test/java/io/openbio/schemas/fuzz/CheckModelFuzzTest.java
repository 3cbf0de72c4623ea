package io.openbio.schemas.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openbio.schemas.ekyc.CheckModel;

import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the IDLive {@code checkModel} JSON, the request-body parser
 * behind {@code POST /check} (gateway, answered with 400 when invalid) that the eKYC processors run
 * again on the normalised JSON. Contract: for any text, {@link CheckModel#parse} returns a model or
 * throws {@link IllegalArgumentException} (the documented client error); anything else is a finding.
 * A model that parses must survive its own normalisation: {@code parse(m.toJson())} equals {@code m},
 * because the processors re-parse exactly that JSON.
 *
 * <p>{@code mvn verify} replays the seeds and stored findings under
 * {@code src/test/resources/io/openbio/schemas/fuzz/CheckModelFuzzTestInputs/checkModel/};
 * {@code bench/fuzz.sh} fuzzes it with {@code JAZZER_FUZZ=1}.
 */
class CheckModelFuzzTest {

    @FuzzTest
    @DictionaryEntries({"\"operations\"", "\"FACE_CHECK\"", "\"DOC_CHECK\"", "\"FACE_MATCH_VALIDATION\"",
            "\"FACE_MATCH_SEARCH\"", "\"face_check_parameters\"", "\"document_check_parameters\"",
            "\"face_search_parameters\"", "\"domain\"", "\"GENERAL\"", "\"DESKTOP\"", "\"pipelines\"", "\"type\"",
            "\"pipeline\"", "\"calibration\"", "\"REGULAR\"", "\"SOFT\"", "\"HARD\"", "\"PRESENTATION_ATTACK\"",
            "\"DEEPFAKE_ATTACK\"", "\"INJECTION_ATTACK\"", "\"SCREEN_REPLAY_ATTACK\"", "\"PRINTED_COPY_ATTACK\"",
            "\"PORTRAIT_SUBSTITUTION_ATTACK\"", "\"DIGITAL_MANIPULATION_ATTACK\"", "\"collections\"", "\"limit\"",
            "\"max_faces\"", "null", "true", "1e3", "-0", "[]", "{}"})
    void checkModel(byte[] input) {
        // the gateway hands the multipart field over as a String (UTF-8)
        String json = new String(input, StandardCharsets.UTF_8);
        CheckModel model;
        try {
            model = CheckModel.parse(json);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("client error without a message", e);
            }
            return;
        }
        check(!model.operations().isEmpty(), "no operations");
        check(CheckModel.OPERATIONS.containsAll(model.operations()), "unknown operation accepted");
        check(CheckModel.DOMAINS.contains(model.domain()), "unknown domain accepted");
        check(model.limit() >= 1 && model.limit() <= 1000, "limit out of range");
        check(model.maxFaces() >= 1 && model.maxFaces() <= 100, "max_faces out of range");
        check(!model.wants("FACE_MATCH_SEARCH") || !model.collections().isEmpty(), "search without collections");
        for (CheckModel.Pipeline p : model.facePipelines()) {
            check(CheckModel.FACE_TYPES.contains(p.type()) && CheckModel.CALIBRATIONS.contains(p.calibration()), "bad face pipeline");
        }
        for (CheckModel.Pipeline p : model.docPipelines()) {
            check(CheckModel.DOC_TYPES.contains(p.type()) && CheckModel.CALIBRATIONS.contains(p.calibration()), "bad doc pipeline");
        }
        // the processors parse the normalised JSON again: it must parse, to the same model
        String normalised = model.toJson();
        CheckModel again;
        try {
            again = CheckModel.parse(normalised);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("normalised checkModel does not parse: " + normalised, e);
        }
        check(again.equals(model), "normalisation changed the model: " + normalised);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
