package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Inputs shared by the eKYC TopologyTestDriver tests (photos, ID cards and drivers: testkit). */
final class EkycTestSupport {
    static final String FULL_MODEL = "{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\",\"FACE_MATCH_VALIDATION\"]}";

    private EkycTestSupport() {
    }

    /** A plain generated picture with no face in it: a grey gradient. */
    static byte[] noFacePng() {
        try {
            BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setPaint(new GradientPaint(0, 0, new Color(60, 60, 60), 640, 480, new Color(200, 200, 200)));
            g.fillRect(0, 0, 640, 480);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An IDLive /check request as the gateway's EkycController makes it (parts "face" and "doc"). */
    static RequestEnvelope check(String id, String checkModel, Boolean encrypted, byte[] face, byte[] doc) {
        List<Part> parts = new ArrayList<>();
        if (face != null) {
            parts.add(new Part("face", null, ByteBuffer.wrap(face)));
        }
        if (doc != null) {
            parts.add(new Part("doc", null, ByteBuffer.wrap(doc)));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("checkModel", checkModel);
        if (encrypted != null) {
            attributes.put("encrypted", encrypted.toString());
        }
        return io.openbio.processors.TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(id).setTenant("t1").setOperation(EkycPrepareProcessor.OPERATION)
                .setReplyTo("openbio.replies.gw-test").setCreatedAt(Instant.now()).setParts(parts).setAttributes(attributes).build());
    }

    static JsonNode json(String text) {
        try {
            return EkycJson.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
