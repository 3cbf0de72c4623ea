package io.openbio.schemas.contract;

import io.openbio.schemas.Topics;
import java.util.List;

/**
 * The IDLive eKYC API (seed 002): {@code /check} split into a selfie half and a document half whose
 * sections are assembled into one answer, and the collection / template operations with sharded
 * 1:N search.
 */
public final class EkycContract {
    public static final String FAMILY = "ekyc";

    /** {@code POST /check}. */
    public static final String CHECK = "ekyc.check";
    /** {@code POST /decrypt}: a capture bundle's frames, answered by the capture route's decrypt stage. */
    public static final String DECRYPT = "ekyc.decrypt";
    /** {@code POST /collections/{collection}}. */
    public static final String CREATE_COLLECTION = "ekyc.create_collection";
    /** {@code DELETE /collections/{collection}}. */
    public static final String DELETE_COLLECTION = "ekyc.delete_collection";
    /** {@code DELETE /collections/{collection}/{recordId}}. */
    public static final String REMOVE_RECORD = "ekyc.remove_record";
    /** {@code POST /add-image}. */
    public static final String ADD_IMAGE = "ekyc.add_image";
    /** {@code POST /add-template}. */
    public static final String ADD_TEMPLATE = "ekyc.add_template";
    /** {@code POST /generate-template}. */
    public static final String GENERATE_TEMPLATE = "ekyc.generate_template";
    /** {@code POST /match-over-template}. */
    public static final String MATCH_OVER_TEMPLATE = "ekyc.match_over_template";

    private static final Deployment PREPARE = Deployment.MODEL.withBundleKeys().withResources("1", "1Gi", "2", "2Gi");

    public static final Stage PREPARE_SELFIE = Stage.named("ekyc-prepare").family(FAMILY)
            .does("the selfie half of /check: opens the request, detects and embeds the selfie, plans the sections and fans out face checks, the match's FACE half, nonce uses and search queries")
            .reads(Topics.EKYC_REQUESTS)
            .writes(Topics.EKYC_PARTS, Topics.EKYC_FACE_CHECKS, Topics.EKYC_MATCHES, Topics.CAPTURE_DECRYPTED, Topics.SEARCH_QUERIES,
                    Topics.RESULTS, Topics.AUDIT)
            .deployment(PREPARE)
            .implementedBy("io.openbio.processors.ekyc.EkycPrepareProcessor");

    public static final Stage PREPARE_DOCUMENT = Stage.named("ekyc-prepare-doc").family(FAMILY)
            .does("the document half of /check: localises the document and its portrait, fans out document checks, the match's DOCUMENT half and portrait searches")
            .reads(Topics.EKYC_REQUESTS)
            .writes(Topics.EKYC_PARTS, Topics.EKYC_DOC_CHECKS, Topics.EKYC_MATCHES, Topics.SEARCH_QUERIES, Topics.SEARCH_PARTIALS)
            .deployment(PREPARE)
            .implementedBy("io.openbio.processors.ekyc.EkycPrepareDocProcessor");

    public static final Stage FACE_CHECK = Stage.named("ekyc-face-check").family(FAMILY)
            .does("FACE_CHECK: presentation attack, deepfake and injection pipelines on the selfie")
            .reads(Topics.EKYC_FACE_CHECKS).writes(Topics.EKYC_PARTS)
            .deployment(Deployment.MODEL)
            .implementedBy("io.openbio.processors.ekyc.FaceCheckProcessor");

    public static final Stage DOC_CHECK = Stage.named("ekyc-doc-check").family(FAMILY)
            .does("DOC_CHECK: the document attack pipelines")
            .reads(Topics.EKYC_DOC_CHECKS).writes(Topics.EKYC_PARTS)
            .deployment(Deployment.MODEL.withResources("1", "1Gi", "2", "2Gi"))
            .implementedBy("io.openbio.processors.ekyc.DocCheckProcessor");

    public static final Stage MATCH = Stage.named("ekyc-match").family(FAMILY)
            .does("FACE_MATCH_VALIDATION: joins the selfie and document templates of a request in a state store and compares them")
            .reads(Topics.EKYC_MATCHES).writes(Topics.EKYC_PARTS)
            .deployment(Deployment.SMALL.withResources("250m", "512Mi", "1", "1Gi").withState("1Gi"))
            .implementedBy("io.openbio.processors.ekyc.MatchProcessor");

    public static final Stage SEARCH = Stage.named("search").family(FAMILY)
            .does("sharded 1:N search: each task indexes its partition's templates (Lucene HNSW) and answers every query with its shard's hits")
            .reads(Topics.SEARCH_QUERIES).tables(Topics.COLLECTIONS, Topics.COLLECTION_RECORDS)
            .writes(Topics.SEARCH_PARTIALS)
            .deployment(Deployment.SMALL.withResources("500m", "2Gi", "2", "4Gi").withState("16Gi").withHeapPercent(35))
            .implementedBy("io.openbio.processors.search.SearchProcessor");

    public static final Stage ASSEMBLER = Stage.named("ekyc-assembler").family(FAMILY)
            .does("joins the plan, sections and search partials of each /check into its answer (ERROR sections after the assembly timeout)")
            .reads(Topics.EKYC_PARTS, Topics.SEARCH_PARTIALS).writes(Topics.RESULTS, Topics.AUDIT)
            .deployment(Deployment.SMALL.withResources("250m", "512Mi", "1", "1Gi").withState("2Gi"))
            .implementedBy("io.openbio.processors.ekyc.AssemblerProcessor");

    public static final Stage COLLECTIONS = Stage.named("collections").family(FAMILY)
            .does("collections and templates: create / delete collections, enrol and remove records, generate and match templates; the single writer of the collection topics")
            .reads(Topics.EKYC_TEMPLATE_REQUESTS)
            .writes(Topics.COLLECTIONS, Topics.COLLECTION_RECORDS, Topics.RESULTS, Topics.AUDIT)
            .deployment(PREPARE.withState("2Gi"))
            .implementedBy("io.openbio.processors.ekyc.CollectionsProcessor");

    /** {@code /check}: a bundle selfie's nonce goes through the capture route's nonce stage. */
    public static final Route CHECK_ROUTE = new Route("ekyc-check", Topics.EKYC_REQUESTS,
            List.of(PREPARE_SELFIE, PREPARE_DOCUMENT, FACE_CHECK, DOC_CHECK, MATCH, CaptureContract.NONCE, SEARCH, ASSEMBLER));

    /** Collection and template operations; enrolled records reach the search shards asynchronously. */
    public static final Route TEMPLATE_ROUTE = new Route("ekyc-template", Topics.EKYC_TEMPLATE_REQUESTS, List.of(COLLECTIONS));

    public static final Product PRODUCT = new Product(FAMILY,
            List.of(PREPARE_SELFIE, PREPARE_DOCUMENT, FACE_CHECK, DOC_CHECK, MATCH, ASSEMBLER, COLLECTIONS, SEARCH),
            List.of(CHECK_ROUTE, TEMPLATE_ROUTE),
            List.of(Topics.COLLECTIONS, Topics.COLLECTION_RECORDS, Topics.SEARCH_QUERIES, Topics.SEARCH_PARTIALS,
                    Topics.EKYC_REQUESTS, Topics.EKYC_FACE_CHECKS, Topics.EKYC_DOC_CHECKS, Topics.EKYC_MATCHES, Topics.EKYC_PARTS,
                    Topics.EKYC_TEMPLATE_REQUESTS));

    private EkycContract() {
    }
}
