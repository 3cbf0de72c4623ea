package io.openbio.processors.ekyc;

import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.KeyResolver;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.SearchQuery;
import io.openbio.events.Signal;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.document.DocumentAnalysis;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.document.DocumentStatus;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.capture.CaptureSignals;
import io.openbio.processors.capture.DecryptProcessor;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Faces;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.ServerKeys;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.ekyc.CheckModel;
import io.openbio.schemas.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * IDLive {@code /check}, stage 1: opens the selfie and document (decrypting capture bundles when
 * {@code encrypted=true}), finds the selfie face and the document portrait, makes their templates,
 * and fans the request out: a PLAN to the assembler, one work item per requested operation to its
 * stage (face check, document check, match), one search query per collection and image source,
 * multicast to every search shard. A section whose input is missing or failed validation (face not
 * found...) goes straight to the assembler with its status code.
 */
public final class EkycPrepareProcessor implements StreamProcessor {
    public static final String NAME = "ekyc-prepare";
    public static final String OPERATION = "ekyc.check";

    private final Supplier<FaceAnalyzer> analyzer;
    private final Supplier<DocumentAnalyzer> documents;
    private final Supplier<KeyResolver> keys;

    public EkycPrepareProcessor() {
        this(Analyzers::shared, Analyzers::documents, ServerKeys::shared);
    }

