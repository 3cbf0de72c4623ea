package io.openbio.processors.ekyc;

import io.openbio.bundle.KeyResolver;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.SearchQuery;
import io.openbio.events.Signal;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.capture.CaptureSignals;
import io.openbio.processors.capture.DecryptProcessor;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Faces;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.ServerKeys;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.ekyc.CheckModel;
import io.openbio.schemas.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * IDLive {@code /check}, stage 1, the selfie half: opens the request (decrypting capture bundles
 * when {@code encrypted=true}; a bad checkModel or bundle is answered here with the API's 400),
 * finds the selfie face and makes its template, and fans out: the PLAN to the assembler, the
 * face-check work, the selfie half of the match work, one search query per collection for the FACE
 * image source (multicast to every search shard) and the nonce use of a selfie bundle. A section
 * whose input failed validation (face not found...) goes straight to the assembler with its status.
 *
 * <p>The document half (localisation, portrait, its template; the document check, the document
 * half of the match and the DOCUMENT searches) is {@link EkycPrepareDocProcessor}, a stage of its
 * own reading the same requests: the face check then runs while the document is still being
 * analysed, instead of after it, and each half scales by itself.
 */
public final class EkycPrepareProcessor implements StreamProcessor {
    public static final String NAME = EkycContract.PREPARE_SELFIE.name();
    public static final String OPERATION = EkycContract.CHECK;

    private final Supplier<FaceAnalyzer> analyzer;
    private final Supplier<KeyResolver> keys;

    public EkycPrepareProcessor() {
        this(Analyzers::shared, ServerKeys::shared);
    }

    public EkycPrepareProcessor(Supplier<FaceAnalyzer> analyzer, Supplier<KeyResolver> keys) {
        this.analyzer = analyzer;
        this.keys = keys;
    }

    @Override
    public Stage stage() {
        return EkycContract.PREPARE_SELFIE;
    }

    /** Everything one request fans out to from the selfie half. */
    record Fanout(List<EkycPart> parts, EkycWork faceCheck, EkycWork match, List<SearchQuery> queries,
                  io.openbio.events.ResultEvent failed, io.openbio.events.CaptureAnalysis nonceUse) {
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicSpec<RequestEnvelope> in = Topics.EKYC_REQUESTS;
        KStream<String, Fanout> fanouts = builder
                .stream(in.name(), in.consumed(serdes).withName("ekyc-requests"))
                .filter((key, request) -> request != null)
                .mapValues(this::prepare);
        Results.publish(fanouts.filter((k, f) -> f.failed() != null).mapValues(Fanout::failed), serdes);
        KStream<String, Fanout> ok = fanouts.filter((k, f) -> f.failed() == null);
        ok.flatMapValues(Fanout::parts)
                .to(Topics.EKYC_PARTS.name(), Topics.EKYC_PARTS.produced(serdes));
        send(ok.filter((k, f) -> f.faceCheck() != null).mapValues(Fanout::faceCheck), Topics.EKYC_FACE_CHECKS, serdes);
        send(ok.filter((k, f) -> f.match() != null).mapValues(Fanout::match), Topics.EKYC_MATCHES, serdes);
        ok.filter((k, f) -> f.nonceUse() != null)
                .map((k, f) -> org.apache.kafka.streams.KeyValue.pair(f.nonceUse().getNonce(), f.nonceUse()))
                .to(Topics.CAPTURE_DECRYPTED.name(), Topics.CAPTURE_DECRYPTED.produced(serdes));
        scatter(ok.flatMapValues(Fanout::queries), serdes);
        return builder.build();
    }

    static void send(KStream<String, EkycWork> work, TopicSpec<EkycWork> topic, EventSerdes serdes) {
        work.to(topic.name(), topic.produced(serdes));
    }

    /** Search queries go to every search shard (see {@link io.openbio.processors.search.SearchScatter}). */
    static void scatter(KStream<String, SearchQuery> queries, EventSerdes serdes) {
        queries.to(Topics.SEARCH_QUERIES.name(),
                Topics.SEARCH_QUERIES.produced(serdes).withStreamPartitioner(new io.openbio.processors.search.SearchScatter()));
    }

    Fanout prepare(RequestEnvelope request) {
        List<StageTrace> trace = List.of(Results.trace(NAME));
        try {
            CheckInputs inputs;
            try {
                inputs = CheckInputs.open(request, keys.get());
            } catch (CheckInputs.Invalid e) {
                return failed(Results.error(request, trace, 400, "UNKNOWN", e.getMessage()));
            }
            CheckModel model = inputs.model();
            CheckInputs.Opened face = inputs.face();
            RequestEnvelope bare = bare(request);
            EkycWork.Builder work = EkycWork.newBuilder().setEnvelope(bare).setCheckModel(model.toJson()).setEncrypted(inputs.encrypted());

            Template faceTemplate = null;
            io.openbio.events.CaptureAnalysis nonceUse = null;
            boolean selfieNeeded = model.wants("FACE_CHECK") || model.wants("FACE_MATCH_VALIDATION") || model.wants("FACE_MATCH_SEARCH");
            if (face != null && selfieNeeded) {
                work.setFaceImage(io.openbio.processors.core.Sealing.sealImage(request, face.image()));
                try {
                    DecodedImage image = analyzer.get().decode(face.image());
                    Face found = model.maxFaces() <= 1 ? analyzer.get().detect(image)
                            : analyzer.get().requireAtMost(image, model.maxFaces()).stream().findFirst()
                            .orElseThrow(() -> new InferenceException(io.openbio.inference.ErrorCode.FACE_NOT_FOUND, "no face"));
                    work.setFace(Faces.toEvent(found));
                    if (model.wants("FACE_MATCH_VALIDATION") || model.wants("FACE_MATCH_SEARCH")) {
                        faceTemplate = analyzer.get().embed(image, found);
                        work.setFaceTemplate(io.openbio.processors.core.Sealing.sealTemplate(request, faceTemplate.encode()));
                    }
                } catch (InferenceException e) {
                    work.setFaceStatus(statusOf(e));
                }
                if (face.bundle() != null) {
                    io.openbio.events.CaptureAnalysis capture = DecryptProcessor.analysis(request, face.kid(), face.bundle(), trace);
                    List<Signal> signals = new ArrayList<>(CaptureSignals.evaluate(capture));
                    work.setSignals(signals);
                    // the nonce stage checks single use; without the frames, which it does not read
                    nonceUse = io.openbio.events.CaptureAnalysis.newBuilder(capture).setFrames(List.of()).build();
                }
            } else if (face == null) {
                work.setFaceStatus("FACE_NOT_FOUND");
            } // else: a selfie no requested operation reads (DOC_CHECK alone) is not analysed
            EkycWork built = work.build();
            boolean injection = model.wants("FACE_CHECK") && model.facePipelines().stream().anyMatch(p -> p.type().equals("INJECTION_ATTACK"));
            return fanout(request, bare, model, built, faceTemplate, face != null, inputs.doc() != null,
                    injection && "OK".equals(built.getFaceStatus()) ? nonceUse : null);
        } catch (InferenceException e) {
            return failed(Stages.inferenceError(request, trace, e));
        } catch (RuntimeException e) {
            return failed(Stages.unexpected(NAME, request, trace, e));
        }
    }

    /** The request without its image parts: what every later event carries. */
    static RequestEnvelope bare(RequestEnvelope request) {
        return RequestEnvelope.newBuilder(request).setParts(List.of()).build();
    }

    private Fanout fanout(RequestEnvelope request, RequestEnvelope bare, CheckModel model, EkycWork work,
                          Template faceTemplate, boolean hasFace, boolean hasDoc,
                          io.openbio.events.CaptureAnalysis nonceUse) {
        String id = request.getRequestId();
        List<EkycPart> parts = new ArrayList<>();
        List<String> sections = model.operations().stream().map(EkycJson::sectionOf).toList();
        List<String> searches = new ArrayList<>();
        Map<String, String> searchErrors = new LinkedHashMap<>();
        List<SearchQuery> queries = new ArrayList<>();
        EkycWork faceCheck = null;
        EkycWork match = null;
        List<EkycPart> direct = new ArrayList<>();

        if (model.wants("FACE_CHECK")) {
            if ("OK".equals(work.getFaceStatus())) {
                // each stage gets only what it reads: less to serialize and carry per hop
                faceCheck = EkycWork.newBuilder(work).setFaceTemplate(null).build();
            } else {
                direct.add(section(id, EkycJson.FACE, EkycJson.failedChecks(model.facePipelines(), work.getFaceStatus(),
                        EkycJson.messageFor(work.getFaceStatus()), false)));
            }
        }
        if (model.wants("FACE_MATCH_VALIDATION")) {
            // the match stage joins this with the document half and answers the section
            match = EkycWork.newBuilder(work).setFaceImage(null).setFace(null).setSignals(List.of()).setHalf(MatchProcessor.FACE_HALF).build();
        }
        if (model.wants("FACE_MATCH_SEARCH")) {
            for (String collection : model.collections()) {
                addSearch(request, collection, "FACE", hasFace, faceTemplate, work.getFaceStatus(), model, searches, searchErrors, queries);
                if (hasDoc) {
                    // the document prepare stage scatters this one, or answers its error as a partial
                    searches.add(collection + "|DOCUMENT");
                }
            }
        }
        parts.add(EkycPart.newBuilder().setRequestId(id).setKind("PLAN").setEnvelope(bare).setSections(sections)
                .setSearches(searches).setSearchErrors(searchErrors).setSearchLimit(model.limit())
                .setNonceExpected(nonceUse != null).build());
        parts.addAll(direct);
        return new Fanout(parts, faceCheck, match, queries, null, nonceUse);
    }

    private static void addSearch(RequestEnvelope request, String collection, String source, boolean given, Template template,
                                  String status, CheckModel model, List<String> searches, Map<String, String> errors,
                                  List<SearchQuery> queries) {
        if (!given) {
            return;
        }
        String key = collection + "|" + source;
        if (template == null) {
            errors.put(key, EkycJson.messageFor(status));
            return;
        }
        searches.add(key);
        queries.add(query(request, collection, source, template, model));
    }

    /** The search of {@code template} over {@code collection}, for every search shard. */
    static SearchQuery query(RequestEnvelope request, String collection, String source, Template template, CheckModel model) {
        return SearchQuery.newBuilder().setRequestId(request.getRequestId()).setTenant(request.getTenant())
                .setCollection(collection).setImageSource(source).setModelVersion(template.modelVersion())
                .setSealedVector(io.openbio.processors.core.Sealing.sealVector(request.getTenant(), request.getRequestId(), template.vector())).setLimit(model.limit()).setPartitions(io.openbio.processors.search.SearchScatter.partitions()).build();
    }

    static EkycPart section(String requestId, String section, String json) {
        return EkycPart.newBuilder().setRequestId(requestId).setKind("SECTION").setSection(section).setJson(json).build();
    }

    private static Fanout failed(io.openbio.events.ResultEvent result) {
        return new Fanout(List.of(), null, null, List.of(), result, null);
    }

    static String statusOf(InferenceException e) {
        return switch (e.code()) {
            case FACE_NOT_FOUND, FACE_TOO_SMALL, MULTIPLE_FACES, IMAGE_TOO_LARGE -> e.code().name();
            case INVALID_IMAGE, IMAGE_TRUNCATED -> "INVALID_IMAGE";
            default -> "ERROR";
        };
    }
}
