package io.openbio.processors.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.CaptureLivenessResult;
import io.openbio.events.ClientPart;
import io.openbio.events.ClientRequest;
import io.openbio.events.ClientResult;
import io.openbio.events.NonceIssued;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.bundle.BundleKeyStore;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.ClientsContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.schemas.json.ResultJson;
import io.openbio.testkit.Drivers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka-clients stage on TopologyTestDriver: requests become the gateway's envelopes (tenant from
 * the topic, parts sealed), poison events each yield one error result and the stage goes on, a
 * duplicate yields nothing, and answers reach the tenant's result topic as the HTTP API's body.
 */
class KafkaClientsTopologyTest {
    static final byte[] BUNDLE = "not really a bundle, the decrypt stage judges it".getBytes(StandardCharsets.US_ASCII);
    static final String CHECK_MODEL = "{\"operations\":[\"FACE_CHECK\"]}";

    static byte[] avro(ClientRequest request) {
        return Drivers.SERDES.valueSerde(ClientRequest.class).serializer().serialize("t", request);
    }

    static ClientRequest liveness(byte[] bundle) {
        return ClientRequest.newBuilder().setOperation(CaptureContract.CHECK_CAPTURE_LIVENESS)
                .setParts(List.of(new ClientPart("bundle", ByteBuffer.wrap(bundle)))).build();
    }

    static final Duration NONCE_TTL = Duration.ofMinutes(5);

    @TempDir
    static Path keysDir;

    static BundleKeyStore keys() {
        return BundleKeyStore.openOrCreate(keysDir.resolve("bundle-keys.p12"), "test".toCharArray());
    }

    private static Drivers.Driver driver() {
        return driver(false);
    }

    /** The stage of tenants acme and globex; {@code plainImages}: OPENBIO_KAFKA_CLIENT_PLAIN_IMAGES. */
    private static Drivers.Driver driver(boolean plainImages) {
        return Drivers.start(new KafkaClientsProcessor(List.of("acme", "globex"), plainImages, NONCE_TTL,
                io.openbio.processors.core.Lazily.once(KafkaClientsTopologyTest::keys)).topology(Drivers.SERDES));
    }

    private static TestInputTopic<String, byte[]> requests(Drivers.Driver driver, String tenant) {
        return driver.createInputTopic(ClientsContract.REQUESTS_PREFIX + tenant, new StringSerializer(), new ByteArraySerializer());
    }

    @Test
    void aRequestBecomesTheGatewaysEnvelopeWithTheTopicsTenantAndSealedParts() {
        // plain images allowed (OPENBIO_KAFKA_CLIENT_PLAIN_IMAGES=true): the check goes on with encrypted=false
        try (Drivers.Driver driver = driver(true)) {
            var capture = driver.output(Topics.CAPTURE_REQUESTS);
            var ekyc = driver.output(Topics.EKYC_REQUESTS);
            requests(driver, "acme").pipeInput("c-1", avro(liveness(BUNDLE)));
            requests(driver, "globex").pipeInput("e-1", avro(ClientRequest.newBuilder().setOperation(EkycContract.CHECK)
                    .setCheckModel(CHECK_MODEL).setEncrypted(false)
                    .setParts(List.of(new ClientPart("face", ByteBuffer.wrap(BUNDLE)))).build()));

            var sent = capture.readKeyValue();
            RequestEnvelope envelope = sent.value;
            assertThat(sent.key).isEqualTo("kc:acme:c-1").isEqualTo(envelope.getRequestId());
            assertThat(envelope.getTenant()).isEqualTo("acme");
            assertThat(envelope.getOperation()).isEqualTo(CaptureContract.CHECK_CAPTURE_LIVENESS);
            assertThat(envelope.getReplyTo()).isEqualTo(ClientsContract.REPLIES.name());
            byte[] sealed = bytes(envelope.getParts().get(0).getData());
            assertThat(sealed).isNotEqualTo(BUNDLE);
            assertThat(PayloadKeys.shared().open("acme", Purpose.PART, "kc:acme:c-1", sealed)).isEqualTo(BUNDLE);

            RequestEnvelope check = ekyc.readValue();
            assertThat(check.getTenant()).isEqualTo("globex");
            assertThat(check.getAttributes()).containsEntry("encrypted", "false").containsKey("checkModel");
            assertThat(check.getParts()).extracting(p -> p.getName()).containsExactly("face");
            assertThat(capture.isEmpty()).isTrue();
            assertThat(ekyc.isEmpty()).isTrue();
        }
    }

