package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.serde.EventSerdes;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** Inputs and driver plumbing shared by the eKYC TopologyTestDriver tests. */
final class EkycTestSupport {
    static final EventSerdes SERDES = EventSerdes.unregistered();
    static final String FULL_MODEL = "{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\",\"FACE_MATCH_VALIDATION\"]}";

    private EkycTestSupport() {
    }

    static Path photoPath(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(".photos").resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AssertionError(".photos/" + name + " missing: the inference module's build fetches it");
    }

    static byte[] photo(String name) {
        try {
            return Files.readAllBytes(photoPath(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A synthetic ID card (the drawing of launcher's EkycCheckBenchmark.idCard / gateway's
     * EkycIntegrationTest.idCard): a light card on a dark desk, {@code portraitPhoto} pasted in as
     * its portrait, text lines; {@code null} leaves the portrait area an empty grey box.
     */
    static byte[] idCard(byte[] portraitPhoto) {
        try {
            BufferedImage scene = new BufferedImage(1280, 900, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scene.createGraphics();
            g.setColor(new Color(40, 44, 52));
            g.fillRect(0, 0, 1280, 900);
            g.setColor(new Color(235, 238, 230));
            g.fillRoundRect(140, 150, 1000, 630, 40, 40);
            if (portraitPhoto != null) {
                BufferedImage photo = ImageIO.read(new ByteArrayInputStream(portraitPhoto));
                g.drawImage(photo, 180, 230, 360, 480, null);
            } else {
                g.setColor(new Color(190, 192, 188));
                g.fillRect(180, 230, 360, 480);
            }
            g.setColor(new Color(30, 30, 60));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 40));
            g.drawString("IDENTITY CARD", 600, 260);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 30));
            g.drawString("Surname: SAMPLE", 600, 360);
            g.drawString("Given names: ADAM", 600, 420);
            g.drawString("Born: 01.02.1980", 600, 480);
            g.drawString("No. X1234567", 600, 540);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(scene, "jpeg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return RequestEnvelope.newBuilder().setRequestId(id).setTenant("t1").setOperation(EkycPrepareProcessor.OPERATION)
                .setReplyTo("openbio.replies.gw-test").setCreatedAt(Instant.now()).setParts(parts).setAttributes(attributes).build();
    }

    static TopologyTestDriver driver(Topology topology) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ekyc-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/ekyc-test-" + System.nanoTime());
        return new TopologyTestDriver(topology, p);
    }

    static <V extends SpecificRecord> TestInputTopic<String, V> in(TopologyTestDriver d, TopicSpec<V> t) {
        return d.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde(SERDES).serializer());
    }

    static <V extends SpecificRecord> TestOutputTopic<String, V> out(TopologyTestDriver d, TopicSpec<V> t) {
        return d.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde(SERDES).deserializer());
    }

    static JsonNode json(String text) {
        try {
            return EkycJson.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
