package io.openbio.processors.ekyc;

import static io.openbio.processors.ekyc.EkycTestSupport.FULL_MODEL;
import static io.openbio.processors.ekyc.EkycTestSupport.check;
import static io.openbio.processors.ekyc.EkycTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.bundle.BundleWriter;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.bundle.KeyResolver;
import io.openbio.events.ApiResponse;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.SearchPartial;
import io.openbio.events.SearchQuery;
import io.openbio.events.Signal;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.schemas.Topics;
import io.openbio.schemas.ekyc.CheckModel;
import io.openbio.testkit.Drivers;
import io.openbio.testkit.IdCards;
import io.openbio.testkit.Photos;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The IDLive /check stages on TopologyTestDriver with real photos and the real models: the prepare
 * stage's fan-out, and each section stage (face check, document check, match) fed the work items
 * the prepare stage made. The models load once per JVM ({@link Analyzers#shared()}); the two
 * prepare runs the section tests share are made once per class.
 */
class EkycTopologyTest {
    static byte[] manA;
    static byte[] manB;
    static byte[] cardA;
    /** man A's selfie and a card made from man A's photo. */
    static Prepared same;
    /** man B's selfie and the card of man A. */
    static Prepared other;
    static KeyPair serverKey;

    /** Everything one request made the two prepare stages (selfie half, then document half) write. */
    record Prepared(List<KeyValue<String, EkycPart>> parts, List<KeyValue<String, EkycWork>> faceChecks,
                    List<KeyValue<String, EkycWork>> docChecks, List<KeyValue<String, EkycWork>> matches,
                    List<ResultEvent> results, List<KeyValue<String, CaptureAnalysis>> nonceUses, List<SearchQuery> queries,
                    List<KeyValue<String, SearchPartial>> searchErrors) {
        EkycPart plan() {
            List<EkycPart> plans = parts.stream().map(kv -> kv.value).filter(p -> "PLAN".equals(p.getKind())).toList();
            assertThat(plans).as("exactly one PLAN").hasSize(1);
            return plans.get(0);
        }

        /** The sections the prepare stage answered itself, by section name. */
        Map<String, JsonNode> direct() {
            Map<String, JsonNode> sections = new java.util.LinkedHashMap<>();
            parts.stream().map(kv -> kv.value).filter(p -> "SECTION".equals(p.getKind()))
                    .forEach(p -> assertThat(sections.put(p.getSection(), json(p.getJson()))).as("one %s", p.getSection()).isNull());
            return sections;
        }

        EkycWork faceCheck() {
            assertThat(faceChecks).hasSize(1);
            return faceChecks.get(0).value;
        }

        EkycWork docCheck() {
            assertThat(docChecks).hasSize(1);
            return docChecks.get(0).value;
        }

        /** The match work's half from the selfie stage ({@code FACE}) or the document stage ({@code DOCUMENT}). */
        EkycWork half(String half) {
            List<EkycWork> halves = matches.stream().map(kv -> kv.value).filter(w -> half.equals(w.getHalf())).toList();
            assertThat(halves).as("one %s half", half).hasSize(1);
            return halves.get(0);
        }

        /** The validation section the match stage answers once it has both halves. */
        KeyValue<String, EkycPart> validation() {
            List<KeyValue<String, EkycPart>> sections = match(matches);
            assertThat(sections).as("one validation section from the two halves").hasSize(1);
            return sections.get(0);
        }
    }

    /** Runs the match stage's topology over {@code halves} in order; the sections it writes. */
    static List<KeyValue<String, EkycPart>> match(List<KeyValue<String, EkycWork>> halves) {
        try (Drivers.Driver d = Drivers.start(new MatchProcessor(ProcessorSettings.defaults()).topology(Drivers.SERDES))) {
            var works = d.input(Topics.EKYC_MATCHES);
            var parts = d.output(Topics.EKYC_PARTS);
            halves.forEach(kv -> works.pipeInput(kv.key, kv.value));
            return parts.readKeyValuesToList();
        }
    }

    static JsonNode validationJson(Prepared p) {
        EkycPart part = p.validation().value;
        assertThat(part.getKind()).isEqualTo("SECTION");
        assertThat(part.getSection()).isEqualTo(EkycJson.VALIDATION);
        return json(part.getJson());
    }

    static KeyResolver keys() {
        return kid -> kid.equals("k1") ? Optional.of(serverKey.getPrivate()) : Optional.empty();
    }

    /** Both prepare stages on {@code request}: the selfie half's output, then the document half's. */
    static Prepared prepare(RequestEnvelope request) {
        Prepared face = run(new EkycPrepareProcessor(Analyzers::shared, EkycTopologyTest::keys).topology(Drivers.SERDES), request);
        Prepared doc = run(new EkycPrepareDocProcessor(Analyzers::shared, Analyzers::documents, EkycTopologyTest::keys)
                .topology(Drivers.SERDES), request);
        assertThat(face.docChecks()).as("document checks come from the document half").isEmpty();
        assertThat(face.searchErrors()).isEmpty();
        assertThat(doc.faceChecks()).as("face checks come from the selfie half").isEmpty();
        assertThat(doc.results()).as("the selfie half answers invalid requests, not the document half").isEmpty();
        assertThat(doc.nonceUses()).isEmpty();
        assertThat(doc.parts()).noneMatch(kv -> "PLAN".equals(kv.value.getKind()));
        return new Prepared(concat(face.parts(), doc.parts()), face.faceChecks(), doc.docChecks(),
                concat(face.matches(), doc.matches()), face.results(), face.nonceUses(), concat(face.queries(), doc.queries()),
                doc.searchErrors());
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Prepared run(org.apache.kafka.streams.Topology topology, RequestEnvelope request) {
        try (Drivers.Driver d = Drivers.start(topology)) {
            var requests = d.input(Topics.EKYC_REQUESTS);
            var parts = d.output(Topics.EKYC_PARTS);
            var faceChecks = d.output(Topics.EKYC_FACE_CHECKS);
            var docChecks = d.output(Topics.EKYC_DOC_CHECKS);
            var matches = d.output(Topics.EKYC_MATCHES);
            var results = d.output(Topics.RESULTS);
            var nonces = d.output(Topics.CAPTURE_DECRYPTED);
            var queries = d.output(Topics.SEARCH_QUERIES);
            var partials = d.output(Topics.SEARCH_PARTIALS);
            requests.pipeInput(request.getRequestId(), request);
            return new Prepared(parts.readKeyValuesToList(), faceChecks.readKeyValuesToList(), docChecks.readKeyValuesToList(),
                    matches.readKeyValuesToList(), results.readValuesToList(), nonces.readKeyValuesToList(), queries.readValuesToList(),
                    partials.readKeyValuesToList());
        }
    }

    /** Runs one section stage's topology on {@code work}; the one section it writes. */
    static KeyValue<String, EkycPart> section(SectionStage stage, EkycWork work) {
        try (Drivers.Driver d = Drivers.start(stage.topology(Drivers.SERDES))) {
            var input = stage.inputs().get(0);
            @SuppressWarnings("unchecked")
            var works = d.input((io.openbio.schemas.TopicSpec<EkycWork>) input);
            var parts = d.output(Topics.EKYC_PARTS);
            works.pipeInput(work.getEnvelope().getRequestId(), work);
            List<KeyValue<String, EkycPart>> written = parts.readKeyValuesToList();
            assertThat(written).as("one section per work item").hasSize(1);
            KeyValue<String, EkycPart> part = written.get(0);
            assertThat(part.key).isEqualTo(work.getEnvelope().getRequestId());
            assertThat(part.value.getKind()).isEqualTo("SECTION");
            assertThat(part.value.getRequestId()).isEqualTo(work.getEnvelope().getRequestId());
            return part;
        }
    }

    static JsonNode sectionJson(SectionStage stage, EkycWork work, String expectedSection) {
        EkycPart part = section(stage, work).value;
        assertThat(part.getSection()).isEqualTo(expectedSection);
        return json(part.getJson());
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }

    @BeforeAll
    static void prepareOnce() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        serverKey = generator.generateKeyPair();
        manA = Photos.bytes(Photos.MAN_A);
        manB = Photos.bytes(Photos.MAN_B);
        cardA = IdCards.withPortrait(manA);
        same = prepare(check("r-same", FULL_MODEL, false, manA, cardA));
        other = prepare(check("r-other", FULL_MODEL, false, manB, cardA));
    }

    // ---- stage 1: prepare -----------------------------------------------------------------------

    @Test
    void prepareFansAFullCheckOutToAPlanAndOneWorkItemPerStage() {
        assertThat(same.results()).as("no error result").isEmpty();
        assertThat(same.parts()).extracting(kv -> kv.key).containsOnly("r-same");
        assertThat(same.parts()).as("only the PLAN: every section is computed by its stage").hasSize(1);
        EkycPart plan = same.plan();
        assertThat(plan.getRequestId()).isEqualTo("r-same");
        assertThat(plan.getSections()).containsExactly(EkycJson.FACE, EkycJson.DOC, EkycJson.VALIDATION);
        assertThat(plan.getSearches()).isEmpty();
        assertThat(plan.getSearchErrors()).isEmpty();
        assertThat(plan.getNonceExpected()).as("plain images: no nonce verdict to wait for").isFalse();
        assertThat(plan.getEnvelope().getRequestId()).isEqualTo("r-same");
        assertThat(plan.getEnvelope().getReplyTo()).isEqualTo("openbio.replies.gw-test");
        assertThat(plan.getEnvelope().getParts()).as("the plan carries no images").isEmpty();
        assertThat(same.nonceUses()).isEmpty();
        assertThat(same.queries()).isEmpty();

        assertThat(same.faceChecks()).extracting(kv -> kv.key).containsExactly("r-same");
        assertThat(same.docChecks()).extracting(kv -> kv.key).containsExactly("r-same");
        assertThat(same.matches()).as("the selfie half, then the document half").extracting(kv -> kv.key)
                .containsExactly("r-same", "r-same");
        assertThat(same.matches()).extracting(kv -> kv.value.getHalf()).containsExactly(MatchProcessor.FACE_HALF, MatchProcessor.DOCUMENT_HALF);
        for (EkycWork w : List.of(same.faceCheck(), same.docCheck(), same.half("FACE"), same.half("DOCUMENT"))) {
            assertThat(w.getEnvelope().getParts()).as("work carries the request without its parts").isEmpty();
            assertThat(w.getEncrypted()).isFalse();
            assertThat(CheckModel.parse(w.getCheckModel()).operations())
                    .containsExactly("FACE_CHECK", "DOC_CHECK", "FACE_MATCH_VALIDATION");
            assertThat(w.getFaceStatus()).isEqualTo("OK");
            assertThat(w.getDocStatus()).isEqualTo("OK");
        }
    }

    @Test
    void eachStageGetsOnlyWhatItReads() {
        EkycWork face = same.faceCheck();
        assertThat(io.openbio.processors.TestSealing.image(face.getEnvelope(), face.getFaceImage())).as("the selfie as sent").isEqualTo(manA);
        assertThat(face.getFace()).isNotNull();
        assertThat(face.getFace().getInterEyeDistance()).isGreaterThan(30);
        assertThat(face.getFace().getLandmarks()).hasSize(136);
        assertThat(face.getDocImage()).as("face check: no document image").isNull();
        assertThat(face.getPortrait()).isNull();
        assertThat(face.getDocTemplate()).isNull();
        assertThat(face.getFaceTemplate()).as("face check: no template").isNull();

        EkycWork doc = same.docCheck();
        assertThat(io.openbio.processors.TestSealing.image(doc.getEnvelope(), doc.getDocImage())).as("the document as sent").isEqualTo(cardA);
        assertThat(doc.getFaceImage()).as("doc check: no selfie").isNull();
        assertThat(doc.getFace()).isNull();
        assertThat(doc.getFaceTemplate()).isNull();
        assertThat(doc.getSignals()).isEmpty();
        assertThat(doc.getDocTemplate()).as("doc check: no template").isNull();

        for (EkycWork match : List.of(same.half("FACE"), same.half("DOCUMENT"))) {
            assertThat(match.getFaceImage()).as("match: no images").isNull();
            assertThat(match.getDocImage()).as("match: no images").isNull();
            assertThat(match.getFace()).isNull();
            assertThat(match.getPortrait()).isNull();
            assertThat(match.getSignals()).isEmpty();
        }
        assertThat(same.half("FACE").getFaceTemplate()).isNotBlank();
        assertThat(same.half("FACE").getDocTemplate()).isNull();
        assertThat(same.half("DOCUMENT").getDocTemplate()).isNotBlank();
        assertThat(same.half("DOCUMENT").getFaceTemplate()).isNull();
        assertThat(same.half("FACE").getFaceTemplate()).isNotEqualTo(same.half("DOCUMENT").getDocTemplate());
    }

    @Test
    void aSelfieWithoutAFaceIsAnsweredDirectlyWithFaceNotFoundAndNoFaceWork() {
        Prepared p = prepare(check("r-noface", FULL_MODEL, false, EkycTestSupport.noFacePng(), cardA));
        assertThat(p.results()).isEmpty();
        assertThat(p.plan().getSections()).containsExactly(EkycJson.FACE, EkycJson.DOC, EkycJson.VALIDATION);
        assertThat(p.faceChecks()).as("no face-check work for a selfie without a face").isEmpty();
        assertThat(p.half("FACE").getFaceStatus()).isEqualTo("FACE_NOT_FOUND");
        assertThat(p.half("FACE").getFaceTemplate()).isNull();
        assertThat(p.docChecks()).hasSize(1);

        Map<String, JsonNode> direct = p.direct();
        assertThat(direct).containsOnlyKeys(EkycJson.FACE);
        JsonNode face = direct.get(EkycJson.FACE).get("results");
        assertThat(face).hasSize(3);
        List<String> types = new ArrayList<>();
        for (JsonNode entry : face) {
            types.add(entry.get("type").asText());
            assertThat(entry.get("status_code").asText()).isEqualTo("FACE_NOT_FOUND");
            assertThat(entry.get("error").asText()).isEqualTo("Failed to detect face");
            assertThat(entry.has("probability")).isFalse();
        }
        assertThat(types).containsExactly("PRESENTATION_ATTACK", "DEEPFAKE_ATTACK", "INJECTION_ATTACK");
        // named as the successful entries are (seed 002: "pad-r-1", "dfd-1" on FACE_NOT_FOUND entries too)
        assertThat(face.get(0).get("pipeline").asText()).isEqualTo(FaceCheckProcessor.PAD_PIPELINE);
        assertThat(face.get(1).get("pipeline").asText()).isEqualTo(FaceCheckProcessor.DEEPFAKE_PIPELINE);
        assertThat(face.get(0).get("calibration").asText()).isEqualTo("REGULAR");
        assertThat(face.get(2).has("pipeline")).as("the seed's injection entry has no pipeline").isFalse();
        assertThat(face.get(2).has("calibration")).isFalse();
        // the match stage answers the validation section with the selfie's status
        JsonNode validation = validationJson(p);
        assertThat(validation.get("status_code").asText()).isEqualTo("ERROR");
        assertThat(validation.get("error").asText()).isEqualTo("Failed to detect face");
        assertThat(validation.has("probability")).isFalse();
        // the PLAN comes first, so the assembler has it before the direct sections
        assertThat(p.parts().get(0).value.getKind()).isEqualTo("PLAN");
    }

    @Test
    void anUnknownOperationIsA400ResultAndNothingElse() {
        Prepared p = prepare(check("r-bad", "{\"operations\":[\"FACE_CHECK\",\"FLY\"]}", false, manA, cardA));
        assertThat(p.results()).hasSize(1);
        ResultEvent result = p.results().get(0);
        assertThat(result.getRequestId()).isEqualTo("r-bad");
        assertThat(result.getPayload()).isNull();
        assertThat(result.getError().getStatus()).isEqualTo(400);
        assertThat(result.getError().getMessage()).contains("Unknown operation").contains("FLY");
        assertThat(p.parts()).as("no PLAN: the assembler never hears of it").isEmpty();
        assertThat(p.faceChecks()).isEmpty();
        assertThat(p.docChecks()).isEmpty();
        assertThat(p.matches()).isEmpty();
    }

    @Test
    void aPlainImageWithoutEncryptedFalseIsA400FailedToParseFile() {
        Prepared p = prepare(check("r-notbundle", FULL_MODEL, null, manA, cardA));
        assertThat(p.results()).hasSize(1);
        assertThat(p.results().get(0).getError().getStatus()).isEqualTo(400);
        assertThat(p.results().get(0).getError().getMessage()).isEqualTo("Failed to parse file");
        assertThat(p.parts()).isEmpty();
    }

    @Test
    void aDocumentWithoutAPortraitFailsTheValidationSectionWithTheDocumentStatus() {
        byte[] blankCard = IdCards.blank();
        Prepared p = prepare(check("r-noportrait", FULL_MODEL, false, manA, blankCard));
        assertThat(p.results()).isEmpty();
        assertThat(p.faceChecks()).as("the selfie is fine").hasSize(1);
        EkycWork half = p.half("DOCUMENT");
        assertThat(half.getDocStatus()).isIn("DOCUMENT_PHOTO_NOT_FOUND", "DOCUMENT_NOT_FOUND");
        assertThat(half.getDocTemplate()).as("no portrait template").isNull();
        EkycWork doc = p.docCheck();

        assertThat(p.direct()).isEmpty();
        JsonNode validation = validationJson(p);
        assertThat(validation.get("status_code").asText()).isEqualTo("ERROR");
        assertThat(validation.get("error").asText()).isEqualTo(EkycJson.messageFor(half.getDocStatus()))
                .isIn("Failed to detect the document photo", "Failed to detect document");

        // the document stage still answers, every check failing with the document's status
        JsonNode results = sectionJson(new DocCheckProcessor(Analyzers::documents), doc, EkycJson.DOC).get("results");
        assertThat(results).hasSize(4);
        for (JsonNode entry : results) {
            assertThat(entry.get("status_code").asText()).as("%s", entry).isIn("DOCUMENT_PHOTO_NOT_FOUND", "DOCUMENT_NOT_FOUND");
            assertThat(entry.has("probability")).isFalse();
            assertThat(entry.get("quality_warnings").isArray()).isTrue();
        }
    }

    @Test
    void faceMatchSearchScattersOneQueryPerCollectionAndImageSourceAndPlansTheOnesItCannotRun() {
        String model = "{\"operations\":[\"FACE_MATCH_SEARCH\"],\"face_search_parameters\":{\"collections\":[\"c1\",\"c2\"],\"limit\":3}}";
        Prepared p = prepare(check("r-search", model, false, EkycTestSupport.noFacePng(), cardA));
        assertThat(p.results()).isEmpty();
        EkycPart plan = p.plan();
        assertThat(plan.getSections()).containsExactly(EkycJson.SEARCH);
        assertThat(plan.getSearches()).as("the document portrait is searchable").containsExactly("c1|DOCUMENT", "c2|DOCUMENT");
        assertThat(plan.getSearchErrors()).as("the selfie has no face")
                .containsExactlyInAnyOrderEntriesOf(Map.of("c1|FACE", "Failed to detect face", "c2|FACE", "Failed to detect face"));
        assertThat(plan.getSearchLimit()).isEqualTo(3);
        assertThat(p.direct()).as("searches are answered by the assembler from the shards' partials").isEmpty();
        assertThat(p.faceChecks()).isEmpty();
        assertThat(p.docChecks()).isEmpty();
        assertThat(p.matches()).isEmpty();
        assertThat(p.searchErrors()).isEmpty();
        assertThat(p.queries()).extracting(SearchQuery::getCollection).containsExactly("c1", "c2");
        for (SearchQuery q : p.queries()) {
            assertThat(q.getRequestId()).isEqualTo("r-search");
            assertThat(q.getTenant()).isEqualTo("t1");
            assertThat(q.getImageSource()).isEqualTo("DOCUMENT");
            assertThat(q.getLimit()).isEqualTo(3);
            assertThat(q.getPartitions()).isEqualTo(Topics.SEARCH_QUERIES.partitions());
            assertThat(io.openbio.processors.TestSealing.vector(q)).isNotEmpty();
            double norm = Math.sqrt(io.openbio.processors.TestSealing.vector(q).stream().mapToDouble(v -> v * v).sum());
            assertThat(norm).as("an L2-normalised template vector").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void aDocumentWithoutAPortraitAnswersItsSearchesAsErrorPartialsAndADocCheckWithoutADocumentDirectly() {
        String model = "{\"operations\":[\"DOC_CHECK\",\"FACE_MATCH_SEARCH\"],\"face_search_parameters\":{\"collections\":[\"c1\"]}}";
        Prepared p = prepare(check("r-blank", model, false, manA, IdCards.blank()));
        assertThat(p.plan().getSearches()).as("both searches are planned: the selfie half cannot know the portrait is missing")
                .containsExactly("c1|FACE", "c1|DOCUMENT");
        assertThat(p.queries()).extracting(SearchQuery::getImageSource).containsExactly("FACE");
        assertThat(p.searchErrors()).hasSize(1);
        KeyValue<String, SearchPartial> error = p.searchErrors().get(0);
        assertThat(error.key).as("keyed by request id, co-partitioned with the assembler's parts").isEqualTo("r-blank");
        assertThat(error.value.getCollection()).isEqualTo("c1");
        assertThat(error.value.getImageSource()).isEqualTo("DOCUMENT");
        assertThat(error.value.getPartitions()).as("one partial completes it").isEqualTo(1);
        assertThat(error.value.getError()).isIn("Failed to detect the document photo", "Failed to detect document");
        assertThat(p.docChecks()).as("the document check still runs its pipelines").hasSize(1);

        Prepared noDoc = prepare(check("r-nodoc", model, false, manA, null));
        assertThat(noDoc.plan().getSearches()).as("no document sent: no DOCUMENT search").containsExactly("c1|FACE");
        assertThat(noDoc.searchErrors()).isEmpty();
        assertThat(noDoc.docChecks()).isEmpty();
        JsonNode doc = noDoc.direct().get(EkycJson.DOC);
        assertThat(doc.get("results")).hasSize(4);
        doc.get("results").forEach(e -> assertThat(e.get("status_code").asText()).isEqualTo("DOCUMENT_NOT_FOUND"));
        assertThat(doc.get("results")).extracting(e -> e.get("pipeline").asText())
                .as("the pipelines that would have run, as on a found document")
                .containsExactly("default-sr", "default-pc", "default-ps", "default-dm");
    }

    @Test
    void eachHalfOnlyAnalysesWhatTheRequestedOperationsRead() {
        // DOC_CHECK alone: the selfie half plans, but sends no selfie work; the document check analyses the document itself
        Prepared docOnly = prepare(check("r-doconly", "{\"operations\":[\"DOC_CHECK\"]}", false, manA, cardA));
        assertThat(docOnly.plan().getSections()).containsExactly(EkycJson.DOC);
        assertThat(docOnly.faceChecks()).isEmpty();
        assertThat(docOnly.matches()).isEmpty();
        assertThat(docOnly.queries()).isEmpty();
        assertThat(docOnly.direct()).isEmpty();
        assertThat(io.openbio.processors.TestSealing.image(docOnly.docCheck().getEnvelope(), docOnly.docCheck().getDocImage())).isEqualTo(cardA);
        assertThat(docOnly.docCheck().getDocTemplate()).as("no portrait template made for it").isNull();
    }

    // ---- section stages -------------------------------------------------------------------------

    @Test
    void faceCheckStageAnswersPresentationAttackDeepfakeErrorAndInjectionErrorForAPlainImage() {
        JsonNode results = sectionJson(new FaceCheckProcessor(Analyzers::shared), same.faceCheck(), EkycJson.FACE).get("results");
        assertThat(results).hasSize(3);

        JsonNode pad = results.get(0);
        assertThat(pad.get("type").asText()).isEqualTo("PRESENTATION_ATTACK");
        assertThat(pad.get("pipeline").asText()).isEqualTo(FaceCheckProcessor.PAD_PIPELINE);
        assertThat(pad.get("calibration").asText()).isEqualTo("REGULAR");
        assertThat(pad.get("status_code").asText()).isEqualTo("OK");
        assertThat(pad.get("probability").asDouble()).isBetween(0.0, 1.0);
        assertThat(pad.has("error")).isFalse();
        assertThat(pad.get("quality").asDouble()).as("the seed shows quality: the detector's confidence for the face")
                .isEqualTo(same.faceCheck().getFace().getScore()).isBetween(0.5, 1.0);

        JsonNode deepfake = results.get(1);
        assertThat(deepfake.get("type").asText()).isEqualTo("DEEPFAKE_ATTACK");
        assertThat(deepfake.get("pipeline").asText()).isEqualTo(FaceCheckProcessor.DEEPFAKE_PIPELINE);
        assertThat(deepfake.get("status_code").asText()).isEqualTo("ERROR");
        assertThat(deepfake.get("error").asText()).isNotBlank().containsIgnoringCase("deepfake");
        assertThat(deepfake.has("probability")).as("no made-up deepfake probability").isFalse();

        JsonNode injection = results.get(2);
        assertThat(injection.get("type").asText()).isEqualTo("INJECTION_ATTACK");
        assertThat(injection.get("status_code").asText()).isEqualTo("ERROR");
        assertThat(injection.get("error").asText()).contains("encrypted");
        assertThat(injection.has("probability")).isFalse();
    }

    @Test
    void faceCheckStageAppliesTheRequestedCalibrationAndRejectsAnUnknownPipeline() {
        String model = "{\"operations\":[\"FACE_CHECK\"],\"face_check_parameters\":{\"pipelines\":["
                + "{\"type\":\"PRESENTATION_ATTACK\",\"calibration\":\"SOFT\"},{\"type\":\"PRESENTATION_ATTACK\",\"calibration\":\"HARD\"},"
                + "{\"type\":\"PRESENTATION_ATTACK\",\"pipeline\":\"no-such-pad\"}]}}";
        EkycWork work = EkycWork.newBuilder(same.faceCheck()).setCheckModel(CheckModel.parse(model).toJson()).build();
        JsonNode results = sectionJson(new FaceCheckProcessor(Analyzers::shared), work, EkycJson.FACE).get("results");
        assertThat(results).hasSize(3);
        double soft = results.get(0).get("probability").asDouble();
        double hard = results.get(1).get("probability").asDouble();
        assertThat(soft).isBetween(0.0, 1.0);
        assertThat(hard).isBetween(0.0, 1.0);
        assertThat(soft).as("SOFT decides at raw 0.25, HARD at 0.75: same raw score, SOFT calibrated higher").isGreaterThanOrEqualTo(hard);
        assertThat(results.get(2).get("status_code").asText()).isEqualTo("ERROR");
        assertThat(results.get(2).get("pipeline").asText()).isEqualTo("no-such-pad");
        assertThat(results.get(2).get("error").asText()).contains("no-such-pad").contains(FaceCheckProcessor.PAD_PIPELINE);
    }

    /** The seed's example ids (pad-r-1, dfd-1) name our pipelines and come back as asked; another id is that entry's ERROR. */
    @Test
    void faceCheckStageAcceptsTheSeedsPipelineIdsAndEchoesThem() {
        String model = "{\"operations\":[\"FACE_CHECK\"],\"face_check_parameters\":{\"pipelines\":["
                + "{\"type\":\"PRESENTATION_ATTACK\",\"pipeline\":\"pad-r-1\"},{\"type\":\"DEEPFAKE_ATTACK\",\"pipeline\":\"dfd-1\"},"
                + "{\"type\":\"DEEPFAKE_ATTACK\",\"pipeline\":\"dfd-9\"},{\"type\":\"PRESENTATION_ATTACK\"}]}}";
        EkycWork work = EkycWork.newBuilder(same.faceCheck()).setCheckModel(CheckModel.parse(model).toJson()).build();
        JsonNode results = sectionJson(new FaceCheckProcessor(Analyzers::shared), work, EkycJson.FACE).get("results");
        assertThat(results).hasSize(4);
        JsonNode seedPad = results.get(0);
        assertThat(seedPad.get("pipeline").asText()).isEqualTo("pad-r-1");
        assertThat(seedPad.get("status_code").asText()).isEqualTo("OK");
        assertThat(seedPad.get("probability").asDouble()).as("the same pipeline as ours")
                .isEqualTo(results.get(3).get("probability").asDouble());
        assertThat(results.get(3).get("pipeline").asText()).isEqualTo(FaceCheckProcessor.PAD_PIPELINE);
        JsonNode seedDeepfake = results.get(1);
        assertThat(seedDeepfake.get("pipeline").asText()).isEqualTo("dfd-1");
        assertThat(seedDeepfake.get("error").asText()).as("known id, no model").containsIgnoringCase("deepfake")
                .doesNotContain("Unknown pipeline");
        assertThat(results.get(2).get("status_code").asText()).isEqualTo("ERROR");
        assertThat(results.get(2).get("error").asText()).startsWith("Unknown pipeline 'dfd-9'");
    }

    @Test
    void aWorkItemAStageCannotProcessBecomesItsErrorSectionNotAStuckPartition() {
        // no selfie bytes in the face-check work, no document in the doc-check work: the stages answer
        // their section's ERROR form instead of failing the stream thread on every retry
        EkycWork noImage = EkycWork.newBuilder(same.faceCheck()).setFaceImage(null).build();
        JsonNode face = sectionJson(new FaceCheckProcessor(Analyzers::shared), noImage, EkycJson.FACE).get("results");
        assertThat(face).hasSize(3);
        face.forEach(e -> assertThat(e.get("status_code").asText()).isEqualTo("ERROR"));
        assertThat(face.get(0).get("error").asText()).isEqualTo("The face_result stage failed");

        EkycWork noDocument = EkycWork.newBuilder(same.docCheck()).setDocImage(null).build();
        JsonNode doc = sectionJson(new DocCheckProcessor(Analyzers::documents), noDocument, EkycJson.DOC).get("results");
        assertThat(doc).hasSize(4);
        doc.forEach(e -> assertThat(e.get("status_code").asText()).isEqualTo("ERROR"));

        EkycWork badModel = EkycWork.newBuilder(same.faceCheck()).setCheckModel("{").build();
        JsonNode plain = sectionJson(new FaceCheckProcessor(Analyzers::shared), badModel, EkycJson.FACE);
        assertThat(plain.get("status_code").asText()).isEqualTo("ERROR");
    }

    @Test
    void matchStageScoresTheSamePersonHighAndAnotherPersonLow() {
        JsonNode sameMatch = validationJson(same);
        assertThat(same.validation().key).isEqualTo("r-same");
        assertThat(same.validation().value.getRequestId()).isEqualTo("r-same");
        assertThat(sameMatch.get("status_code").asText()).isEqualTo("OK");
        assertThat(sameMatch.get("probability").asDouble()).as("man A vs the card with man A's photo").isGreaterThan(0.5);

        JsonNode otherMatch = validationJson(other);
        assertThat(otherMatch.get("status_code").asText()).isEqualTo("OK");
        assertThat(otherMatch.get("probability").asDouble()).as("man B vs the card with man A's photo").isLessThan(0.5);
    }

    @Test
    void matchStageJoinsTheHalvesInEitherOrderAndOnlyOnce() {
        KeyValue<String, EkycWork> face = same.matches().get(0);
        KeyValue<String, EkycWork> doc = same.matches().get(1);
        String forward = match(List.of(face, doc)).get(0).value.getJson();
        List<KeyValue<String, EkycPart>> reversed = match(List.of(doc, face));
        assertThat(reversed).hasSize(1);
        assertThat(reversed.get(0).value.getJson()).as("the same answer whichever half comes first").isEqualTo(forward);
        assertThat(match(List.of(face, face))).as("a redelivered half is not its own partner").isEmpty();
        assertThat(match(List.of(face, face, doc))).hasSize(1);
        // another request's half does not complete this one
        KeyValue<String, EkycWork> otherDoc = new KeyValue<>("r-other", other.half("DOCUMENT"));
        assertThat(match(List.of(face, otherDoc))).isEmpty();
    }

    @Test
    void matchStageDropsAHalfWhosePartnerNeverCame() {
        KeyValue<String, EkycWork> face = same.matches().get(0);
        KeyValue<String, EkycWork> doc = same.matches().get(1);
        try (Drivers.Driver d = Drivers.start(new MatchProcessor(ProcessorSettings.defaults()).topology(Drivers.SERDES))) {
            var works = d.input(Topics.EKYC_MATCHES);
            var parts = d.output(Topics.EKYC_PARTS);
            works.pipeInput(face.key, face.value);
            var store = d.<String, EkycWork>getKeyValueStore(MatchProcessor.STORE);
            assertThat(store.get("r-same")).as("the first half waits").isNotNull();
            // past the assembly timeout (the assembler has answered ERROR by then), measured from the request's creation
            d.advanceWallClockTime(java.time.Duration.ofSeconds(30));
            assertThat(store.get("r-same")).as("dropped").isNull();
            works.pipeInput(doc.key, doc.value);
            assertThat(parts.readKeyValuesToList()).as("a late half waits for a partner that will not come").isEmpty();
        }
    }

    @Test
    void matchStageAnswersAnErrorForATemplateItCannotRead() {
        EkycWork broken = EkycWork.newBuilder(same.half("FACE")).setHalf(null).setDocTemplate("AAAA").build();
        List<KeyValue<String, EkycPart>> written = match(List.of(new KeyValue<>("r-same", broken)));
        assertThat(written).as("a work item with both templates is answered at once").hasSize(1);
        JsonNode section = json(written.get(0).value.getJson());
        assertThat(section.get("status_code").asText()).isEqualTo("ERROR");
        assertThat(section.get("error").asText()).isEqualTo("Failed to compare the faces");
        assertThat(section.has("probability")).isFalse();
    }

    @Test
    void docCheckStageAnswersTheFourDocumentPipelines() {
        JsonNode results = sectionJson(new DocCheckProcessor(Analyzers::documents), same.docCheck(), EkycJson.DOC).get("results");
        assertThat(results).hasSize(4);
        List<String> types = new ArrayList<>();
        for (JsonNode entry : results) {
            types.add(entry.get("type").asText());
            assertThat(entry.get("pipeline").asText()).as("%s", entry).isNotBlank();
            assertThat(entry.get("calibration").asText()).isEqualTo("REGULAR");
            assertThat(entry.get("quality_warnings").isArray()).isTrue();
            assertThat(entry.get("status_code").asText()).as("card found with its portrait: %s", entry).isEqualTo("OK");
            assertThat(entry.get("probability").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(types).containsExactlyElementsOf(CheckModel.DOC_TYPES);
        assertThat(results.get(0).get("pipeline").asText()).isEqualTo("default-sr");
    }

    @Test
    void anEncryptedSelfieBundleGetsInjectionDetectionAndANonceCheck() {
        long now = System.currentTimeMillis();
        CaptureMetadata meta = new CaptureMetadata("n-ekyc", now - 1000, now, Map.of("os", "Linux"),
                new CameraInfo("Integrated Camera", null, null, "user"), "test", "1");
        byte[] bundle = BundleWriter.write(new CaptureBundle(meta, List.of(new CaptureFrame(manA, "image/jpeg", now - 500, null, null))),
                serverKey.getPublic(), "k1");
        Prepared p = prepare(check("r-enc", "{\"operations\":[\"FACE_CHECK\"]}", true, bundle, null));
        assertThat(p.results()).isEmpty();
        assertThat(p.plan().getSections()).containsExactly(EkycJson.FACE);
        assertThat(p.plan().getNonceExpected()).isTrue();
        assertThat(p.nonceUses()).hasSize(1);
        assertThat(p.nonceUses().get(0).key).as("keyed by nonce for the nonce stage").isEqualTo("n-ekyc");
        assertThat(p.nonceUses().get(0).value.getFrames()).as("the nonce stage does not read frames").isEmpty();
        assertThat(p.nonceUses().get(0).value.getEnvelope().getRequestId()).isEqualTo("r-enc");
        assertThat(p.docChecks()).isEmpty();
        assertThat(p.matches()).isEmpty();
        assertThat(p.parts()).as("FACE_CHECK only: the document half does nothing").hasSize(1);

        EkycWork work = p.faceCheck();
        assertThat(work.getEncrypted()).isTrue();
        assertThat(io.openbio.processors.TestSealing.image(work.getEnvelope(), work.getFaceImage())).as("the bundle's frame, decrypted").isEqualTo(manA);
        assertThat(work.getSignals()).extracting(Signal::getName).contains("timing", "virtual_camera");
        assertThat(work.getSignals()).as("%s", work.getSignals()).allMatch(Signal::getPassed);

        JsonNode injection = sectionJson(new FaceCheckProcessor(Analyzers::shared), work, EkycJson.FACE).get("results").get(2);
        assertThat(injection.get("type").asText()).isEqualTo("INJECTION_ATTACK");
        assertThat(injection.get("status_code").asText()).isEqualTo("OK");
        assertThat(injection.get("probability").asDouble()).isEqualTo(1.0);

        // a virtual camera fails a signal: injection probability 0
        EkycWork flagged = EkycWork.newBuilder(work).setSignals(List.of(new Signal("virtual_camera", false, "OBS", null))).build();
        JsonNode flaggedEntry = sectionJson(new FaceCheckProcessor(Analyzers::shared), flagged, EkycJson.FACE).get("results").get(2);
        assertThat(flaggedEntry.get("probability").asDouble()).isZero();
    }

    // ---- the chain ------------------------------------------------------------------------------

    @Test
    void theStagesSectionsAssembleIntoOneIdliveAnswer() {
        List<KeyValue<String, EkycPart>> parts = new ArrayList<>(same.parts());
        parts.add(same.validation());
        parts.add(section(new DocCheckProcessor(Analyzers::documents), same.docCheck()));
        parts.add(section(new FaceCheckProcessor(Analyzers::shared), same.faceCheck()));
        try (Drivers.Driver d = Drivers.start(new AssemblerProcessor(ProcessorSettings.defaults()).topology(Drivers.SERDES))) {
            var input = d.input(Topics.EKYC_PARTS);
            var results = d.output(Topics.RESULTS);
            parts.forEach(kv -> input.pipeInput(kv.key, kv.value));
            List<ResultEvent> answers = results.readValuesToList();
            assertThat(answers).hasSize(1);
            ResultEvent answer = answers.get(0);
            assertThat(answer.getRequestId()).isEqualTo("r-same");
            assertThat(answer.getOperation()).isEqualTo(EkycPrepareProcessor.OPERATION);
            assertThat(answer.getError()).isNull();
            ApiResponse response = (ApiResponse) answer.getPayload();
            assertThat(response.getStatus()).isEqualTo(200);
            JsonNode body = json(io.openbio.processors.TestSealing.json(answer));
            List<String> order = new ArrayList<>();
            body.fieldNames().forEachRemaining(order::add);
            assertThat(order).as("the PLAN's order, not the arrival order").containsExactly(EkycJson.FACE, EkycJson.DOC, EkycJson.VALIDATION);
            assertThat(body.at("/face_result/results")).hasSize(3);
            assertThat(body.at("/face_result/results/0/status_code").asText()).isEqualTo("OK");
            assertThat(body.at("/doc_result/results")).hasSize(4);
            assertThat(body.at("/face_validation_result/probability").asDouble()).isGreaterThan(0.5);
        }
    }
}