    @Test
    void poisonEventsEachYieldOneErrorResultAndTheStageGoesOn() {
        try (Drivers.Driver driver = driver()) {
            var in = requests(driver, "acme");
            TestOutputTopic<String, ClientResult> results = driver.output(ClientsContract.results("acme"));
            var audit = driver.output(Topics.AUDIT);
            var capture = driver.output(Topics.CAPTURE_REQUESTS);
            byte[] good = avro(liveness(BUNDLE));
            in.pipeInput("truncated", Arrays.copyOf(good, good.length / 2));
            in.pipeInput("garbage", new byte[] {0, 0, 0, 0, 42, 1, 2, 3});
            in.pipeInput("no-value", (byte[]) null);
            in.pipeInput("unknown-op", avro(ClientRequest.newBuilder(liveness(BUNDLE)).setOperation("ekyc.delete_everything").build()));
            in.pipeInput("oversized", avro(liveness(new byte[10 * 1024 * 1024 + 1])));
            in.pipeInput("no-model", avro(ClientRequest.newBuilder().setOperation(EkycContract.CHECK).build()));
            in.pipeInput("empty-bundle", avro(liveness(new byte[0])));
            in.pipeInput("after", good);

            var byId = Drivers.readAllByKey(results);
            assertThat(byId).containsOnlyKeys("truncated", "garbage", "no-value", "unknown-op", "oversized", "no-model", "empty-bundle");
            assertThat(byId.get("truncated").getErrorCode()).isEqualTo("INVALID_EVENT");
            assertThat(byId.get("truncated").getStatus()).isEqualTo(400);
            assertThat(byId.get("truncated").getOperation()).isNull();
            assertThat(byId.get("garbage").getErrorCode()).isEqualTo("INVALID_EVENT");
            assertThat(byId.get("no-value").getErrorCode()).isEqualTo("INVALID_EVENT");
            assertThat(byId.get("unknown-op").getErrorCode()).isEqualTo("UNKNOWN_OPERATION");
            assertThat(byId.get("oversized").getStatus()).isEqualTo(413);
            assertThat(byId.get("oversized").getErrorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(byId.get("no-model").getErrorMessage()).isEqualTo("Required part 'checkModel' is not present");
            assertThat(byId.get("empty-bundle").getErrorMessage()).isEqualTo("Failed to parse file");
            assertThat(byId.values()).allSatisfy(r -> assertThat(r.getTenant()).isEqualTo("acme"));
            assertThat(audit.readValuesToList()).hasSize(7);
            assertThat(capture.readKeyValue().key).isEqualTo("kc:acme:after");
        }
    }

    @Test
    void theSameRequestIdTwiceIsOneRequestButTwoTenantsMayShareAnId() {
        try (Drivers.Driver driver = driver()) {
            var capture = driver.output(Topics.CAPTURE_REQUESTS);
            requests(driver, "acme").pipeInput("dup", avro(liveness(BUNDLE)));
            requests(driver, "acme").pipeInput("dup", avro(liveness(BUNDLE)));
            requests(driver, "acme").pipeInput("bad-dup", new byte[] {1});
            requests(driver, "acme").pipeInput("bad-dup", new byte[] {1});
            requests(driver, "globex").pipeInput("dup", avro(liveness(BUNDLE)));
            assertThat(capture.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("kc:acme:dup", "kc:globex:dup");
            assertThat(driver.output(ClientsContract.results("acme")).readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("bad-dup");
        }
    }

    @Test
    void aTopicOfNoConfiguredTenantAndARecordWithoutAnIdAreDropped() {
        try (Drivers.Driver driver = driver()) {
            var capture = driver.output(Topics.CAPTURE_REQUESTS);
            requests(driver, "mallory").pipeInput("x", avro(liveness(BUNDLE)));
            requests(driver, "acme").pipeInput(null, avro(liveness(BUNDLE)));
            requests(driver, "acme").pipeInput("with space", avro(liveness(BUNDLE)));
            assertThat(capture.isEmpty()).isTrue();
            assertThat(driver.output(Topics.RESULTS).isEmpty()).isTrue();
        }
    }

    @Test
    void anAnswerReachesTheTenantsResultTopicAsTheHttpBody() {
        try (Drivers.Driver driver = driver()) {
            var replies = driver.input(ClientsContract.REPLIES);
            var acme = driver.output(ClientsContract.results("acme"));
            var globex = driver.output(ClientsContract.results("globex"));
            Instant now = Instant.now();
            replies.pipeInput("kc:acme:c-7", ResultEvent.newBuilder().setRequestId("kc:acme:c-7").setTenant("acme")
                    .setOperation(CaptureContract.CHECK_CAPTURE_LIVENESS).setCreatedAt(now).setCompletedAt(now)
                    .setPayload(new CaptureLivenessResult(0.25, 0.25, List.of())).build());
            // a reply whose id names another tenant than its own is not delivered to either
            replies.pipeInput("kc:globex:c-8", ResultEvent.newBuilder().setRequestId("kc:globex:c-8").setTenant("acme")
                    .setOperation(CaptureContract.CHECK_CAPTURE_LIVENESS).setCreatedAt(now).setCompletedAt(now)
                    .setPayload(new CaptureLivenessResult(0.25, 0.25, List.of())).build());

            var result = acme.readRecord();
            assertThat(result.key()).isEqualTo("c-7");
            assertThat(result.value().getStatus()).isEqualTo(200);
            assertThat(result.value().getBody()).isEqualTo("{\"capture_liveness\":{\"probability\":0.25}}");
            assertThat(result.value().getPlatformRequestId()).isEqualTo("kc:acme:c-7");
            // the outcome in headers too, for tools that cannot read Avro (kcat -f '%k %h')
            assertThat(header(result.headers(), ClientsContract.STATUS_HEADER)).isEqualTo("200");
            assertThat(header(result.headers(), ClientsContract.OPERATION_HEADER)).isEqualTo(CaptureContract.CHECK_CAPTURE_LIVENESS);
            assertThat(result.headers().lastHeader(ClientsContract.ERROR_CODE_HEADER)).isNull();
            assertThat(acme.isEmpty()).isTrue();
            assertThat(globex.isEmpty()).isTrue();
        }
    }

    private static String header(org.apache.kafka.common.header.Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void anErrorResultCarriesItsStatusAndCodeInHeaders() {
        var error = KafkaClientsProcessor.outcomeHeaders(ClientResult.newBuilder().setRequestId("x").setTenant("acme")
                .setOperation(null).setStatus(400).setErrorCode("INVALID_EVENT").setErrorMessage("m").setBody(null)
                .setPlatformRequestId("kc:acme:x").setCompletedAt(Instant.now()).build());
        assertThat(header(error, ClientsContract.STATUS_HEADER)).isEqualTo("400");
        assertThat(header(error, ClientsContract.ERROR_CODE_HEADER)).isEqualTo("INVALID_EVENT");
        assertThat(error.lastHeader(ClientsContract.OPERATION_HEADER)).as("no operation on an undecodable event").isNull();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @Test
    void plainImagesAreRefusedByDefaultWithoutReachingTheRoute() {
        try (Drivers.Driver driver = driver()) {
            var ekyc = driver.output(Topics.EKYC_REQUESTS);
            var results = driver.output(ClientsContract.results("acme"));
            var audit = driver.output(Topics.AUDIT);
            requests(driver, "acme").pipeInput("plain", avro(ClientRequest.newBuilder().setOperation(EkycContract.CHECK)
                    .setCheckModel(CHECK_MODEL).setEncrypted(false)
                    .setParts(List.of(new ClientPart("face", ByteBuffer.wrap(BUNDLE)))).build()));
            // bundles (encrypted=true, the default) go on to the route
            requests(driver, "acme").pipeInput("bundles", avro(ClientRequest.newBuilder().setOperation(EkycContract.CHECK)
                    .setCheckModel(CHECK_MODEL).setParts(List.of(new ClientPart("face", ByteBuffer.wrap(BUNDLE)))).build()));

            var refused = results.readKeyValue();
            assertThat(refused.key).isEqualTo("plain");
            assertThat(refused.value.getStatus()).isEqualTo(400);
            assertThat(refused.value.getErrorCode()).isEqualTo("PLAIN_IMAGES_REFUSED");
            assertThat(refused.value.getErrorMessage()).contains("capture bundles").contains("iad.nonce");
            assertThat(refused.value.getOperation()).isEqualTo(EkycContract.CHECK);
            assertThat(results.isEmpty()).isTrue();
            assertThat(ekyc.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("kc:acme:bundles");
            assertThat(audit.readValuesToList()).hasSize(1);
        }
    }

    @Test
    void aNonceIsIssuedToTheTopicsTenantRecordedAndAnsweredAsPostBundleNonce() throws Exception {
        try (Drivers.Driver driver = driver()) {
            var nonces = driver.output(Topics.CAPTURE_NONCES);
            var acme = driver.output(ClientsContract.results("acme"));
            var globex = driver.output(ClientsContract.results("globex"));
            var capture = driver.output(Topics.CAPTURE_REQUESTS);
            Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            requests(driver, "acme").pipeInput("n-1", avro(ClientRequest.newBuilder().setOperation(ClientsContract.NONCE).build()));
            requests(driver, "globex").pipeInput("n-1", avro(ClientRequest.newBuilder().setOperation(ClientsContract.NONCE).build()));
            // the same request id again: no second nonce, no second result
            requests(driver, "acme").pipeInput("n-1", avro(ClientRequest.newBuilder().setOperation(ClientsContract.NONCE).build()));

            var recorded = nonces.readKeyValuesToList();
            assertThat(recorded).hasSize(2);
            NonceIssued issued = recorded.get(0).value;
            assertThat(recorded.get(0).key).isEqualTo(issued.getNonce());
            assertThat(issued.getTenant()).isEqualTo("acme");
            assertThat(recorded.get(1).value.getTenant()).isEqualTo("globex");
            assertThat(recorded.get(1).value.getNonce()).isNotEqualTo(issued.getNonce());
            assertThat(issued.getNonce()).matches("[A-Za-z0-9_-]{43}");
            assertThat(issued.getChallenge()).isNull();
            assertThat(issued.getIssuedAt()).isBetween(before, Instant.now());
            assertThat(Duration.between(issued.getIssuedAt(), issued.getExpiresAt())).isEqualTo(NONCE_TTL);

            var result = acme.readKeyValue();
            assertThat(result.key).isEqualTo("n-1");
            assertThat(result.value.getStatus()).isEqualTo(200);
            assertThat(result.value.getOperation()).isEqualTo(ClientsContract.NONCE);
            assertThat(result.value.getTenant()).isEqualTo("acme");
            // POST /bundle/nonce's body: the BundleNonce schema, nothing else
            JsonNode body = ResultJson.MAPPER.readTree(result.value.getBody());
            assertThat(fieldNames(body)).containsExactly("nonce", "expiresAt");
            assertThat(body.get("nonce").asText()).isEqualTo(issued.getNonce());
            assertThat(Instant.parse(body.get("expiresAt").asText())).isEqualTo(issued.getExpiresAt());
            assertThat(acme.isEmpty()).isTrue();
            assertThat(globex.readKeyValue().value.getBody()).contains(recorded.get(1).value.getNonce());
            assertThat(capture.isEmpty()).isTrue();
            // the result also reached openbio.results, its body sealed
            ResultEvent shared = driver.output(Topics.RESULTS).readValuesToList().get(0);
            assertThat(shared.getRequestId()).isEqualTo("kc:acme:n-1");
            assertThat(shared.getPayload().toString()).doesNotContain(issued.getNonce());
        }
    }

    @Test
    void thePublicKeyIsAnsweredAsGetBundlePublicKeyAndTheseOperationsTakeNoParts() throws Exception {
        try (Drivers.Driver driver = driver()) {
            var acme = driver.output(ClientsContract.results("acme"));
            var nonces = driver.output(Topics.CAPTURE_NONCES);
            requests(driver, "acme").pipeInput("k-1", avro(ClientRequest.newBuilder().setOperation(ClientsContract.PUBLIC_KEY).build()));
            requests(driver, "acme").pipeInput("k-parts", avro(ClientRequest.newBuilder().setOperation(ClientsContract.PUBLIC_KEY)
                    .setParts(List.of(new ClientPart("bundle", ByteBuffer.wrap(BUNDLE)))).build()));
            requests(driver, "acme").pipeInput("n-parts", avro(ClientRequest.newBuilder().setOperation(ClientsContract.NONCE)
                    .setParts(List.of(new ClientPart("face", ByteBuffer.wrap(BUNDLE)))).build()));

            var byId = Drivers.readAllByKey(acme);
            ClientResult key = byId.get("k-1");
            assertThat(key.getStatus()).isEqualTo(200);
            assertThat(key.getOperation()).isEqualTo(ClientsContract.PUBLIC_KEY);
            BundleKeyStore store = keys();
            JsonNode body = ResultJson.MAPPER.readTree(key.getBody());
            assertThat(body).isEqualTo(ResultJson.MAPPER.valueToTree(store.publicKeyDocument()));
            assertThat(fieldNames(body)).containsExactly("kid", "alg", "curve", "publicKey");
            assertThat(body.get("kid").asText()).isEqualTo(store.activeKid());
            assertThat(body.get("curve").asText()).isEqualTo("P-256");
            for (String id : List.of("k-parts", "n-parts")) {
                assertThat(byId.get(id).getStatus()).as(id).isEqualTo(400);
                assertThat(byId.get(id).getErrorMessage()).as(id).contains("takes no parts");
            }
            assertThat(nonces.isEmpty()).as("no nonce for a refused iad.nonce").isTrue();
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
