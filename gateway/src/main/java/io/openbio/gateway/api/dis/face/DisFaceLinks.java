package io.openbio.gateway.api.dis.face;

import io.openbio.events.ExtractedImage;
import io.openbio.events.ResultEvent;
import io.openbio.schemas.contract.DisContract;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Links to a customer's images that a face may come from ({@code faceOrigin.link}). */
final class DisFaceLinks {
    /** The dis-customers stage's name of the document portrait image ({@link DisContract#IMAGE_SOURCE}); the documents issue serves it. */
    static final String PORTRAIT_SOURCE = "documentPortrait";
    static final Pattern CUSTOMER_IMAGE = Pattern.compile("^/api/v1/customers/([^/]+)/(selfie|document/portrait)$");

    private DisFaceLinks() {
    }

    /** @param source the {@link DisContract#IMAGE_SOURCE} the link names */
    record CustomerImage(String customerId, String source) {
    }

    static CustomerImage customerImage(String link) {
        Matcher m = link == null ? null : CUSTOMER_IMAGE.matcher(link);
        if (m == null || !m.matches()) {
            throw DisFaceRequests.body("'faceOrigin.link' must be a customer selfie or document portrait link,"
                    + " /api/v1/customers/{id}/selfie or /api/v1/customers/{id}/document/portrait");
        }
        String customer = DisContract.canonicalUuid(m.group(1));
        if (customer == null) {
            throw new io.openbio.gateway.web.ApiException(400, "INVALID_ID", "Invalid customer id in 'faceOrigin.link'");
        }
        return new CustomerImage(customer, m.group(2).equals("selfie") ? DisContract.SELFIE_SOURCE : PORTRAIT_SOURCE);
    }

    /** The image of the customers stage's answer (opened by the pipeline client); null for an error or another answer. */
    static byte[] image(ResultEvent result) {
        if (result.getError() != null || !(result.getPayload() instanceof ExtractedImage image)) {
            return null;
        }
        byte[] bytes = new byte[image.getData().remaining()];
        image.getData().duplicate().get(bytes);
        return bytes;
    }
}
