package io.openbio.schemas.settings;

import static io.openbio.schemas.settings.Setting.Component.GATEWAY;
import static io.openbio.schemas.settings.Setting.Component.LAUNCHER;
import static io.openbio.schemas.settings.Setting.Component.PROCESSORS;
import static io.openbio.schemas.settings.Setting.Component.TOOLS;
import static io.openbio.schemas.settings.Setting.Scope.DEPLOYMENT;
import static io.openbio.schemas.settings.Setting.Scope.DEVELOPMENT;
import static io.openbio.schemas.settings.Setting.Scope.LOCAL_RUN;
import static io.openbio.schemas.settings.Setting.Scope.TUNING;

import io.openbio.schemas.settings.Setting.Component;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@code OPENBIO_*} setting of the platform, in one place: its environment variable, its
 * property, its default and who reads it. The code reads settings through these constants where it
 * can ({@code KafkaSettings.setting(Setting)}); the gateway reads its own through Spring
 * ({@code application.properties} placeholders, listed here too), and the bundle and inference
 * modules, which do not depend on this one, read theirs by the same names. Tests check that the
 * deployment files set only settings listed here and that README.md's Configuration table
 * documents exactly the {@link Setting.Scope#DEPLOYMENT DEPLOYMENT} ones, with these defaults.
 */
public final class Settings {
    private Settings() {
    }

    private static final Set<Component> ALL_COMPONENTS = Component.all();

    // ------------------------------------------------------------------ Kafka (KafkaSettings: every component)

    public static final Setting KAFKA_BOOTSTRAP = Setting.of("OPENBIO_KAFKA_BOOTSTRAP", "openbio.kafka.bootstrap",
            "localhost:9092", ALL_COMPONENTS, DEPLOYMENT, "broker(s)");
    public static final Setting REGISTRY_URL = Setting.of("OPENBIO_REGISTRY_URL", "openbio.registry.url",
            "http://localhost:8081/apis/registry/v2", ALL_COMPONENTS, DEPLOYMENT, "Apicurio v2 API");
    public static final Setting REGISTRY_USER = Setting.of("OPENBIO_REGISTRY_USER", "openbio.registry.user",
            "openbio", ALL_COMPONENTS, DEPLOYMENT, "user the clients send to the registry with the password");
    public static final Setting REGISTRY_PASSWORD = Setting.computed("OPENBIO_REGISTRY_PASSWORD", "openbio.registry.password",
            "none (no credentials sent)", ALL_COMPONENTS, DEPLOYMENT,
            "registry password (HTTP basic): schema and rule writes and the admin API need it; the local run generates one");
    public static final Setting STREAMS_COMMIT_INTERVAL_MS = Setting.of("OPENBIO_STREAMS_COMMIT_INTERVAL_MS",
            "openbio.streams.commit-interval-ms", "0", ALL_COMPONENTS, DEPLOYMENT,
            "exactly-once commit interval: each stage's output is visible after its commit; 0 commits after every processing pass (BENCHMARKS.md, issue 15)");
    public static final Setting STREAMS_POLL_MS = Setting.of("OPENBIO_STREAMS_POLL_MS", "openbio.streams.poll-ms",
            "100", ALL_COMPONENTS, DEPLOYMENT, "stream threads' poll timeout (Kafka Streams poll.ms): how long an idle stage blocks waiting for records");
    public static final Setting STREAMS_FETCH_MAX_WAIT_MS = Setting.of("OPENBIO_STREAMS_FETCH_MAX_WAIT_MS",
            "openbio.streams.fetch-max-wait-ms", "100", ALL_COMPONENTS, DEPLOYMENT,
            "stages' consumer fetch.max.wait.ms: the longest the broker holds a fetch that finds no (committed) records");
    public static final Setting GATEWAY_REPLY_FETCH_MAX_WAIT_MS = Setting.of("OPENBIO_GATEWAY_REPLY_FETCH_MAX_WAIT_MS",
            null, "100", Set.of(GATEWAY), DEPLOYMENT,
            "the reply listener's fetch.max.wait.ms: the longest the broker holds its fetch when no reply is there");
    public static final Setting STREAMS_THREADS = Setting.of("OPENBIO_STREAMS_THREADS", "openbio.streams.threads",
            "1", ALL_COMPONENTS, DEPLOYMENT, "stream threads per processor");
    public static final Setting STREAMS_STANDBY_REPLICAS = Setting.of("OPENBIO_STREAMS_STANDBY_REPLICAS", "openbio.streams.standby-replicas",
            "1", ALL_COMPONENTS, DEPLOYMENT, "warm copies of each stateful task's stores kept on other instances of the stage (Kafka Streams num.standby.replicas)");
    public static final Setting STREAMS_STATE_DIR = Setting.computed("OPENBIO_STREAMS_STATE_DIR", "openbio.streams.state-dir",
            "$TMPDIR/openbio-streams", ALL_COMPONENTS, DEPLOYMENT, "Kafka Streams state (java.io.tmpdir/openbio-streams by default)");
    public static final Setting STREAMS_SESSION_TIMEOUT_MS = Setting.of("OPENBIO_STREAMS_SESSION_TIMEOUT_MS",
            "openbio.streams.session-timeout-ms", "10000", Set.of(PROCESSORS), DEPLOYMENT,
            "stages' consumer session.timeout.ms: how long a killed instance keeps its partitions before the group gives them to its peers (the broker's group.min.session.timeout.ms, 6000 by default, is the floor; RELIABILITY.md \"Two of everything\")");
    public static final Setting PROCESSOR_INSTANCE_ID = Setting.computed("OPENBIO_PROCESSOR_INSTANCE_ID",
            "openbio.processor.instance-id", "none (dynamic group membership)", Set.of(PROCESSORS, LAUNCHER), DEPLOYMENT,
            "a stable name unique among a stage's instances (k8s: the pod name): its stream threads join as static members (group.instance.id <id>-<thread>), so an instance restarted within the session timeout gets its partitions back without a rebalance");
    public static final Setting KAFKA_REPLICATION = Setting.of("OPENBIO_KAFKA_REPLICATION", "openbio.kafka.replication",
            "1", ALL_COMPONENTS, DEPLOYMENT, "replication factor of created topics");
    public static final Setting KAFKA_SECURITY_PROTOCOL = Setting.of("OPENBIO_KAFKA_SECURITY_PROTOCOL",
            "openbio.kafka.security-protocol", "SASL_SSL", ALL_COMPONENTS, DEPLOYMENT,
            "SASL_SSL (SCRAM-SHA-512 over TLS, one principal per stage and one for the gateway) or PLAINTEXT (an unsecured broker of your own)");
    public static final Setting KAFKA_CREDENTIALS_DIR = Setting.computed("OPENBIO_KAFKA_CREDENTIALS_DIR",
            "openbio.kafka.credentials-dir", "none", ALL_COMPONENTS, DEPLOYMENT,
            "folder with one file per Kafka principal (file name = principal, content = its SCRAM password); the local run generates them into .data/kafka/credentials");
    public static final Setting KAFKA_TRUSTSTORE = Setting.computed("OPENBIO_KAFKA_TRUSTSTORE", "openbio.kafka.truststore",
            "none (the JVM's trusted CAs)", ALL_COMPONENTS, DEPLOYMENT,
            "PEM file of the CA that signed the broker's certificate; the local run generates one into .data/kafka/tls/ca.pem");
    public static final Setting KAFKA_CLIENT_TENANTS = Setting.computed("OPENBIO_KAFKA_CLIENT_TENANTS",
            "openbio.kafka.client-tenants", "none", ALL_COMPONENTS, DEPLOYMENT,
            "tenants that submit requests over Kafka (comma-separated, each [a-z0-9-]{1,40}): principal openbio-client-<tenant>, topics openbio.clients.requests.<tenant> / openbio.clients.results.<tenant>");
    public static final Setting KAFKA_CLIENT_PLAIN_IMAGES = Setting.of("OPENBIO_KAFKA_CLIENT_PLAIN_IMAGES",
            "openbio.kafka.client-plain-images", "false", Set.of(PROCESSORS), DEPLOYMENT,
            "Kafka clients: true accepts ekyc.check with encrypted=false (plain images in clear on the request topic until the stage has read them);"
                    + " false (default) answers it 400 PLAIN_IMAGES_REFUSED: send capture bundles");

    // ------------------------------------------------------------------ ports

    public static final Setting PROCESSOR_HTTP_PORT = Setting.of("OPENBIO_PROCESSOR_HTTP_PORT", "openbio.processor.http-port",
            "8090", Set.of(PROCESSORS, LAUNCHER), DEPLOYMENT, "processors' health and metrics (0 for none)");
    public static final Setting PROCESSOR_HTTP_BIND = Setting.of("OPENBIO_PROCESSOR_HTTP_BIND", "openbio.processor.http-bind",
            "0.0.0.0", Set.of(PROCESSORS, LAUNCHER), DEPLOYMENT, "address of the processors' health and metrics server (the local run binds 127.0.0.1)");
    public static final Setting PROCESSOR_HTTP_IDLE_TIMEOUT_MS = Setting.of("OPENBIO_PROCESSOR_HTTP_IDLE_TIMEOUT_MS",
            "openbio.processor.http-idle-timeout-ms", "5000", Set.of(PROCESSORS), DEPLOYMENT,
            "a health connection silent this long is closed, also half-way through a request");
    public static final Setting IMAGE_DECODE_BUDGET_BYTES = Setting.of("OPENBIO_IMAGE_DECODE_BUDGET_BYTES",
            "openbio.image.decode-budget-bytes", "268435456", Set.of(PROCESSORS), DEPLOYMENT,
            "an image whose decode needs more is refused with IMAGE_TOO_LARGE before decoding");
    public static final Setting GATEWAY_CONNECTION_TIMEOUT = Setting.of("OPENBIO_GATEWAY_CONNECTION_TIMEOUT", null, "10s",
            Set.of(GATEWAY), DEPLOYMENT, "Tomcat: a connection sending nothing this long is closed; also bounds each body read");
    public static final Setting GATEWAY_BODY_READ_TIMEOUT = Setting.of("OPENBIO_GATEWAY_BODY_READ_TIMEOUT", null, "30s",
            Set.of(GATEWAY), DEPLOYMENT, "longest a whole request body may take to arrive (408 after it)");
    public static final Setting GATEWAY_MAX_BODY_READERS = Setting.computed("OPENBIO_GATEWAY_MAX_BODY_READERS", null,
            "3/4 of Tomcat's threads (150)", Set.of(GATEWAY), DEPLOYMENT,
            "requests with a body processed at once; beyond it 503 with Retry-After: 1, so /health always gets a thread");
    /** The gateway reads it as {@code server.port}; the local run as {@code openbio.gateway.port}. */
    public static final Setting GATEWAY_PORT = Setting.of("OPENBIO_GATEWAY_PORT", "openbio.gateway.port",
            "8080", Set.of(GATEWAY, LAUNCHER), DEPLOYMENT, "gateway HTTP port");

    // ------------------------------------------------------------------ gateway

    public static final Setting GATEWAY_INSTANCE_ID = Setting.computed("OPENBIO_GATEWAY_INSTANCE_ID", "openbio.gateway.instance-id",
            "host name + port", Set.of(GATEWAY), DEPLOYMENT, "reply topic name; keep it stable and unique per instance");
    public static final Setting GATEWAY_REQUEST_TIMEOUT = Setting.of("OPENBIO_GATEWAY_REQUEST_TIMEOUT",
            "openbio.gateway.request-timeout", "30s", Set.of(GATEWAY, PROCESSORS), DEPLOYMENT,
            "wait before 504 (the processors check the eKYC assembly timeout is below it)");
    public static final Setting GATEWAY_REQUIRED_PROCESSORS = Setting.computed("OPENBIO_GATEWAY_REQUIRED_PROCESSORS",
            "openbio.gateway.required-processors", "every stage of the pipeline contract", Set.of(GATEWAY), DEPLOYMENT,
            "stages /health requires and whose lag is watched (a request is shed only for the lag of its own route's stages)");
    public static final Setting GATEWAY_MAX_PENDING = Setting.of("OPENBIO_GATEWAY_MAX_PENDING", "openbio.gateway.max-pending",
            "1000", Set.of(GATEWAY), DEPLOYMENT, "requests of this gateway waiting for results above which new ones get 429");
    public static final Setting GATEWAY_MAX_LAG = Setting.of("OPENBIO_GATEWAY_MAX_LAG", "openbio.gateway.max-lag",
            "1000", Set.of(GATEWAY), DEPLOYMENT, "consumer lag of a required stage above which new pipeline requests get 429; 0 turns it off");
    public static final Setting TENANT_MAX_RATE = Setting.of("OPENBIO_TENANT_MAX_RATE", null, "500", Set.of(GATEWAY), DEPLOYMENT,
            "requests per second per tenant on one gateway (token bucket); above it 429 with Retry-After; 0 turns it off");
    public static final Setting TENANT_BURST = Setting.of("OPENBIO_TENANT_BURST", null, "500", Set.of(GATEWAY), DEPLOYMENT,
            "requests a tenant may send at once before its rate applies");
    public static final Setting TENANT_MAX_PENDING = Setting.of("OPENBIO_TENANT_MAX_PENDING", null, "500", Set.of(GATEWAY), DEPLOYMENT,
            "a tenant's requests waiting for results on one gateway above which it gets 429; 0 turns it off");
    public static final Setting AUDIT_SCAN_TIMEOUT = Setting.of("OPENBIO_AUDIT_SCAN_TIMEOUT", "openbio.audit.scan-timeout",
            "5s", Set.of(GATEWAY), DEPLOYMENT, "bound of one GET /audit/records scan");
    /** The gateway's property is {@code openbio.security.api-keys}, set from this variable in application.properties. */
    public static final Setting API_KEYS = Setting.computed("OPENBIO_API_KEYS", null,
            "none (authentication off)", Set.of(GATEWAY), DEPLOYMENT, "API keys, stored hashed: tenant:USER|ADMIN:sha256hex,...");
    public static final Setting IAD_VERSION = Setting.of("OPENBIO_IAD_VERSION", "openbio.iad.version",
            "1.7.3", Set.of(GATEWAY), DEPLOYMENT, "the version /api_version reports");
    public static final Setting IAD_EXPIRATION_DATE = Setting.of("OPENBIO_IAD_EXPIRATION_DATE", "openbio.iad.expiration-date",
            "2099-12-31T23:59:59Z", Set.of(GATEWAY), DEPLOYMENT, "the expiration date /api_version reports");
    public static final Setting BIOSERVER_SESSION_TTL_SECONDS = Setting.of("OPENBIO_BIOSERVER_SESSION_TTL_SECONDS",
            "openbio.bioserver.session-ttl-seconds", "300", Set.of(GATEWAY), DEPLOYMENT,
            "BioServer: a bio-session's time to live when POST /v2/bio-sessions gives no ttlSeconds");
    public static final Setting BIOSERVER_SESSION_TTL_MAX_SECONDS = Setting.of("OPENBIO_BIOSERVER_SESSION_TTL_MAX_SECONDS",
            "openbio.bioserver.session-ttl-max-seconds", "3600", Set.of(GATEWAY), DEPLOYMENT,
            "BioServer: the largest ttlSeconds a bio-session may ask for (above it: 400)");

    // ------------------------------------------------------------------ capture bundles

    public static final Setting BUNDLE_KEYSTORE = Setting.of("OPENBIO_BUNDLE_KEYSTORE", "openbio.bundle.keystore",
            ".data/keys/bundle-keys.p12", Set.of(GATEWAY, PROCESSORS, LAUNCHER, TOOLS), DEPLOYMENT,
            "PKCS12 key store of the capture-bundle keys (the gateway, the stages that open bundles and kafka-clients, for iad.public_key, share it)");
    public static final Setting BUNDLE_KEYSTORE_PASSWORD = Setting.of("OPENBIO_BUNDLE_KEYSTORE_PASSWORD",
            "openbio.bundle.keystore-password", "openbio-dev-only", Set.of(GATEWAY, PROCESSORS, TOOLS), DEPLOYMENT,
            "its password: set a real one outside local runs");
    public static final Setting BUNDLE_NONCE_TTL = Setting.of("OPENBIO_BUNDLE_NONCE_TTL", "openbio.bundle.nonce-ttl",
            "5m", Set.of(GATEWAY, PROCESSORS), DEPLOYMENT, "how long a capture nonce stays valid (POST /bundle/nonce; the kafka-clients stage's iad.nonce)");
    public static final Setting CHALLENGE_TTL_MS = Setting.of("OPENBIO_CHALLENGE_TTL_MS", "openbio.challenge.ttl-ms",
            "120000", Set.of(GATEWAY, PROCESSORS), DEPLOYMENT,
            "how long an active-liveness challenge (POST /challenge, a BioServer replay liveness) and its nonce stay valid: its capture must arrive by then");

    // ------------------------------------------------------------------ payload encryption (io.openbio.schemas.crypto)

    public static final Setting PAYLOAD_KEYSTORE = Setting.of("OPENBIO_PAYLOAD_KEYSTORE", "openbio.payload.keystore",
            ".data/keys/payload-keys.p12", Set.of(GATEWAY, PROCESSORS, LAUNCHER, TOOLS), DEPLOYMENT,
            "PKCS12 key store of the key-encryption keys that wrap the data keys of images and templates in Kafka (gateway and every stage share it)");
    public static final Setting PAYLOAD_KEYSTORE_PASSWORD = Setting.of("OPENBIO_PAYLOAD_KEYSTORE_PASSWORD",
            "openbio.payload.keystore-password", "openbio-dev-only", Set.of(GATEWAY, PROCESSORS, TOOLS), DEPLOYMENT,
            "its password: the local run generates one; set a real one outside local runs");
    public static final Setting PAYLOAD_KEK = Setting.computed("OPENBIO_PAYLOAD_KEK", "openbio.payload.kek",
            "the newest key in the store", Set.of(GATEWAY, PROCESSORS, TOOLS), DEPLOYMENT,
            "alias of the key-encryption key new data keys are wrapped under (KEK rotation)");
    public static final Setting PAYLOAD_DEK_MAX_AGE_MS = Setting.of("OPENBIO_PAYLOAD_DEK_MAX_AGE_MS", "openbio.payload.dek-max-age-ms",
            "3600000", Set.of(GATEWAY, PROCESSORS), DEPLOYMENT,
            "a writer replaces a tenant's data key after this long (and after 2^24 payloads)");

    // ------------------------------------------------------------------ BioServer response signatures (seed 003)

    public static final Setting BIOSERVER_SIGNING_KEYSTORE = Setting.of("OPENBIO_BIOSERVER_SIGNING_KEYSTORE",
            "openbio.bioserver.signing-keystore", ".data/keys/bioserver-signing.p12", Set.of(GATEWAY, LAUNCHER, TOOLS), DEPLOYMENT,
            "PKCS12 key store of the RSA key and self-signed certificate the BioServer API's JWS signatures are made with (every gateway reads the same one)");
    public static final Setting BIOSERVER_SIGNING_KEYSTORE_PASSWORD = Setting.of("OPENBIO_BIOSERVER_SIGNING_KEYSTORE_PASSWORD",
            "openbio.bioserver.signing-keystore-password", "openbio-dev-only", Set.of(GATEWAY, TOOLS), DEPLOYMENT,
            "its password: the local run generates one; set a real one outside local runs");

    // ------------------------------------------------------------------ processors

    /** Read by the inference module ({@code ModelRepository}), which does not depend on this one. */
    public static final Setting MODELS_DIR = Setting.computed("OPENBIO_MODELS_DIR", "openbio.models.dir",
            "./models or ../models", Set.of(PROCESSORS, LAUNCHER), DEPLOYMENT, "pretrained models (fetched by the build)");
    public static final Setting SEARCH_MAX_REBUILD_MS = new Setting("OPENBIO_SEARCH_MAX_REBUILD_MS", "openbio.search.max-rebuild-ms",
            Integer.toString(2 * 60 * 60 * 1000), "7200000 (2 h)", Set.of(PROCESSORS), DEPLOYMENT,
            "longest a search stream thread may go between polls (max.poll.interval.ms; margin kept from when the shards were rebuilt in the tasks' initialisation)");
    public static final Setting SEARCH_REBUILD_THREADS = Setting.computed("OPENBIO_SEARCH_REBUILD_THREADS",
            "openbio.search.rebuild-threads", "the pod's cores", Set.of(PROCESSORS), DEPLOYMENT,
            "threads that index one restore batch of a search shard (its store is its index)");
    public static final Setting EKYC_ASSEMBLY_TIMEOUT_MS = Setting.of("OPENBIO_EKYC_ASSEMBLY_TIMEOUT_MS",
            "openbio.ekyc.assembly-timeout-ms", "20000", Set.of(PROCESSORS), DEPLOYMENT,
            "how long the eKYC assembler and match stage wait for a /check's parts; below the gateway's request timeout");
    public static final Setting CALLBACK_RETRY_DELAYS_MS = Setting.of("OPENBIO_CALLBACK_RETRY_DELAYS_MS",
            "openbio.callback.retry-delays-ms", "1000,5000,30000", Set.of(PROCESSORS), DEPLOYMENT,
            "delay before callback attempt 2, 3, 4 (at most 3, one per retry topic)");
    public static final Setting CALLBACK_ALLOW = Setting.computed("OPENBIO_CALLBACK_ALLOW", "openbio.callback.allow", "none",
            Set.of(GATEWAY, PROCESSORS), DEPLOYMENT, "internal callback destinations allowed anyway: CIDRs or host:port, each optionally tenant=...");
    public static final Setting CALLBACK_SECRETS = Setting.computed("OPENBIO_CALLBACK_SECRETS", "openbio.callback.secrets",
            "none (unsigned, warning at start)", Set.of(PROCESSORS), DEPLOYMENT, "callback signing secrets tenant=base64,...,*=base64");
    public static final Setting CALLBACK_TIMEOUT_MS = Setting.of("OPENBIO_CALLBACK_TIMEOUT_MS", "openbio.callback.timeout-ms",
            "5000", Set.of(PROCESSORS), DEPLOYMENT, "timeout of one callback attempt");

    // ------------------------------------------------------------------ Liveness Check Proxy (seed 001), the lcp-verify stage

    public static final Setting LCP_INITIATION_TYPE = Setting.of("OPENBIO_LCP_INITIATION_TYPE", "openbio.lcp.initiation-type",
            "NONE", Set.of(PROCESSORS), DEPLOYMENT,
            "what POST /liveness/init answers: NONE (image style: verify carries the image) or TOKEN (token style: a verification"
                    + " token bound to an active-liveness challenge; verify carries the token)");
    public static final Setting LCP_TOKEN_TTL_MS = Setting.of("OPENBIO_LCP_TOKEN_TTL_MS", "openbio.lcp.token-ttl-ms",
            "300000", Set.of(PROCESSORS), DEPLOYMENT,
            "token style: how long a verification token's challenge can be fetched and its capture uploaded");
    public static final Setting LCP_CHALLENGE_KINDS = Setting.of("OPENBIO_LCP_CHALLENGE_KINDS", "openbio.lcp.challenge-kinds",
            "HEAD,SMILE,EYES", Set.of(PROCESSORS), DEPLOYMENT,
            "token style: the action kinds (HEAD, SMILE, EYES, GAZE) a token's challenge is drawn from, comma-separated");
    public static final Setting LCP_CHALLENGE_ACTIONS = Setting.of("OPENBIO_LCP_CHALLENGE_ACTIONS", "openbio.lcp.challenge-actions",
            "3", Set.of(PROCESSORS), DEPLOYMENT, "token style: how many actions (1-6) a token's challenge asks for");
    public static final Setting LCP_LIVENESS_THRESHOLD = Setting.of("OPENBIO_LCP_LIVENESS_THRESHOLD", "openbio.lcp.liveness-threshold",
            "0.5", Set.of(PROCESSORS), DEPLOYMENT, "combined passive liveness probability a probe needs for ACCEPTED");
    public static final Setting LCP_MATCH_THRESHOLD = Setting.of("OPENBIO_LCP_MATCH_THRESHOLD", "openbio.lcp.match-threshold",
            "0.5", Set.of(PROCESSORS), DEPLOYMENT, "calibrated same-person probability (probe vs reference) a probe needs for ACCEPTED");
    public static final Setting LCP_RETURN_SELFIE = Setting.of("OPENBIO_LCP_RETURN_SELFIE", "openbio.lcp.return-selfie",
            "false", Set.of(PROCESSORS), DEPLOYMENT, "true: verify answers the probe image as base64 in 'selfie'");
    public static final Setting LCP_USER_DETAILS_URL = Setting.computed("OPENBIO_LCP_USER_DETAILS_URL", "openbio.lcp.user-details-url",
            "none (built-in user store)", Set.of(PROCESSORS), DEPLOYMENT,
            "remote user-details provider, e.g. https://users.example/users/{userId}; replaces the built-in user store");
    public static final Setting LCP_USER_DETAILS_TIMEOUT_MS = Setting.of("OPENBIO_LCP_USER_DETAILS_TIMEOUT_MS",
            "openbio.lcp.user-details-timeout-ms", "3000", Set.of(PROCESSORS), DEPLOYMENT,
            "connect and answer timeout of one user-details call");
    public static final Setting LCP_AUDIT_RETENTION_DAYS = Setting.of("OPENBIO_LCP_AUDIT_RETENTION_DAYS",
            "openbio.lcp.audit-retention-days", "400", Set.of(PROCESSORS), DEPLOYMENT,
            "how long the lcp-audit stage keeps a Liveness Check Proxy audit log entry (and its sealed images) in its stores;"
                    + " the topic openbio.lcp.audit keeps 400 days");

    // ------------------------------------------------------------------ BioServer (seed 003), the bioserver stage

    public static final Setting BIOSERVER_MAX_FACES = Setting.of("OPENBIO_BIOSERVER_MAX_FACES_PER_SESSION",
            "openbio.bioserver.max-faces-per-session", "64", Set.of(PROCESSORS), DEPLOYMENT,
            "the most faces one bio-session holds (one-to-few); one more is answered 400");
    public static final Setting BIOSERVER_EXPIRY_SWEEP_MS = Setting.of("OPENBIO_BIOSERVER_EXPIRY_SWEEP_MS",
            "openbio.bioserver.expiry-sweep-ms", "5000", Set.of(PROCESSORS), TUNING,
            "how often the bioserver stage deletes expired bio-sessions from its stores (reads past a session's expiry answer 404 at once)");
    public static final Setting DIS_FACE_TTL_SECONDS = Setting.of("OPENBIO_DIS_FACE_TTL_SECONDS",
            "openbio.dis.face-ttl-seconds", "3600", Set.of(PROCESSORS), DEPLOYMENT,
            "how long a DIS face or palm (POST /api/v1/faces, /palms) lives in the dis-faces stage; reads past it answer 404, and a"
                    + " sweep every min(TTL, 60 s) deletes it from the stores");

    // ------------------------------------------------------------------ Digital Identity Service (seed 004), customers and sessions

    public static final Setting DIS_CUSTOMER_TTL_SECONDS = Setting.of("OPENBIO_DIS_CUSTOMER_TTL_SECONDS",
            "openbio.dis.customer-ttl-seconds", "86400", Set.of(PROCESSORS), DEPLOYMENT,
            "DIS: how long a customer (and its selfie, liveness, document) is kept after its creation; a customer of a DIS session ends with its session at the latest");
    public static final Setting DIS_CSCA_CERTIFICATES = Setting.computed("OPENBIO_DIS_CSCA_CERTIFICATES", "openbio.dis.csca-certificates",
            "none (AUTHORITY_CERTIFICATES_NOT_PROVIDED)", Set.of(PROCESSORS), DEPLOYMENT,
            "DIS: the country signing CA certificates passive authentication of chip data trusts: a file or a directory of PEM or DER certificates");
    public static final Setting DIS_LOW_OCR_CONFIDENCE = Setting.of("OPENBIO_DIS_LOW_OCR_CONFIDENCE",
            "openbio.dis.low-ocr-confidence", "0.80", Set.of(PROCESSORS), DEPLOYMENT,
            "DIS document inspection: a visual-zone text field whose Tesseract confidence (its least sure word, 0..1) is under this"
                    + " is listed in lowOcrConfidenceTexts, and a near spelling under it is no inconsistency");
    public static final Setting DIS_SESSION_MAX_TIMEOUT_SECONDS = Setting.of("OPENBIO_DIS_SESSION_MAX_TIMEOUT_SECONDS",
            "openbio.dis.session-max-timeout-seconds", "3600", Set.of(GATEWAY), DEPLOYMENT,
            "DIS: the largest timeout POST /api/v1/sessions may ask for (above it: 400 INVALID_REQUEST_BODY)");
    public static final Setting DIS_EXPIRY_SWEEP_MS = Setting.of("OPENBIO_DIS_EXPIRY_SWEEP_MS",
            "openbio.dis.expiry-sweep-ms", "5000", Set.of(PROCESSORS), TUNING,
            "how often the dis-customers stage deletes expired customers and DIS sessions from its stores (reads past an expiry answer 404 at once)");

    // ------------------------------------------------------------------ gateway tuning (Spring properties, not in application.properties)

    public static final Setting GATEWAY_LAG_CHECK_INTERVAL = Setting.of("OPENBIO_GATEWAY_LAG_CHECK_INTERVAL",
            "openbio.gateway.lag-check-interval", "1s", Set.of(GATEWAY), TUNING, "how often the gateway reads the required stages' lag");
    public static final Setting AUDIT_SEEK_SLACK = Setting.of("OPENBIO_AUDIT_SEEK_SLACK", "openbio.audit.seek-slack",
            "1h", Set.of(GATEWAY), TUNING, "how far before a time range an audit scan starts reading");
    public static final Setting BUNDLE_RELOAD_INTERVAL = Setting.of("OPENBIO_BUNDLE_RELOAD_INTERVAL", "openbio.bundle.reload-interval",
            "60s", Set.of(GATEWAY), TUNING, "how often the gateway re-reads the bundle key store (rotated keys)");

    // ------------------------------------------------------------------ local run (./run.sh, LocalPlatform)

    public static final Setting DATA_DIR = Setting.of("OPENBIO_DATA_DIR", "openbio.data-dir", ".data", Set.of(LAUNCHER), LOCAL_RUN,
            "the local run's broker, registry, state, keys and logs");
    public static final Setting KAFKA_PORT = Setting.of("OPENBIO_KAFKA_PORT", "openbio.kafka.port", "9092", Set.of(LAUNCHER), LOCAL_RUN,
            "the local broker's port");
    public static final Setting KAFKA_CONTROLLER_PORT = Setting.of("OPENBIO_KAFKA_CONTROLLER_PORT", "openbio.kafka.controller-port",
            "9093", Set.of(LAUNCHER), LOCAL_RUN, "the local broker's controller port");
    public static final Setting REGISTRY_PORT = Setting.of("OPENBIO_REGISTRY_PORT", "openbio.registry.port", "8081", Set.of(LAUNCHER),
            LOCAL_RUN, "the local registry's port");
    /** Read by run.sh, bench/fault.sh and bench/fuzz.sh. */
    public static final Setting SKIP_BUILD = Setting.computed("OPENBIO_SKIP_BUILD", null, "unset (build first)", Set.of(LAUNCHER),
            LOCAL_RUN, "1: never build before running");

    // ------------------------------------------------------------------ development

    public static final Setting HOME = Setting.computed("OPENBIO_HOME", "openbio.home", "the folder upwards holding launcher/pom.xml",
            Set.of(LAUNCHER), DEVELOPMENT, "the repository root the launcher finds the built artifacts in");
    public static final Setting REGISTRY_JAR = Setting.computed("OPENBIO_REGISTRY_JAR", "openbio.registry.jar",
            "registry/target/quarkus-app/quarkus-run.jar, found upwards", Set.of(TOOLS), DEVELOPMENT,
            "the registry server the tests start (LocalRegistry)");
    public static final Setting BENCH_REBUILD_THREADS = Setting.of("OPENBIO_BENCH_REBUILD_THREADS", null, "1", Set.of(TOOLS),
            DEVELOPMENT, "bench/search-index.sh: indexing threads per shard (above 1: shards one after the other)");
    public static final Setting BENCH_DATA_DIR = Setting.computed("OPENBIO_BENCH_DATA_DIR", null, "launcher/target/<bench>-data",
            Set.of(TOOLS), DEVELOPMENT, "the benchmark scripts' data folder");
    public static final Setting BENCH_EF = Setting.of("OPENBIO_BENCH_EF", null, "50,100,200", Set.of(TOOLS), DEVELOPMENT,
            "bench/search-index.sh: the HNSW ef values measured");

    /** Every setting, the README's Configuration table's first, in its order. */
    public static final List<Setting> ALL = List.of(
            KAFKA_BOOTSTRAP, REGISTRY_URL, REGISTRY_USER, REGISTRY_PASSWORD, STREAMS_COMMIT_INTERVAL_MS, STREAMS_POLL_MS, STREAMS_FETCH_MAX_WAIT_MS, STREAMS_THREADS, STREAMS_STANDBY_REPLICAS, STREAMS_STATE_DIR,
            STREAMS_SESSION_TIMEOUT_MS, PROCESSOR_INSTANCE_ID,
            KAFKA_REPLICATION,
            KAFKA_SECURITY_PROTOCOL, KAFKA_CREDENTIALS_DIR, KAFKA_TRUSTSTORE, KAFKA_CLIENT_TENANTS, KAFKA_CLIENT_PLAIN_IMAGES,
            PROCESSOR_HTTP_PORT, GATEWAY_PORT, GATEWAY_INSTANCE_ID, GATEWAY_REQUEST_TIMEOUT, GATEWAY_REQUIRED_PROCESSORS,
            GATEWAY_MAX_PENDING, GATEWAY_MAX_LAG, GATEWAY_REPLY_FETCH_MAX_WAIT_MS, PROCESSOR_HTTP_BIND, PROCESSOR_HTTP_IDLE_TIMEOUT_MS, IMAGE_DECODE_BUDGET_BYTES,
            GATEWAY_CONNECTION_TIMEOUT, GATEWAY_BODY_READ_TIMEOUT, GATEWAY_MAX_BODY_READERS, TENANT_MAX_RATE, TENANT_BURST, TENANT_MAX_PENDING, SEARCH_MAX_REBUILD_MS, SEARCH_REBUILD_THREADS, AUDIT_SCAN_TIMEOUT, API_KEYS,
            BUNDLE_KEYSTORE, BUNDLE_KEYSTORE_PASSWORD, BUNDLE_NONCE_TTL, CHALLENGE_TTL_MS,
            PAYLOAD_KEYSTORE, PAYLOAD_KEYSTORE_PASSWORD, PAYLOAD_KEK, PAYLOAD_DEK_MAX_AGE_MS,
            BIOSERVER_SIGNING_KEYSTORE, BIOSERVER_SIGNING_KEYSTORE_PASSWORD, MODELS_DIR, IAD_VERSION, IAD_EXPIRATION_DATE,
            BIOSERVER_SESSION_TTL_SECONDS, BIOSERVER_SESSION_TTL_MAX_SECONDS,
            CALLBACK_RETRY_DELAYS_MS, CALLBACK_TIMEOUT_MS, CALLBACK_ALLOW, CALLBACK_SECRETS, EKYC_ASSEMBLY_TIMEOUT_MS,
            LCP_INITIATION_TYPE, LCP_TOKEN_TTL_MS, LCP_CHALLENGE_KINDS, LCP_CHALLENGE_ACTIONS, LCP_LIVENESS_THRESHOLD, LCP_MATCH_THRESHOLD, LCP_RETURN_SELFIE, LCP_USER_DETAILS_URL, LCP_USER_DETAILS_TIMEOUT_MS,
            LCP_AUDIT_RETENTION_DAYS,
            BIOSERVER_MAX_FACES, BIOSERVER_EXPIRY_SWEEP_MS, DIS_FACE_TTL_SECONDS,
            DIS_CUSTOMER_TTL_SECONDS, DIS_SESSION_MAX_TIMEOUT_SECONDS, DIS_EXPIRY_SWEEP_MS, DIS_CSCA_CERTIFICATES, DIS_LOW_OCR_CONFIDENCE,
            GATEWAY_LAG_CHECK_INTERVAL, AUDIT_SEEK_SLACK, BUNDLE_RELOAD_INTERVAL,
            DATA_DIR, KAFKA_PORT, KAFKA_CONTROLLER_PORT, REGISTRY_PORT, SKIP_BUILD,
            HOME, REGISTRY_JAR, BENCH_REBUILD_THREADS, BENCH_DATA_DIR, BENCH_EF);

    /** The setting of environment variable {@code env}. */
    public static Optional<Setting> byEnv(String env) {
        return ALL.stream().filter(s -> s.env().equals(env)).findFirst();
    }

    /** The settings of {@code scope}, in {@link #ALL}'s order. */
    public static List<Setting> of(Setting.Scope scope) {
        return ALL.stream().filter(s -> s.scope() == scope).toList();
    }
}
