package io.openbio.processors.dis.customer;

import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.body;
import static io.openbio.processors.dis.customer.DisDocumentTopologyTest.attrs;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.schemas.contract.DisContract;
import io.openbio.testkit.MrzCardPhotos;
import io.openbio.testkit.MrzDocuments;
import io.openbio.testkit.Photos;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The measurement behind the visual-zone inspection's low-confidence threshold (README "DIS documents",
 * {@link DisDocumentInspection#LOW_OCR_CONFIDENCE}): 16 GENUINE synthetic pages (testkit {@link MrzDocuments}, TD1 and TD3
 * alternately, seeds 1000..1015) uploaded to the stage; per page, the Tesseract confidence of each printed field found
 * again in the visual zone (exactly, or nearly: a misreading) and the inspection's answer. Prints one line per page;
 * run on demand:
 * <pre>mvn -B -o -pl processors -am -Dopenbio.fetch.skip=true -Dtest=DisTextInspectionEvaluation -Deval.dis.text=true -Dsurefire.failIfNoSpecifiedTests=false verify</pre>
 */
@EnabledIfSystemProperty(named = "eval.dis.text", matches = "true")
class DisTextInspectionEvaluation {
    @Test
    void genuineSyntheticPages() throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        String[] photos = {Photos.MAN_A, Photos.MAN_B};
        int lowPages = 0;
        int inconsistentPages = 0;
        int pages = 16;
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            for (int i = 0; i < pages; i++) {
                MrzDocuments.Layout layout = i % 2 == 0 ? MrzDocuments.Layout.TD1 : MrzDocuments.Layout.TD3;
                MrzDocuments.Holder h = MrzDocuments.holder(layout, new Random(1000 + i));
                String id = stage.create(null);
                body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
                body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART,
                        MrzCardPhotos.onDesk(layout, h, Photos.bytes(photos[i % 2]), layout == MrzDocuments.Layout.TD1 ? 1000 : 1400))));
                DisPageReading.Page page = DisPageReading.decode(new CustomerParts(stage.parts())
                        .get(stage.customers().get(id), id, CustomerParts.pageReading("front")));
                Map<String, DisPageReading.Page> read = new LinkedHashMap<>();
                read.put("front", page);
                DisDocumentFields f = new DisDocumentFields(read, Optional.empty(), LocalDate.now());
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %d | %s | %s |", i, layout, page.mrz().status()));
                for (String[] v : new String[][] {{h.surname(), "NAME"}, {h.givenNames(), "NAME"}, {h.documentNumber(), "NUMBER"},
                        {f.date(h.dateOfBirth(), true), "DATE"}, {f.date(h.dateOfExpiry(), false), "DATE"}}) {
                    DisDocumentFields.Kind kind = DisDocumentFields.Kind.valueOf(v[1]);
                    DisDocumentFields.Match m = f.exact(v[0], kind);
                    DisDocumentFields.Match n = m == null ? f.near(v[0], kind) : null;
                    b.append(m != null ? String.format(Locale.ROOT, " %.3f |", m.confidence())
                            : n != null ? String.format(Locale.ROOT, " misread %.3f |", n.confidence()) : " - |");
                }
                JsonNode viz = body(stage.customer(DisContract.DOCUMENT_INSPECT, id)).path("visualZoneInspection");
                lowPages += viz.at("/ocrConfidence/lowOcrConfidenceTexts").isEmpty() ? 0 : 1;
                inconsistentPages += viz.at("/textConsistency/consistent").asBoolean(true) ? 0 : 1;
                System.out.println(b.append(' ').append(viz).append(" |"));
            }
        }
        System.out.printf("genuine pages with a low-confidence text: %d of %d; inconsistent: %d of %d%n", lowPages, pages, inconsistentPages, pages);
    }
}
