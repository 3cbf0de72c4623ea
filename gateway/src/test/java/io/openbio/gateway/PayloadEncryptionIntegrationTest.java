package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.events.CollectionRecord;
import io.openbio.schemas.Topics;
import io.openbio.schemas.crypto.PayloadCipher;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.SealedPayloadException;
import io.openbio.testkit.IdCards;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 2: a Kafka client without the payload key store reads no image or template from the
 * topics. Real HTTP requests (capture, challenge capture, /check, enrolment, /generate-template, BioServer
 * session face and direct face) go through the broker and
 * the stages; then the raw record values of the topics they crossed are searched for the images' bytes
 * (and PNG / JPEG signatures) and for the template's float vector in every byte order, and a sealed
 * template moved to another record id must not open.
 */
class PayloadEncryptionIntegrationTest {
    /** The bioserver stage's state store changelogs (application id + store name + "-changelog"). */
    static final String BIOSERVER_SESSIONS_CHANGELOG = "openbio-bioserver-bioserver-sessions-changelog";
    static final String BIOSERVER_IMAGES_CHANGELOG = "openbio-bioserver-bioserver-images-changelog";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    static WiredPlatform platform;
    static int gateway;
    static CaptureClient client;
    static byte[] photo;
    static byte[] otherPhoto;
    static byte[] document;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-payload-crypt");
        client = new CaptureClient(gateway);
        photo = CaptureClient.photo("man_a.jpg");
        otherPhoto = CaptureClient.photo("man_b.jpg");
        document = IdCards.withPortrait(photo);
    }

    @Test
    void noImageOrTemplateIsReadableOnTheTopicsAndASealedTemplateOpensOnlyUnderItsOwnRecordId() throws Exception {
        // a capture (bundle -> decrypted frames), a /check (selfie + document), a template, an enrolment
        Http.Answer capture = Http.post(gateway, "/check_capture_liveness", "application/octet-stream", client.bundle(photo, "Integrated Camera"));
        assertThat(capture.status()).as(capture.body()).isEqualTo(200);
        // a challenge capture that passes (synthetic frames of one real photo): its frames cross the challenge
        // topics and its best frame and embedding the outcome record
        GenuineChallenge.Capture challenge = GenuineChallenge.perform(gateway, "{\"actions\":1,\"kinds\":[\"SMILE\"]}");
        Http.Answer verified = Http.post(gateway, "/challenge/verify", "application/octet-stream", challenge.bundle());
        assertThat(verified.json().get("decision").asText()).as(verified.body()).isEqualTo("PASS");
        String model = "{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\",\"FACE_MATCH_VALIDATION\"]}";
        Http.Answer check = Http.send(new Multipart().field("checkModel", "application/json", model)
                .file("face", "face", "application/octet-stream", otherPhoto)
                .file("doc", "doc", "application/octet-stream", document)
                .post(gateway, "/check?encrypted=false"));
        assertThat(check.status()).as(check.body()).isEqualTo(200);
        Http.Answer generated = Http.post(gateway, "/generate-template?encrypted=false", "application/octet-stream", photo);
        assertThat(generated.status()).as(generated.body()).isEqualTo(201);
        String template = generated.json().get("template").asText();
        float[] vector = vectorOf(template);
        assertThat(Http.post(gateway, "/collections?collection=sealed", "application/json", new byte[0]).status()).isEqualTo(201);
        Http.Answer enrolled = Http.post(gateway, "/add-template?collection=sealed", "application/json",
                ("{\"templates\":[\"" + template + "\"]}").getBytes(StandardCharsets.UTF_8));
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        String recordId = enrolled.json().get("record_ids").get(0).asText();
        Http.Answer byImage = Http.post(gateway, "/add-image?collection=sealed&encrypted=false", "application/octet-stream", photo);
        assertThat(byImage.status()).as(byImage.body()).isEqualTo(201);
        String imageRecordId = byImage.json().get("record_ids").get(0).asText();

        // the Liveness Check Proxy: a reference face (user store, audit) and a verify (request, audit)
        Http.Answer reference = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway
                        + "/admin/users/sealed-user/reference")).header("Content-Type", "image/jpeg")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(photo)).build());
        assertThat(reference.status()).as(reference.body()).isEqualTo(200);
        for (int i = 0; i < 150 && Http.get(gateway, "/admin/users/sealed-user/reference").status() != 200; i++) {
            Thread.sleep(200); // the stage reads its user store back as a global store
        }
        Http.Answer lcpVerify = Http.post(gateway, "/liveness/verify", "application/json", ("{\"userId\":\"sealed-user\",\"livenessRecord\":"
                + "{\"image\":\"" + java.util.Base64.getEncoder().encodeToString(otherPhoto) + "\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(lcpVerify.status()).as(lcpVerify.body()).isEqualTo(200);

        // BioServer: a session storing images, a face in it (the stage's state stores and their changelogs), a direct face
        // (its template in the answer)
        Http.Answer session = Http.post(gateway, "/bioserver-app/v2/bio-sessions", "application/json",
                "{\"imageStorageEnabled\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(session.status()).as(session.body()).isEqualTo(201);
        String sessionPath = "/bioserver-app" + session.raw().headers().firstValue("Location").orElseThrow();
        Http.Answer sessionFace = Http.send(new Multipart().field("face", "application/json", "{\"imageType\":\"SELFIE\"}")
                .file("image", "face.jpg", "image/jpeg", photo).post(gateway, sessionPath + "/faces"));
        assertThat(sessionFace.status()).as(sessionFace.body()).isEqualTo(201);
        Http.Answer directFace = Http.send(new Multipart().field("face", "application/json", "{\"imageType\":\"SELFIE\"}")
                .file("image", "face.jpg", "image/jpeg", otherPhoto).post(gateway, "/bioserver-app/v2/faces"));
        assertThat(directFace.status()).as(directFace.body()).isEqualTo(200);
        String bioServerTemplate = directFace.json().get("template").asText();

        List<byte[]> secrets = new ArrayList<>();
        secrets.addAll(vectorForms(vectorOf(bioServerTemplate)));
        secrets.add(bioServerTemplate.substring(0, 48).getBytes(StandardCharsets.US_ASCII));
        List<byte[]> images = new ArrayList<>(List.of(photo, otherPhoto, document));
        images.addAll(challenge.frames());
        for (byte[] image : images) {
            secrets.addAll(chunks(image));
        }
        secrets.add(PNG_SIGNATURE);
        secrets.add(Arrays16.jfifOrExif(photo)); // the JPEG start marker with its first segment header
        secrets.addAll(vectorForms(vector));
        secrets.add(template.substring(0, 48).getBytes(StandardCharsets.US_ASCII));

        String bootstrap = platform.settings.bootstrapServers();
        int scanned = 0;
        for (String topic : List.of(Topics.CAPTURE_REQUESTS.name(), Topics.CAPTURE_DECRYPTED.name(), Topics.CAPTURE_NONCE_CHECKED.name(),
                Topics.EKYC_REQUESTS.name(), Topics.EKYC_FACE_CHECKS.name(), Topics.EKYC_DOC_CHECKS.name(),
                Topics.EKYC_MATCHES.name(), Topics.EKYC_TEMPLATE_REQUESTS.name(), Topics.COLLECTION_RECORDS.name(), Topics.RESULTS.name(),
                Topics.LCP_REQUESTS.name(), Topics.LCP_REFERENCES.name(), Topics.LCP_AUDIT.name(),
                Topics.CHALLENGE_REQUESTS.name(), Topics.CHALLENGE_CAPTURES.name(), Topics.CHALLENGE_OUTCOMES.name(),
                Topics.BIOSERVER_REQUESTS.name(), BIOSERVER_SESSIONS_CHANGELOG, BIOSERVER_IMAGES_CHANGELOG)) {
            List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(bootstrap, topic, r -> false, Duration.ofSeconds(3));
            for (ConsumerRecord<String, byte[]> record : records) {
                if (record.value() == null) {
                    continue;
                }
                scanned++;
                for (byte[] secret : secrets) {
                    assertThat(indexOf(record.value(), secret)).as("%s record %s holds plaintext biometric bytes", topic, record.key()).isNegative();
                }
            }
            if (!topic.equals(Topics.CAPTURE_NONCE_CHECKED.name())) {
                assertThat(records).as("%s was crossed by the requests above", topic).isNotEmpty();
            }
        }
        assertThat(scanned).isGreaterThan(10);

        // the challenge's outcome: its embedding is nowhere in clear either
        ConsumerRecord<String, byte[]> rawOutcome = TopicReader.find(bootstrap, Topics.CHALLENGE_OUTCOMES.name(), challenge.nonce(), Duration.ofSeconds(10));
        assertThat(rawOutcome).isNotNull();
        io.openbio.events.ChallengeOutcome outcome = Topics.CHALLENGE_OUTCOMES.valueSerde(platform.settings.serdes()).deserializer()
                .deserialize(Topics.CHALLENGE_OUTCOMES.name(), rawOutcome.value());
        float[] embedding = PayloadKeys.shared().openVector(outcome.getTenant(), challenge.nonce(), bytes(outcome.getBestEmbedding()));
        for (byte[] secret : vectorForms(embedding)) {
            assertThat(indexOf(rawOutcome.value(), secret)).as("the outcome's embedding in clear").isNegative();
        }

        // the enrolled record: its sealed vector opens under its own record id only
        ConsumerRecord<String, byte[]> raw = TopicReader.find(bootstrap, Topics.COLLECTION_RECORDS.name(), recordId, Duration.ofSeconds(10));
        assertThat(raw).isNotNull();
        CollectionRecord record = Topics.COLLECTION_RECORDS.valueSerde(platform.settings.serdes()).deserializer()
                .deserialize(Topics.COLLECTION_RECORDS.name(), raw.value());
        byte[] sealed = bytes(record.getSealedVector());
        PayloadCipher cipher = PayloadKeys.shared();
        assertThat(cipher.openVector(record.getTenant(), recordId, sealed)).as("the enrolled template's vector").containsExactly(vector);
        assertThatThrownBy(() -> cipher.openVector(record.getTenant(), imageRecordId, sealed))
                .as("moved under another record id").isInstanceOfSatisfying(SealedPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(SealedPayloadException.Reason.TAMPERED));
        assertThatThrownBy(() -> cipher.openVector("another-tenant", recordId, sealed)).isInstanceOf(SealedPayloadException.class);
        sealed[sealed.length - 20] ^= 1;
        assertThatThrownBy(() -> cipher.openVector(record.getTenant(), recordId, sealed)).as("one bit flipped").isInstanceOf(SealedPayloadException.class);
    }

    /** The float vector of an OpenBio template (Template.encode: magic, format, model id and version, count, floats LE). */
    static float[] vectorOf(String template) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(template));
        b.position(5);
        int idLength = b.get() & 0xFF;
        b.position(b.position() + idLength);
        int versionLength = b.get() & 0xFF;
        b.position(b.position() + versionLength);
        int n = b.getShort();
        assertThat(n).as("template dimension").isEqualTo(512);
        b.order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (Math.abs(norm - 1.0) < 1e-6) {
            return v;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    /** Eight consecutive floats of the vector at a few places, little- and big-endian (Avro writes floats little-endian). */
    static List<byte[]> vectorForms(float[] v) {
        List<byte[]> out = new ArrayList<>();
        for (float[] vector : List.of(v, normalised(v))) {
            for (int start : new int[] {0, v.length / 2, v.length - 8}) {
                for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                    ByteBuffer b = ByteBuffer.allocate(32).order(order);
                    for (int i = start; i < start + 8; i++) {
                        b.putFloat(vector[i]);
                    }
                    out.add(b.array());
                }
            }
        }
        return out;
    }

    /** 32-byte pieces of an image at several places (any copy of the image on a topic contains them). */
    static List<byte[]> chunks(byte[] image) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int at = (int) ((long) (image.length - 32) * i / 5);
            out.add(java.util.Arrays.copyOfRange(image, at, at + 32));
        }
        return out;
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** JPEG magic as found at the start of a JPEG: SOI, the first marker and its length (10 bytes, never random). */
    static final class Arrays16 {
        static byte[] jfifOrExif(byte[] jpeg) {
            assertThat(jpeg[0] & 0xFF).isEqualTo(0xFF);
            assertThat(jpeg[1] & 0xFF).isEqualTo(0xD8);
            return java.util.Arrays.copyOf(jpeg, 10);
        }
    }
}
