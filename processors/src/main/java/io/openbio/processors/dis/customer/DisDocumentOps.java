package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.DisCustomer;
import io.openbio.events.DisDocument;
import io.openbio.events.DisDocumentPage;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.document.Quad;
import io.openbio.inference.document.page.DocumentPage;
import io.openbio.inference.document.page.DocumentPageAnalyzer;
import io.openbio.inference.document.page.PageDetection;
import io.openbio.inference.document.page.PageGeometry;
import io.openbio.inference.document.page.PageQuality;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.dis.customer.DisCustomerProcessor.Found;
import io.openbio.processors.dis.customer.DisCustomerProcessor.State;
import io.openbio.schemas.contract.DisContract;
import io.openbio.inference.document.chip.ChipDataException;
import io.openbio.inference.document.chip.ChipDocument;
import io.openbio.inference.document.chip.ChipFiles;
import io.openbio.inference.document.chip.PassiveAuthentication;
import io.openbio.processors.core.Lazily;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The document operations of the dis-customers stage (seed 004, {@code /customers/{id}/document...}); the page
 * analysis itself is {@link DocumentPageAnalyzer}'s (README "DIS documents").
 *
 * <ul>
 * <li>{@code PUT document} records the client's advice and sources; a second PUT replaces the document (its pages
 * are dropped). {@code DELETE document} removes it with its parts (idempotent). Every page operation on a customer
 * without a document is 404 NOT_FOUND (as the reference: the document comes first).</li>
 * <li>{@code PUT pages}: card corners, their confidence (an outline fit, cut at {@link DocumentPageAnalyzer#MIN_CONFIDENCE}),
 * cornerOutOfImage, the page normalised to its ICAO size, its quality and portrait. No card: 200
 * {@code errorCode NO_CARD_CORNERS_DETECTED} and nothing kept. The page type is the client's advice (no page
 * classifier on this platform); without one, the first of front, back not uploaded yet. The normalised page is read as
 * the document's sources ask ({@link DisPageReading}: MRZ, barcodes, visual-zone text), the reading kept sealed. The
 * document type comes from a valid MRZ ({@code MRZ_EXTRACTION_ONLY}, {@link DisDocumentFields}), else from the client's
 * advice ({@code NOT_SUPPORTED}); with neither, warning DOCUMENT_TYPE_NOT_RECOGNIZED.</li>
 * <li>The normalised page (JPEG) and its portrait crop are sealed parts; the quality is kept as measured, and so are
 * the document checks run on the photo as uploaded ({@link DisPageTampering}, for the document inspection).</li>
 * <li>Signature, ghost portrait and fingerprint crops: 404 NOT_FOUND (no layout template for any edition).</li>
 * <li>Chip: {@code chip/challenge} (8 random bytes, kept), {@code chip/data} (the LDS files concatenated: parsed, kept
 * sealed, DG2's JPEG portrait kept, passive authentication against {@code OPENBIO_DIS_CSCA_CERTIFICATES} kept for the
 * document inspection; unparsable: 200 {@code errorCode LDS_PARSE_ERROR}), GET chip data and chip portrait.</li>
 * </ul>
 */
final class DisDocumentOps {
    static final List<String> PAGE_TYPES = List.of("front", "back");
    static final int JPEG_QUALITY = 92;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<FaceAnalyzer> analyzer;
    /** The MRZ, barcode and visual-zone reading of each page kept (its Tesseract engines are loaded once, pooled). */
    private final DisPageReading reading = new DisPageReading(ModelRepository::fromEnvironment);
    private final DisPageTampering tampering;
    private volatile DocumentPageAnalyzer pages;
    private final Supplier<PassiveAuthentication> passive = Lazily.once(DisDocumentOps::readPassive);

    DisDocumentOps(Supplier<FaceAnalyzer> analyzer) {
        this.analyzer = analyzer;
        this.tampering = new DisPageTampering(analyzer);
    }

    /** Ends the reading's pooled Tesseract engines (the stage is closing). */
    void close() {
        reading.close();
    }

    /** Passive authentication with the CSCAs of {@code OPENBIO_DIS_CSCA_CERTIFICATES}, read at the first chip upload. */
    private static PassiveAuthentication readPassive() {
        String path = KafkaSettings.setting(Settings.DIS_CSCA_CERTIFICATES);
        try {
            return new PassiveAuthentication(path == null ? List.of() : PassiveAuthentication.loadCertificates(Path.of(path)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("OPENBIO_DIS_CSCA_CERTIFICATES cannot be read: " + e.getMessage(), e);
        }
    }

    private DocumentPageAnalyzer pages() {
        DocumentPageAnalyzer local = pages;
        if (local == null) {
            synchronized (this) {
                local = pages;
                if (local == null) {
                    local = new DocumentPageAnalyzer(analyzer.get());
                    pages = local;
                }
            }
        }
        return local;
    }

    ResultEvent handle(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        return switch (request.getOperation()) {
            case DisContract.DOCUMENT_PUT -> putDocument(request, state, now, trace);
            case DisContract.DOCUMENT_DELETE -> deleteDocument(request, state, now, trace);
            case DisContract.PAGE_PUT -> putPage(request, state, now, trace);
            case DisContract.PAGE_GET -> getPage(request, state, now, trace);
            case DisContract.PAGE_QUALITY -> pageQuality(request, state, now, trace);
            case DisContract.DOCUMENT_PORTRAIT -> portrait(request, state, now, trace);
            case DisContract.CHIP_CHALLENGE -> chipChallenge(request, state, now, trace);
            case DisContract.CHIP_DATA_PUT -> putChipData(request, state, now, trace);
            case DisContract.CHIP_DATA_GET -> chipPart(request, state, now, trace, CustomerParts.CHIP_DATA, "Chip data");
            case DisContract.CHIP_PORTRAIT -> chipPart(request, state, now, trace, CustomerParts.CHIP_PORTRAIT, "Chip portrait");
            case DisContract.DOCUMENT_CROP -> crop(request, state, now, trace);
            default -> throw new DisFailure(400, "INVALID_REQUEST_METHOD", "Operation " + request.getOperation() + " is not a document operation");
        };
    }

    // ------------------------------------------------------------------ document

    private ResultEvent putDocument(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        Map<String, String> a = request.getAttributes();
        DisDocument document = DisDocument.newBuilder()
                .setCreatedAt(now)
                .setTypes(list(a.get(DisContract.DOCUMENT_TYPES)))
                .setCountries(list(a.get(DisContract.DOCUMENT_COUNTRIES)))
                .setEditions(list(a.get(DisContract.DOCUMENT_EDITIONS)))
                .setMachineReadableTravelDocuments(list(a.get(DisContract.DOCUMENT_MRTDS)))
                .setSources(list(a.get(DisContract.DOCUMENT_SOURCES)))
                .build();
        // a second PUT replaces the document: the old one's pages and chip files go
        state.parts().deleteAll(CustomerParts.key(found.key(), CustomerParts.DOCUMENT));
        state.customers().put(found.key(), DisCustomer.newBuilder(found.customer()).setDocument(document)
                .setRequestId(request.getRequestId()).build());
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        body.putObject("links").put("self", documentLink(found.customer()));
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    /** Idempotent: no customer or no document is no error. */
    private ResultEvent deleteDocument(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found;
        try {
            found = DisCustomerProcessor.customer(request, state, now);
        } catch (DisFailure e) {
            if (e.status == 404) {
                return DisCustomerProcessor.ok(request, trace, 204, null);
            }
            throw e;
        }
        state.parts().deleteAll(CustomerParts.key(found.key(), CustomerParts.DOCUMENT));
        if (found.customer().getDocument() != null) {
            state.customers().put(found.key(), DisCustomer.newBuilder(found.customer()).setDocument(null)
                    .setRequestId(request.getRequestId()).build());
        }
        return DisCustomerProcessor.ok(request, trace, 204, null);
    }

    /** The customer with its document, or 404 NOT_FOUND. */
    static Found withDocument(RequestEnvelope request, State state, Instant now) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        if (found.customer().getDocument() == null) {
            throw DisFailure.notFound("Document");
        }
        return found;
    }

    // ------------------------------------------------------------------ pages

    private ResultEvent putPage(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = withDocument(request, state, now);
        DisDocument document = found.customer().getDocument();
        String pageType = pageType(request.getAttributes().get(DisContract.PAGE_TYPE), document);
        byte[] image = Envelopes.part(request, DisContract.IMAGE_PART)
                .orElseThrow(() -> DisFailure.badRequest("INVALID_REQUEST_BODY", "The image is missing"));
        DecodedImage decoded;
        try {
            decoded = analyzer.get().decode(image);
        } catch (InferenceException e) {
            switch (e.code()) {
                case INVALID_IMAGE, IMAGE_TRUNCATED, IMAGE_TOO_LARGE -> throw DisFailure.badRequest("INVALID_IMAGE", "The image cannot be read");
                default -> throw e;
            }
        }
        DocumentPage page = pages().analyze(decoded.image());
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        if (!page.found()) {
            // nothing kept: a page already uploaded for this type stays
            body.put("pageType", pageType);
            body.put("errorCode", page.errorCode());
            return DisCustomerProcessor.ok(request, trace, 200, body);
        }
        PageDetection detection = page.detection();
        String pagePart = CustomerParts.page(pageType);
        state.parts().put(found.customer(), found.key(), pagePart, ImageOps.encodeJpeg(page.page(), JPEG_QUALITY));
        state.parts().delete(found.key(), CustomerParts.pagePortrait(pageType));
        page.portrait().ifPresent(p -> state.parts().put(found.customer(), found.key(), CustomerParts.pagePortrait(pageType),
                ImageOps.encodeJpeg(p.crop(), JPEG_QUALITY)));
        // MRZ, barcodes, visual-zone text as the document's sources ask; kept sealed, never logged
        DisPageReading.Page read = reading.read(page.page(), document.getSources());
        if (read == null) {
            state.parts().delete(found.key(), CustomerParts.pageReading(pageType));
        } else {
            state.parts().put(found.customer(), found.key(), CustomerParts.pageReading(pageType), DisPageReading.encode(read));
        }
        DisDocumentPage kept = DisDocumentPage.newBuilder()
                .setPageType(pageType)
                .setCreatedAt(now)
                .setConfidence(detection.confidence())
                .setCorners(corners(detection.corners()))
                .setCornerOutOfImage(detection.cornerOutOfImage())
                .setPortrait(page.portrait().isPresent())
                .setQuality(json(quality(page.quality())))
                .setTampering(tampering.measure(decoded, detection))
                .build();
        List<DisDocumentPage> kept2 = new ArrayList<>(document.getPages().stream().filter(p -> !p.getPageType().equals(pageType)).toList());
        kept2.add(kept);
        state.customers().put(found.key(), DisCustomer.newBuilder(found.customer())
                .setDocument(DisDocument.newBuilder(document).setPages(kept2).build())
                .setRequestId(request.getRequestId()).build());

        ObjectNode type = DisDocumentFields.documentType(document, fields(state, found, now));
        body.set("documentType", type);
        body.put("pageType", pageType);
        ObjectNode det = body.putObject("detection");
        det.put("confidence", detection.confidence());
        det.set("coordinates", coordinates(kept.getCorners()));
        det.put("cornerOutOfImage", detection.cornerOutOfImage());
        if (!"MRZ_EXTRACTION_ONLY".equals(type.path("supportLevel").asText()) && document.getTypes().isEmpty()
                && document.getCountries().isEmpty()) {
            body.putArray("warnings").add("DOCUMENT_TYPE_NOT_RECOGNIZED");
        }
        body.putObject("links").put("self", documentLink(found.customer()) + "/pages/" + pageType);
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    /** The advised page type (one of front/back, checked by the gateway); none: the first of front, back not uploaded yet. */
    static String pageType(String advised, DisDocument document) {
        List<String> allowed = advised == null || advised.isBlank() ? PAGE_TYPES : list(advised);
        for (String type : allowed) {
            if (!PAGE_TYPES.contains(type)) {
                throw DisFailure.badRequest("INVALID_REQUEST_BODY", "Page types are front and back");
            }
        }
        if (allowed.size() == 1) {
            return allowed.get(0);
        }
        for (String type : allowed) {
            if (document.getPages().stream().noneMatch(p -> p.getPageType().equals(type))) {
                return type;
            }
        }
        return allowed.get(allowed.size() - 1);
    }

    private ResultEvent getPage(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = withDocument(request, state, now);
        String pageType = request.getAttributes().get(DisContract.PAGE_TYPE);
        byte[] page = PAGE_TYPES.contains(pageType) ? state.parts().get(found.customer(), found.key(), CustomerParts.page(pageType)) : null;
        if (page == null) {
            throw DisFailure.notFound("Document page '" + pageType + "'");
        }
        Integer width = size(request.getAttributes().get(DisContract.WIDTH));
        Integer height = size(request.getAttributes().get(DisContract.HEIGHT));
        byte[] out = page;
        if (width != null || height != null) {
            RgbImage resized;
            try {
                resized = PageGeometry.resize(analyzer.get().decode(page).image(), width, height);
            } catch (IllegalArgumentException e) {
                throw DisFailure.badRequest("INVALID_REQUEST_PARAMETER", e.getMessage());
            }
            out = ImageOps.encodeJpeg(resized, JPEG_QUALITY);
        }
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        body.put("data", Base64.getEncoder().encodeToString(out));
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    private ResultEvent pageQuality(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = withDocument(request, state, now);
        String pageType = request.getAttributes().get(DisContract.PAGE_TYPE);
        DisDocumentPage page = found.customer().getDocument().getPages().stream()
                .filter(p -> p.getPageType().equals(pageType)).findFirst()
                .orElseThrow(() -> DisFailure.notFound("Document page '" + pageType + "'"));
        try {
            return DisCustomerProcessor.ok(request, trace, 200, DisCustomerProcessor.JSON.readTree(page.getQuality()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The portrait found on the front page, else on the back page; 404 NOT_FOUND when none. */
    private ResultEvent portrait(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = withDocument(request, state, now);
        byte[] crop = documentPortrait(state, found);
        if (crop == null) {
            throw new DisFailure(404, "NOT_FOUND", "No portrait was found on the document's pages");
        }
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        body.put("data", Base64.getEncoder().encodeToString(crop));
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    /** The document's portrait crop (JPEG): the front page's, else the back page's; null without a document or portrait. */
    static byte[] documentPortrait(State state, Found found) {
        if (found.customer().getDocument() == null) {
            return null;
        }
        for (String type : PAGE_TYPES) {
            byte[] crop = state.parts().get(found.customer(), found.key(), CustomerParts.pagePortrait(type));
            if (crop != null) {
                return crop;
            }
        }
        return null;
    }

    /**
     * Signature, ghost portrait, fingerprint: 404 NOT_FOUND (the reference's answer for a crop the document does not
     * give), after the customer's and the document's own 404s. Locating those regions needs the layout of the
     * document's edition; this platform classifies no edition and has no layout template, so none is located rather
     * than guessed (README "DIS documents").
     */
    private ResultEvent crop(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        withDocument(request, state, now);
        String crop = request.getAttributes().get(DisContract.CROP);
        String what = "ghost-portrait".equals(crop) ? "ghost portrait" : crop;
        throw new DisFailure(404, "NOT_FOUND", "No " + what + " crop: locating it needs the layout of the document's edition, and this"
                + " platform has no layout template for any edition");
    }

    // ------------------------------------------------------------------ chip

    /** A random 8-byte challenge (for the chip's active authentication), kept with the document. */
    private ResultEvent chipChallenge(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = withDocument(request, state, now);
        byte[] challenge = new byte[8];
        RANDOM.nextBytes(challenge);
        String b64 = Base64.getEncoder().encodeToString(challenge);
        state.customers().put(found.key(), DisCustomer.newBuilder(found.customer())
                .setDocument(DisDocument.newBuilder(found.customer().getDocument()).setChipChallenge(b64).build())
                .setRequestId(request.getRequestId()).build());
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        body.put("challenge", b64);
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    /**
     * The chip's LDS files, concatenated as read (EF.COM, EF.SOD, DG1, DG2, ...): parsed (JMRTD), kept sealed as
     * uploaded, DG2's JPEG portrait kept, passive authentication's status kept for the document inspection. Files
     * that do not parse: 200 {@code errorCode LDS_PARSE_ERROR} (the reference's form), nothing kept.
     */
    private ResultEvent putChipData(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = withDocument(request, state, now);
        byte[] lds = Envelopes.part(request, DisContract.CHIP_PART)
                .orElseThrow(() -> DisFailure.badRequest("INVALID_REQUEST_BODY", "The chip data is missing"));
        ChipFiles files;
        ChipDocument chip;
        try {
            files = ChipFiles.parse(lds);
            chip = ChipDocument.read(files);
        } catch (ChipDataException e) {
            ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
            body.put("errorCode", "LDS_PARSE_ERROR");
            return DisCustomerProcessor.ok(request, trace, 200, body);
        }
        PassiveAuthentication.Result result = passive.get().verify(files);
        state.parts().put(found.customer(), found.key(), CustomerParts.CHIP_DATA, files.encoded());
        var portrait = chip.portraits().stream().filter(p -> "image/jpeg".equals(p.mimeType())).findFirst();
        if (portrait.isPresent()) {
            state.parts().put(found.customer(), found.key(), CustomerParts.CHIP_PORTRAIT, portrait.get().data());
        } else {
            state.parts().delete(found.key(), CustomerParts.CHIP_PORTRAIT);
        }
        state.customers().put(found.key(), DisCustomer.newBuilder(found.customer())
                .setDocument(DisDocument.newBuilder(found.customer().getDocument())
                        .setChipDataAuthentication(result.status().name())
                        .setChipDataReason(result.reason())
                        .setChipPortrait(portrait.isPresent())
                        .build())
                .setRequestId(request.getRequestId()).build());
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        body.putObject("links").put("self", documentLink(found.customer()) + "/chip/data");
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    private ResultEvent chipPart(RequestEnvelope request, State state, Instant now, List<StageTrace> trace, String part, String what) {
        Found found = withDocument(request, state, now);
        byte[] data = state.parts().get(found.customer(), found.key(), part);
        if (data == null) {
            throw DisFailure.notFound(what);
        }
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        body.put("data", Base64.getEncoder().encodeToString(data));
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    // ------------------------------------------------------------------ the customer's document

    /**
     * What was read on the document's pages and the chip's DG1 (the sealed parts opened), or null without a document.
     * A chip upload was parsed when it was kept; DG1 is decoded again here (JMRTD, a few hundred bytes).
     */
    static DisDocumentFields fields(State state, Found found, Instant now) {
        DisDocument document = found.customer().getDocument();
        if (document == null) {
            return null;
        }
        Map<String, DisPageReading.Page> readings = new LinkedHashMap<>();
        for (String type : PAGE_TYPES) {
            byte[] json = state.parts().get(found.customer(), found.key(), CustomerParts.pageReading(type));
            if (json != null) {
                readings.put(type, DisPageReading.decode(json));
            }
        }
        Optional<io.openbio.inference.document.chip.ChipMrz> chip = Optional.empty();
        byte[] lds = state.parts().get(found.customer(), found.key(), CustomerParts.CHIP_DATA);
        if (lds != null) {
            try {
                chip = ChipDocument.read(ChipFiles.parse(lds)).mrz();
            } catch (ChipDataException e) {
                // kept only when it parsed: not expected; the chip's values are then not answered
                chip = Optional.empty();
            }
        }
        return new DisDocumentFields(readings, chip, LocalDate.ofInstant(now, ZoneOffset.UTC));
    }

    /** The customer's {@code CustomerDocument} (GET /customers/{id}), or null without a document. */
    static ObjectNode customerDocument(DisCustomer customer, DisDocumentFields fields) {
        DisDocument document = customer.getDocument();
        if (document == null) {
            return null;
        }
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        ObjectNode classified = fields == null ? null : fields.classification();
        if (classified != null) {
            out.set("type", classified);
        } else if (!document.getTypes().isEmpty() || !document.getCountries().isEmpty()) {
            out.set("type", documentType(document));
        }
        if (fields != null) {
            fields.documentFields(out);
        }
        ArrayNode types = out.putArray("pageTypes");
        ObjectNode links = DisCustomerProcessor.JSON.createObjectNode();
        ObjectNode pageLinks = DisCustomerProcessor.JSON.createObjectNode();
        boolean portrait = false;
        for (String type : PAGE_TYPES) {
            for (DisDocumentPage page : document.getPages()) {
                if (page.getPageType().equals(type)) {
                    types.add(type);
                    pageLinks.put(type, documentLink(customer) + "/pages/" + type);
                    portrait |= page.getPortrait();
                }
            }
        }
        if (portrait) {
            links.put("portrait", documentLink(customer) + "/portrait");
        }
        if (document.getChipPortrait()) {
            links.put("chipPortrait", documentLink(customer) + "/chip/portrait");
        }
        if (!pageLinks.isEmpty()) {
            links.set("pages", pageLinks);
        }
        out.set("links", links);
        return out;
    }

    /** The advised type: one advised type and country are answered as such, never classified ({@code NOT_SUPPORTED}). */
    static ObjectNode documentType(DisDocument document) {
        ObjectNode type = DisCustomerProcessor.JSON.createObjectNode();
        if (document.getCountries().size() == 1) {
            type.put("country", document.getCountries().get(0).toLowerCase(java.util.Locale.ROOT));
        }
        if (document.getEditions().size() == 1) {
            type.put("edition", document.getEditions().get(0));
        }
        if (document.getTypes().size() == 1) {
            type.put("type", document.getTypes().get(0));
        }
        if (document.getMachineReadableTravelDocuments().size() == 1) {
            type.put("machineReadableTravelDocument", document.getMachineReadableTravelDocuments().get(0).toUpperCase(java.util.Locale.ROOT));
        }
        type.put("supportLevel", "NOT_SUPPORTED");
        return type;
    }

    // ------------------------------------------------------------------ helpers

    static String documentLink(DisCustomer customer) {
        return "/api/v1/customers/" + customer.getId() + "/document";
    }

    static ObjectNode quality(PageQuality q) {
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        out.put("fine", q.fine());
        if (!q.issues().isEmpty()) {
            ArrayNode issues = out.putArray("issues");
            q.issues().forEach(i -> issues.add(i.name()));
        }
        if (!q.warnings().isEmpty()) {
            ArrayNode warnings = out.putArray("warnings");
            q.warnings().forEach(w -> warnings.add(w.name()));
        }
        ObjectNode details = out.putObject("details");
        check(details, "sharpness", q.sharpness());
        check(details, "brightness", q.brightness());
        check(details, "hotspots", q.hotspots());
        return out;
    }

    private static void check(ObjectNode details, String name, PageQuality.Check check) {
        ObjectNode c = details.putObject(name);
        c.put("score", Math.max(0, Math.min(1, check.score())));
        c.put("level", check.level().name());
    }

    static List<Integer> corners(Quad q) {
        List<Integer> out = new ArrayList<>(8);
        for (var p : List.of(q.topLeft(), q.topRight(), q.bottomRight(), q.bottomLeft())) {
            out.add((int) Math.round(p.x()));
            out.add((int) Math.round(p.y()));
        }
        return out;
    }

    static ObjectNode coordinates(List<Integer> c) {
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        String[] names = {"topLeftCorner", "topRightCorner", "bottomRightCorner", "bottomLeftCorner"};
        for (int i = 0; i < 4; i++) {
            ObjectNode p = out.putObject(names[i]);
            p.put("x", c.get(2 * i));
            p.put("y", c.get(2 * i + 1));
        }
        return out;
    }

    static List<String> list(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.stream(joined.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Integer size(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw DisFailure.badRequest("INVALID_REQUEST_PARAMETER", "width and height are whole numbers");
        }
    }

    private static String json(ObjectNode node) {
        try {
            return DisCustomerProcessor.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