    public EkycPrepareProcessor(Supplier<FaceAnalyzer> analyzer, Supplier<DocumentAnalyzer> documents, Supplier<KeyResolver> keys) {
        this.analyzer = analyzer;
        this.documents = documents;
        this.keys = keys;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TopicSpec<?>> inputs() {
        return List.of(Topics.EKYC_REQUESTS);
    }

    /** Everything one request fans out to. */
    record Fanout(List<EkycPart> parts, EkycWork faceCheck, EkycWork docCheck, EkycWork match, List<SearchQuery> queries,
                  io.openbio.events.ResultEvent failed, io.openbio.events.CaptureAnalysis nonceUse) {
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicSpec<RequestEnvelope> in = Topics.EKYC_REQUESTS;
        KStream<String, Fanout> fanouts = builder
                .stream(in.name(), Consumed.with(in.keySerde(), in.valueSerde(serdes)).withName("ekyc-requests"))
                .filter((key, request) -> request != null)
                .mapValues(this::prepare);
        Results.publish(fanouts.filter((k, f) -> f.failed() != null).mapValues(Fanout::failed), serdes);
        KStream<String, Fanout> ok = fanouts.filter((k, f) -> f.failed() == null);
        ok.flatMapValues(Fanout::parts)
                .to(Topics.EKYC_PARTS.name(), Produced.with(Topics.EKYC_PARTS.keySerde(), Topics.EKYC_PARTS.valueSerde(serdes)));
        send(ok.filter((k, f) -> f.faceCheck() != null).mapValues(Fanout::faceCheck), Topics.EKYC_FACE_CHECKS, serdes);
        send(ok.filter((k, f) -> f.docCheck() != null).mapValues(Fanout::docCheck), Topics.EKYC_DOC_CHECKS, serdes);
        send(ok.filter((k, f) -> f.match() != null).mapValues(Fanout::match), Topics.EKYC_MATCHES, serdes);
        ok.filter((k, f) -> f.nonceUse() != null)
                .map((k, f) -> org.apache.kafka.streams.KeyValue.pair(f.nonceUse().getNonce(), f.nonceUse()))
                .to(Topics.CAPTURE_DECRYPTED.name(), Produced.with(Topics.CAPTURE_DECRYPTED.keySerde(),
                        Topics.CAPTURE_DECRYPTED.valueSerde(serdes)));
        ok.flatMapValues(Fanout::queries)
                .to(Topics.SEARCH_QUERIES.name(), Produced.with(Topics.SEARCH_QUERIES.keySerde(),
                        Topics.SEARCH_QUERIES.valueSerde(serdes)).withStreamPartitioner(new io.openbio.processors.search.SearchScatter()));
        return builder.build();
    }

    private static void send(KStream<String, EkycWork> work, TopicSpec<EkycWork> topic, EventSerdes serdes) {
        work.to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde(serdes)));
    }

    /** An image part opened: its bytes, and the bundle when it came encrypted. */
    record Opened(byte[] image, CaptureBundle bundle, String kid) {
    }

    Opened open(RequestEnvelope request, String part, boolean encrypted) throws BundleException {
        byte[] bytes = Envelopes.part(request, part).orElse(null);
        if (bytes == null) {
            return null;
        }
        if (!encrypted) {
            return new Opened(bytes, null, null);
        }
        String kid = BundleReader.header(bytes).kid();
        CaptureBundle bundle = BundleReader.read(bytes, keys.get());
        return new Opened(bundle.frames().get(0).image(), bundle, kid);
    }

    Fanout prepare(RequestEnvelope request) {
        List<StageTrace> trace = List.of(Results.trace(NAME));
        try {
            CheckModel model;
            try {
                model = CheckModel.parse(request.getAttributes().getOrDefault("checkModel", ""));
            } catch (IllegalArgumentException e) {
                return failed(Results.error(request, trace, 400, "UNKNOWN", e.getMessage()));
            }
            boolean encrypted = !"false".equalsIgnoreCase(request.getAttributes().getOrDefault("encrypted", "true"));
            Opened face;
            Opened doc;
            try {
                face = open(request, "face", encrypted);
                doc = open(request, "doc", encrypted);
            } catch (BundleException e) {
                return failed(Results.error(request, trace, 400, "UNKNOWN", e.apiMessage()));
            }
            RequestEnvelope bare = RequestEnvelope.newBuilder(request).setParts(List.of()).build();
            EkycWork.Builder work = EkycWork.newBuilder().setEnvelope(bare).setCheckModel(model.toJson()).setEncrypted(encrypted);

            // The selfie and the document are independent: the document is analysed on another
            // thread while this one does the selfie, so the stage takes the longer of the two.
            CompletableFuture<DocumentOutcome> docOutcome = doc == null
                    ? CompletableFuture.completedFuture(new DocumentOutcome(null, null, "DOCUMENT_NOT_FOUND"))
                    : CompletableFuture.supplyAsync(() -> document(doc.image()), DOCUMENTS);

            // The selfie.
            Template faceTemplate = null;
            io.openbio.events.CaptureAnalysis nonceUse = null;
            if (face != null) {
                work.setFaceImage(ByteBuffer.wrap(face.image()));
                try {
                    DecodedImage image = analyzer.get().decode(face.image());
                    Face found = model.maxFaces() <= 1 ? analyzer.get().detect(image)
                            : analyzer.get().requireAtMost(image, model.maxFaces()).stream().findFirst()
                            .orElseThrow(() -> new InferenceException(io.openbio.inference.ErrorCode.FACE_NOT_FOUND, "no face"));
                    work.setFace(Faces.toEvent(found));
                    faceTemplate = analyzer.get().embed(image, found);
                    work.setFaceTemplate(faceTemplate.encode());
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
            } else {
                work.setFaceStatus("FACE_NOT_FOUND");
            }

            // The document and its portrait.
            DocumentOutcome document;
            try {
                document = docOutcome.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            Template docTemplate = document.template();
            if (doc != null) {
                work.setDocImage(ByteBuffer.wrap(doc.image()));
            }
            work.setDocStatus(document.status());
            if (document.portrait() != null) {
                work.setPortrait(document.portrait());
            }
            if (docTemplate != null) {
                work.setDocTemplate(docTemplate.encode());
            }
            EkycWork built = work.build();
            boolean injection = model.wants("FACE_CHECK") && model.facePipelines().stream().anyMatch(p -> p.type().equals("INJECTION_ATTACK"));
            return fanout(request, bare, model, built, faceTemplate, docTemplate, face != null, doc != null,
                    injection && "OK".equals(built.getFaceStatus()) ? nonceUse : null);
        } catch (InferenceException e) {
            return failed(Stages.inferenceError(request, trace, e));
        } catch (RuntimeException e) {
            return failed(Stages.unexpected(NAME, request, trace, e));
        }
    }

    /** The document analysis' outcome: the portrait and its template, or why there is none. */
    record DocumentOutcome(io.openbio.events.DetectedFace portrait, Template template, String status) {
    }

    /** Threads for the document half of a request (one per core: the work is CPU-bound). */
    private static final ExecutorService DOCUMENTS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), runnable -> {
                Thread thread = new Thread(runnable, "ekyc-prepare-document");
                thread.setDaemon(true);
                return thread;
            });

    DocumentOutcome document(byte[] image) {
        try {
            DocumentAnalysis analysis = documents.get().analyze(image);
            if (analysis.status() != DocumentStatus.OK && analysis.portrait() == null) {
                return new DocumentOutcome(null, null, analysis.status().name());
            }
            if (analysis.portrait() == null) {
                return new DocumentOutcome(null, null, "DOCUMENT_PHOTO_NOT_FOUND");
            }
            Template template = analyzer.get().embed(analysis.image(), analysis.portrait());
            return new DocumentOutcome(Faces.toEvent(analysis.portrait()), template, "OK");
        } catch (InferenceException e) {
            return new DocumentOutcome(null, null, statusOf(e));
        }
    }

    private Fanout fanout(RequestEnvelope request, RequestEnvelope bare, CheckModel model, EkycWork work,
                          Template faceTemplate, Template docTemplate, boolean hasFace, boolean hasDoc,
                          io.openbio.events.CaptureAnalysis nonceUse) {
        String id = request.getRequestId();
        List<EkycPart> parts = new ArrayList<>();
        List<String> sections = model.operations().stream().map(EkycJson::sectionOf).toList();
        List<String> searches = new ArrayList<>();
        Map<String, String> searchErrors = new LinkedHashMap<>();
        List<SearchQuery> queries = new ArrayList<>();
        EkycWork faceCheck = null;
        EkycWork docCheck = null;
        EkycWork match = null;
        List<EkycPart> direct = new ArrayList<>();

        if (model.wants("FACE_CHECK")) {
            if ("OK".equals(work.getFaceStatus())) {
                // each stage gets only what it reads: less to serialize and carry per hop
                faceCheck = EkycWork.newBuilder(work).setDocImage(null).setPortrait(null).setDocTemplate(null).build();
            } else {
                direct.add(section(id, EkycJson.FACE, EkycJson.failedChecks(model.facePipelines(), work.getFaceStatus(),
                        EkycJson.messageFor(work.getFaceStatus()), false)));
            }
        }
        if (model.wants("DOC_CHECK")) {
            if (hasDoc) {
                docCheck = EkycWork.newBuilder(work).setFaceImage(null).setFace(null).setFaceTemplate(null).setSignals(List.of()).build();
            } else {
                direct.add(section(id, EkycJson.DOC, EkycJson.failedChecks(model.docPipelines(), "DOCUMENT_NOT_FOUND", null, true)));
            }
        }
        if (model.wants("FACE_MATCH_VALIDATION")) {
            if (faceTemplate != null && docTemplate != null) {
                match = EkycWork.newBuilder(work).setFaceImage(null).setDocImage(null).setFace(null).setPortrait(null)
                        .setSignals(List.of()).build();
            } else {
                String missing = faceTemplate == null ? EkycJson.messageFor(work.getFaceStatus())
                        : EkycJson.messageFor(work.getDocStatus());
                direct.add(section(id, EkycJson.VALIDATION, EkycJson.validationError(missing)));
            }
        }
        if (model.wants("FACE_MATCH_SEARCH")) {
            for (String collection : model.collections()) {
                addSearch(request, collection, "FACE", hasFace, faceTemplate, work.getFaceStatus(), model, searches, searchErrors, queries);
                addSearch(request, collection, "DOCUMENT", hasDoc, docTemplate, work.getDocStatus(), model, searches, searchErrors, queries);
            }
        }
        parts.add(EkycPart.newBuilder().setRequestId(id).setKind("PLAN").setEnvelope(bare).setSections(sections)
                .setSearches(searches).setSearchErrors(searchErrors).setSearchLimit(model.limit())
                .setNonceExpected(nonceUse != null).build());
        parts.addAll(direct);
        return new Fanout(parts, faceCheck, docCheck, match, queries, null, nonceUse);
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
        List<Float> vector = new ArrayList<>(template.vector().length);
        for (float v : template.vector()) {
            vector.add(v);
        }
        queries.add(SearchQuery.newBuilder().setRequestId(request.getRequestId()).setTenant(request.getTenant())
                .setCollection(collection).setImageSource(source).setModelVersion(template.modelVersion())
                .setVector(vector).setLimit(model.limit()).setPartitions(io.openbio.processors.search.SearchScatter.partitions()).build());
    }

    static EkycPart section(String requestId, String section, String json) {
        return EkycPart.newBuilder().setRequestId(requestId).setKind("SECTION").setSection(section).setJson(json).build();
    }

    private static Fanout failed(io.openbio.events.ResultEvent result) {
        return new Fanout(List.of(), null, null, null, List.of(), result, null);
    }

    private static String statusOf(InferenceException e) {
        return switch (e.code()) {
            case FACE_NOT_FOUND, FACE_TOO_SMALL, MULTIPLE_FACES, IMAGE_TOO_LARGE -> e.code().name();
            case INVALID_IMAGE, IMAGE_TRUNCATED -> "INVALID_IMAGE";
            default -> "ERROR";
        };
    }
}
