package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.DisDocument;
import io.openbio.events.DisDocumentPage;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.processors.dis.customer.DisCustomerProcessor.Found;
import io.openbio.processors.dis.customer.DisCustomerProcessor.State;
import io.openbio.schemas.contract.DisContract;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The document inspection of the dis-customers stage ({@code POST /customers/{id}/document/inspect} and
 * {@code /document/inspect/disclose}, seed 004; README "DIS documents"). The answer is assembled from separate parts,
 * each answered only when it was measured:
 * <ul>
 * <li>{@code portraitInspection}: {@code ageEstimate} (fr_age, rounded) and {@code genderEstimate} (fr_gender, M from
 * 0.5) of the document portrait's face (the front page's portrait crop, else the back's); absent without a portrait or
 * when its face is not found again on the crop.</li>
 * <li>{@code pageTampering}: per page, {@link DisPageTampering} (measured at upload).</li>
 * <li>{@code chipInspection.dataAuthentication}: the passive authentication's status kept at {@code PUT chip/data}
 * (AUTHENTICATED, DENIED, INVALID_SOD_FILE, INVALID_COM_FILE, AUTHORITY_CERTIFICATES_NOT_PROVIDED); absent without
 * chip data. {@code chipAuthentication} (active / chip authentication of the challenge) is not verified here and
 * {@code accessControlProtocolType} is not known from uploaded files: both absent.</li>
 * <li>The parts read from the document's text ({@code expired}, {@code mrzInspection}, {@code visualZoneInspection},
 * {@code portraitInspection.genderConsistency} and {@code ageDifferenceWith}) come with the document reading; until
 * then they are absent.</li>
 * </ul>
 * Disclose: {@code pageTampering} with the scores behind the flags. A customer without a document is 404 NOT_FOUND.
 */
final class DisDocumentInspection {
    private final Supplier<FaceAnalyzer> analyzer;

    DisDocumentInspection(Supplier<FaceAnalyzer> analyzer) {
        this.analyzer = analyzer;
    }

    ResultEvent handle(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisDocumentOps.withDocument(request, state, now);
        DisDocument document = found.customer().getDocument();
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        if (DisContract.DOCUMENT_INSPECT_DISCLOSE.equals(request.getOperation())) {
            putIfAny(body, "pageTampering", pageTampering(document, true));
            return DisCustomerProcessor.ok(request, trace, 200, body);
        }
        putIfAny(body, "portraitInspection", portraitInspection(state, found));
        putIfAny(body, "pageTampering", pageTampering(document, false));
        putIfAny(body, "chipInspection", chipInspection(document));
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    /** {@code PortraitInspection} from the portrait's face; null without one. */
    private ObjectNode portraitInspection(State state, Found found) {
        byte[] portrait = DisDocumentOps.documentPortrait(state, found);
        InspectedFace face = portrait == null ? null : InspectedFace.of(analyzer.get(), portrait);
        if (face == null) {
            return null;
        }
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        out.put("genderEstimate", face.gender());
        out.put("ageEstimate", (int) Math.round(face.age()));
        return out;
    }

    /** Page type -> {@code PageTamperingInspection} (or its disclose form), in page order; pages with nothing measured are left out. */
    static ObjectNode pageTampering(DisDocument document, boolean disclose) {
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        for (String type : DisDocumentOps.PAGE_TYPES) {
            for (DisDocumentPage page : document.getPages()) {
                if (page.getPageType().equals(type)) {
                    putIfAny(out, type, disclose ? DisPageTampering.disclose(page.getTampering()) : DisPageTampering.inspect(page.getTampering()));
                }
            }
        }
        return out;
    }

    /** {@code DocumentChipInspection}; null without chip data. */
    static ObjectNode chipInspection(DisDocument document) {
        if (document.getChipDataAuthentication() == null) {
            return null;
        }
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        out.put("dataAuthentication", document.getChipDataAuthentication());
        return out;
    }

    private static void putIfAny(ObjectNode body, String name, ObjectNode part) {
        if (part != null && !part.isEmpty()) {
            body.set(name, part);
        }
    }
}
