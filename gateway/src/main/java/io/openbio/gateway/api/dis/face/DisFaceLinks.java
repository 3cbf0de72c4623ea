package io.openbio.gateway.api.dis.face;

import io.openbio.events.ExtractedImage;
import io.openbio.events.ResultEvent;
import io.openbio.schemas.contract.DisContract;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links to a customer's images that a face may come from ({@code faceOrigin.link}), and the DIS session id of an
 * {@code x-inn-session-token} (hex SHA-256 of the token: tokens are never stored or sent in clear).
 */
final class DisFaceLinks {
    /** The request attribute carrying the link as given (the dis-customers stage picks the image by it). */
    static final String LINK = "link";
    static final Pattern CUSTOMER_IMAGE = Pattern.compile("^/api/v1/customers/([^/]+)/(selfie|document/portrait)$");

    private DisFaceLinks() {
    }

    record CustomerImage(String customerId, String image) {
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
        return new CustomerImage(customer, m.group(2));
    }

    /** hex(SHA-256(token)), or null without a token. */
    static String sessionId(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
