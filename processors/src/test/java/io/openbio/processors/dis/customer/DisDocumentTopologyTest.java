package io.openbio.processors.dis.customer;

import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.body;
import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.code;
import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.ResultEvent;
import io.openbio.inference.image.RgbImage;
import io.openbio.processors.core.Analyzers;
import io.openbio.schemas.contract.DisContract;
import io.openbio.testkit.IdCards;
import io.openbio.testkit.Photos;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The document operations of the dis-customers stage on TopologyTestDriver with the real page analyzer and face
 * models: PUT / DELETE document (replace, idempotent delete), pages before a document (404), a card photo (corners,
 * confidence, normalised page kept sealed, quality, portrait, the customer's document links), a photo without a card
 * (NO_CARD_CORNERS_DETECTED, nothing kept), the advised document type (NOT_SUPPORTED), GET page resized.
 */
class DisDocumentTopologyTest {
    static byte[] card;
    static byte[] blankCard;
    static byte[] noCard;

    @BeforeAll
    static void photos() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        card = IdCards.withPortrait(Photos.MAN_A);
        blankCard = IdCards.blank();
        noCard = Photos.bytes(Photos.MAN_A);
    }

    static Map<String, String> attrs(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void documentPutReplacesAndDeleteIsIdempotent() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            // pages before a document: 404 NOT_FOUND
            ResultEvent early = stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, card));
            assertThat(status(early)).isEqualTo(404);
            assertThat(code(early)).isEqualTo("NOT_FOUND");
            JsonNode put = body(stage.customer(DisContract.DOCUMENT_PUT, id, null,
                    attrs(DisContract.DOCUMENT_TYPES, "identity-card", DisContract.DOCUMENT_COUNTRIES, "CZE", DisContract.DOCUMENT_SOURCES, "VIZ,MRZ"), Map.of()));
            assertThat(put.at("/links/self").asText()).isEqualTo("/api/v1/customers/" + id + "/document");
            assertThat(stage.customers().get(id).getDocument().getTypes()).containsExactly("identity-card");
            assertThat(stage.customers().get(id).getDocument().getSources()).containsExactly("VIZ", "MRZ");
            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id));
            assertThat(customer.at("/customer/document/pageTypes").size()).isZero();
            assertThat(customer.at("/customer/document/type/supportLevel").asText()).isEqualTo("NOT_SUPPORTED");
            assertThat(customer.at("/customer/document/type/country").asText()).isEqualTo("cze");
            // a second PUT replaces the advice
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_TYPES, "passport"), Map.of()));
            assertThat(stage.customers().get(id).getDocument().getTypes()).containsExactly("passport");
            assertThat(stage.customers().get(id).getDocument().getCountries()).isEmpty();
            // delete: 204, then page operations are 404; deleting again (or an unknown customer) is 204
            assertThat(status(stage.customer(DisContract.DOCUMENT_DELETE, id))).isEqualTo(204);
            assertThat(stage.customers().get(id).getDocument()).isNull();
            assertThat(status(stage.customer(DisContract.DOCUMENT_DELETE, id))).isEqualTo(204);
            assertThat(status(stage.customer(DisContract.DOCUMENT_DELETE, java.util.UUID.randomUUID().toString()))).isEqualTo(204);
            assertThat(code(stage.customer(DisContract.DOCUMENT_PORTRAIT, id))).isEqualTo("NOT_FOUND");
            // on an unknown customer, PUT document is 404
            assertThat(code(stage.customer(DisContract.DOCUMENT_PUT, java.util.UUID.randomUUID().toString()))).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void aCardPageIsDetectedNormalisedAndKeptSealed() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_TYPES, "identity-card"), Map.of()));
            JsonNode page = body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, card)));
            assertThat(page.has("errorCode")).as(page.toString()).isFalse();
            assertThat(page.get("pageType").asText()).isEqualTo("front");
            assertThat(page.at("/detection/confidence").asDouble()).isGreaterThanOrEqualTo(0.7).isLessThanOrEqualTo(1);
            assertThat(page.at("/detection/cornerOutOfImage").asBoolean()).isFalse();
            // the card lies in the 1280x900 scene, its top-left corner left of and above its bottom-right one
            JsonNode c = page.at("/detection/coordinates");
            assertThat(c.at("/topLeftCorner/x").asInt()).isLessThan(c.at("/bottomRightCorner/x").asInt());
            assertThat(c.at("/topLeftCorner/y").asInt()).isLessThan(c.at("/bottomRightCorner/y").asInt());
            assertThat(page.at("/documentType/type").asText()).isEqualTo("identity-card");
            assertThat(page.at("/documentType/supportLevel").asText()).isEqualTo("NOT_SUPPORTED");
            assertThat(page.has("warnings")).isFalse();
            assertThat(page.at("/links/self").asText()).isEqualTo("/api/v1/customers/" + id + "/document/pages/front");

            // kept sealed: the stored bytes are no JPEG, and the page as answered is not in them
            byte[] stored = stage.parts().get(CustomerParts.key(id, CustomerParts.page("front")));
            assertThat(stored).isNotNull();
            assertThat(stored[0] == (byte) 0xFF && stored[1] == (byte) 0xD8).as("not a JPEG as stored").isFalse();

            // GET page: the normalised (landscape) page; width and height fit inside
            byte[] full = Base64.getDecoder().decode(body(stage.customer(DisContract.PAGE_GET, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of()))
                    .get("data").asText());
            RgbImage fullImage = Analyzers.shared().decode(full).image();
            assertThat(DisCustomerTopologyTest.indexOf(stored, Arrays.copyOfRange(full, 0, 64))).isNegative();
            assertThat(fullImage.width()).isGreaterThan(fullImage.height());
            byte[] small = Base64.getDecoder().decode(body(stage.customer(DisContract.PAGE_GET, id, null,
                    attrs(DisContract.PAGE_TYPE, "front", DisContract.WIDTH, "200", DisContract.HEIGHT, "200"), Map.of())).get("data").asText());
            RgbImage smallImage = Analyzers.shared().decode(small).image();
            assertThat(smallImage.width()).isEqualTo(200);
            assertThat(smallImage.height()).isLessThan(200);
            assertThat(code(stage.customer(DisContract.PAGE_GET, id, null, attrs(DisContract.PAGE_TYPE, "front", DisContract.WIDTH, "0"), Map.of())))
                    .isEqualTo("INVALID_REQUEST_PARAMETER");
            assertThat(code(stage.customer(DisContract.PAGE_GET, id, null, attrs(DisContract.PAGE_TYPE, "back"), Map.of()))).isEqualTo("NOT_FOUND");

            // quality as measured
            JsonNode quality = body(stage.customer(DisContract.PAGE_QUALITY, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of()));
            assertThat(quality.has("fine")).isTrue();
            assertThat(quality.at("/details/sharpness/level").asText()).isIn("LOW", "MEDIUM", "HIGH");
            assertThat(quality.at("/details/brightness/score").asDouble()).isBetween(0.0, 1.0);

            // the portrait of the card's face
            byte[] portrait = Base64.getDecoder().decode(body(stage.customer(DisContract.DOCUMENT_PORTRAIT, id)).get("data").asText());
            assertThat(Analyzers.shared().detectAll(Analyzers.shared().decode(portrait))).isNotEmpty();

            // the customer's document: page types and links
            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).at("/customer/document");
            assertThat(customer.get("pageTypes").toString()).isEqualTo("[\"front\"]");
            assertThat(customer.at("/links/pages/front").asText()).isEqualTo("/api/v1/customers/" + id + "/document/pages/front");
            assertThat(customer.at("/links/portrait").asText()).isEqualTo("/api/v1/customers/" + id + "/document/portrait");

            // a photo without a card: errorCode, nothing replaced
            JsonNode none = body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, noCard)));
            assertThat(none.get("errorCode").asText()).isEqualTo("NO_CARD_CORNERS_DETECTED");
            assertThat(none.has("detection")).isFalse();
            assertThat(stage.parts().get(CustomerParts.key(id, CustomerParts.page("front")))).isEqualTo(stored);

            // the back without advice of type; a blank card has no portrait
            JsonNode back = body(stage.customer(DisContract.PAGE_PUT, id, null, Map.of(), Map.of(DisContract.IMAGE_PART, blankCard)));
            assertThat(back.get("pageType").asText()).isEqualTo("back");
            assertThat(stage.parts().get(CustomerParts.key(id, CustomerParts.pagePortrait("back")))).isNull();
            // a bad page type, an unreadable image
            assertThat(code(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "side"), Map.of(DisContract.IMAGE_PART, card))))
                    .isEqualTo("INVALID_REQUEST_BODY");
            assertThat(code(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"),
                    Map.of(DisContract.IMAGE_PART, Arrays.copyOf(card, 40))))).isEqualTo("INVALID_IMAGE");

            // deleting the document drops its parts
            assertThat(status(stage.customer(DisContract.DOCUMENT_DELETE, id))).isEqualTo(204);
            assertThat(stage.parts().get(CustomerParts.key(id, CustomerParts.page("front")))).isNull();
            assertThat(stage.parts().get(CustomerParts.key(id, CustomerParts.pagePortrait("front")))).isNull();
        }
    }

    @Test
    void withoutAdviceThePageWarnsTheTypeIsNotRecognized() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
            JsonNode page = body(stage.customer(DisContract.PAGE_PUT, id, null, Map.of(), Map.of(DisContract.IMAGE_PART, card)));
            assertThat(page.get("pageType").asText()).isEqualTo("front");
            assertThat(page.get("warnings").toString()).isEqualTo("[\"DOCUMENT_TYPE_NOT_RECOGNIZED\"]");
            assertThat(page.at("/documentType/supportLevel").asText()).isEqualTo("NOT_SUPPORTED");
            assertThat(page.at("/documentType").has("type")).isFalse();
        }
    }
}
