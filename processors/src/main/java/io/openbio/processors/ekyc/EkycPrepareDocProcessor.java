package io.openbio.processors.ekyc;

import io.openbio.bundle.KeyResolver;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.SearchPartial;
import io.openbio.events.SearchQuery;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.document.DocumentAnalysis;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.document.DocumentStatus;
import io.openbio.inference.embed.Template;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.ServerKeys;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.ekyc.CheckModel;
import io.openbio.schemas.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * IDLive {@code /check}, stage 1, the document half: reads the same requests as
 * {@link EkycPrepareProcessor} (the selfie half), opened the same way ({@link CheckInputs}); an
 * invalid request is answered there, and dropped here. When the request asks for something that
 * needs the document, this stage fans out:
 * <ul>
 * <li>DOC_CHECK: the document-check work, or the {@code doc_result} section with
 * DOCUMENT_NOT_FOUND straight to the assembler when no document was sent;</li>
 * <li>FACE_MATCH_VALIDATION: the document half of the match work (the portrait's template, or the
 * status that stopped it: DOCUMENT_NOT_FOUND, DOCUMENT_CROPPED, DOCUMENT_PHOTO_NOT_FOUND...);</li>
 * <li>FACE_MATCH_SEARCH with a document: one query per collection for the DOCUMENT image source,
 * multicast to every search shard, or, without a portrait, that search's error as a one-part
 * partial for the assembler.</li>
 * </ul>
 * Finding the document and its portrait is the longest step of a check; as its own stage it runs
 * beside the selfie half and the face check, and gets its own pods.
 */
public final class EkycPrepareDocProcessor implements StreamProcessor {
    public static final String NAME = EkycContract.PREPARE_DOCUMENT.name();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EkycPrepareDocProcessor.class);

    private final Supplier<FaceAnalyzer> analyzer;
    private final Supplier<DocumentAnalyzer> documents;
    private final Supplier<KeyResolver> keys;

    public EkycPrepareDocProcessor() {
        this(Analyzers::shared, Analyzers::documents, ServerKeys::shared);
    }

    public EkycPrepareDocProcessor(Supplier<FaceAnalyzer> analyzer, Supplier<DocumentAnalyzer> documents, Supplier<KeyResolver> keys) {
        this.analyzer = analyzer;
        this.documents = documents;
        this.keys = keys;
    }

    @Override
    public Stage stage() {
        return EkycContract.PREPARE_DOCUMENT;
    }

    /** Everything one request fans out to from the document half. */
    record Fanout(List<EkycPart> parts, EkycWork docCheck, EkycWork match, List<SearchQuery> queries,
                  List<SearchPartial> searchErrors) {
        static final Fanout NOTHING = new Fanout(List.of(), null, null, List.of(), List.of());
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicSpec<RequestEnvelope> in = Topics.EKYC_REQUESTS;
        KStream<String, Fanout> fanouts = builder
                .stream(in.name(), in.consumed(serdes).withName("ekyc-requests"))
                .filter((key, request) -> request != null)
                .mapValues(this::prepare);
        fanouts.flatMapValues(Fanout::parts)
                .to(Topics.EKYC_PARTS.name(), Topics.EKYC_PARTS.produced(serdes));
        EkycPrepareProcessor.send(fanouts.filter((k, f) -> f.docCheck() != null).mapValues(Fanout::docCheck), Topics.EKYC_DOC_CHECKS, serdes);
        EkycPrepareProcessor.send(fanouts.filter((k, f) -> f.match() != null).mapValues(Fanout::match), Topics.EKYC_MATCHES, serdes);
        EkycPrepareProcessor.scatter(fanouts.flatMapValues(Fanout::queries), serdes);
        fanouts.flatMapValues(Fanout::searchErrors)
                .to(Topics.SEARCH_PARTIALS.name(), Topics.SEARCH_PARTIALS.produced(serdes));
        return builder.build();
    }

    Fanout prepare(RequestEnvelope request) {
        try {
            CheckInputs inputs;
            try {
                inputs = CheckInputs.open(request, keys.get());
            } catch (CheckInputs.Invalid e) {
                return Fanout.NOTHING; // the selfie half answers it with the 400
            }
            CheckModel model = inputs.model();
            CheckInputs.Opened doc = inputs.doc();
            boolean docCheck = model.wants("DOC_CHECK");
            boolean validation = model.wants("FACE_MATCH_VALIDATION");
            boolean search = model.wants("FACE_MATCH_SEARCH") && doc != null && !model.collections().isEmpty();
            if (!docCheck && !validation && !search) {
                return Fanout.NOTHING;
            }
            String id = request.getRequestId();
            EkycWork base = EkycWork.newBuilder().setEnvelope(EkycPrepareProcessor.bare(request))
                    .setCheckModel(model.toJson()).setEncrypted(inputs.encrypted()).build();
            List<EkycPart> parts = new ArrayList<>();
            EkycWork check = null;
            if (docCheck) {
                if (doc != null) {
                    // the document-check stage analyses the image for its own checks
                    check = EkycWork.newBuilder(base).setDocImage(io.openbio.processors.core.Sealing.sealImage(request, doc.image())).build();
                } else {
                    parts.add(EkycPrepareProcessor.section(id, EkycJson.DOC,
                            EkycJson.failedChecks(model.docPipelines(), "DOCUMENT_NOT_FOUND", null, true,
                            EkycJson.documentPipelines(documents.get()))));
                }
            }
            if (!validation && !search) {
                return new Fanout(parts, check, null, List.of(), List.of());
            }
            DocumentOutcome document = doc == null ? new DocumentOutcome(null, "DOCUMENT_NOT_FOUND") : document(doc.image());
            EkycWork match = !validation ? null : EkycWork.newBuilder(base).setDocStatus(document.status())
                    .setDocTemplate(document.template() == null ? null : io.openbio.processors.core.Sealing.sealTemplate(request, document.template().encode()))
                    .setHalf(MatchProcessor.DOCUMENT_HALF).build();
            List<SearchQuery> queries = new ArrayList<>();
            List<SearchPartial> errors = new ArrayList<>();
            if (search) {
                for (String collection : model.collections()) {
                    if (document.template() != null) {
                        queries.add(EkycPrepareProcessor.query(request, collection, "DOCUMENT", document.template(), model));
                    } else {
                        errors.add(SearchPartial.newBuilder().setRequestId(id).setCollection(collection).setImageSource("DOCUMENT")
                                .setPartition(0).setPartitions(1).setError(EkycJson.messageFor(document.status())).build());
                    }
                }
            }
            return new Fanout(parts, check, match, queries, errors);
        } catch (RuntimeException e) {
            // a bug must not block the partition: the assembler answers the missing sections with ERROR
            log.error("{} failed for request {}: {}", NAME, request.getRequestId(), e.toString());
            return Fanout.NOTHING;
        }
    }

    /** The document analysis' outcome: the portrait's template, or the status that stopped it. */
    record DocumentOutcome(Template template, String status) {
    }

    DocumentOutcome document(byte[] image) {
        try {
            DocumentAnalysis analysis = documents.get().analyze(image);
            if (analysis.status() != DocumentStatus.OK && analysis.portrait() == null) {
                return new DocumentOutcome(null, analysis.status().name());
            }
            if (analysis.portrait() == null) {
                return new DocumentOutcome(null, "DOCUMENT_PHOTO_NOT_FOUND");
            }
            return new DocumentOutcome(analyzer.get().embed(analysis.image(), analysis.portrait()), "OK");
        } catch (InferenceException e) {
            return new DocumentOutcome(null, EkycPrepareProcessor.statusOf(e));
        }
    }
}
