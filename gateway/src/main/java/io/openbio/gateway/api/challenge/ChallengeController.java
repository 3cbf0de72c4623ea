package io.openbio.gateway.api.challenge;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.openbio.events.ChallengeSpec;
import io.openbio.events.NonceIssued;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.config.GatewayProperties;
import io.openbio.gateway.pipeline.PipelineException;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.inference.challenge.Challenge;
import io.openbio.inference.challenge.ChallengeAction;
import io.openbio.inference.challenge.ChallengeGenerator;
import io.openbio.inference.challenge.ChallengeKinds;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.ChallengeContract;
import io.openbio.schemas.json.StrictJsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Active-liveness challenges (issue 16).
 *
 * <ul>
 * <li>{@code POST /challenge} (optional JSON {@code {"actions":k,"kinds":[...]}}): a fresh capture nonce
 * bound to k actions (1-6, default 3) drawn by {@link ChallengeGenerator} from the kinds' actions
 * (HEAD, SMILE, EYES, GAZE; default HEAD+SMILE+EYES). The challenge (its seed and parameters) is
 * recorded with the nonce on {@link Topics#CAPTURE_NONCES} before it is handed out, so the nonce stage
 * has it; it stays valid for {@code OPENBIO_CHALLENGE_TTL_MS} (2 minutes). The answer: {@code {"nonce",
 * "challengeId" (= nonce), "actions", "prompts", "seed" (base64url), "issuedAt", "expiresAt"}}.</li>
 * <li>{@code POST /challenge/verify} (application/octet-stream capture bundle with the metadata member
 * {@code challenge}, {@code bundle/SPEC.md} 5.2): decrypt -> nonce -> challenge-verify stages; the answer
 * is the stage's ({@code ChallengeVerifyProcessor}): the decision and its evidence.</li>
 * <li>errors: {@code {"timestamp","status","error","message","path","error_code"}}.</li>
 * </ul>
 */
@RestController
@Tag(name = "Challenge", description = "Active liveness: a challenge of ordered actions bound to a capture nonce, verified on the captured frames")
public class ChallengeController {
    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;
    private final KafkaTemplate<String, NonceIssued> nonces;
    private final GatewayProperties properties;
    private final long ttlMs;

    public ChallengeController(RequestReplyClient pipeline, PipelineResponses responses, KafkaTemplate<String, NonceIssued> nonces,
                               GatewayProperties properties, @Value("${openbio.challenge.ttl-ms:120000}") long ttlMs) {
        this.pipeline = pipeline;
        this.responses = responses;
        this.nonces = nonces;
        this.properties = properties;
        if (ttlMs <= 0) {
            throw new IllegalArgumentException("openbio.challenge.ttl-ms must be positive: " + ttlMs);
        }
        this.ttlMs = ttlMs;
    }

    static final String ISSUED_EXAMPLE = "{\"nonce\":\"q9cX3LrZk0hS2v6tq7d1pQ5n8uYwE4oA1bC2dE3fG4h\",\"challengeId\":\"q9cX3LrZk0hS2v6tq7d1pQ5n8uYwE4oA1bC2dE3fG4h\","
            + "\"actions\":[\"TURN_LEFT\",\"SMILE\",\"CLOSE_EYES\"],\"prompts\":[\"Turn your head to your left\",\"Smile\",\"Close both eyes, then open them\"],"
            + "\"seed\":\"3q2-7wAAAAA8cN1eFyJ4mQ\",\"issuedAt\":\"2026-12-02T09:00:00Z\",\"expiresAt\":\"2026-12-02T09:02:00Z\"}";

    @Operation(summary = "A fresh capture nonce bound to an active-liveness challenge for the caller's tenant",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ChallengeSchemas.IssueRequest.class),
                            examples = @ExampleObject(value = "{\"actions\":4,\"kinds\":[\"HEAD\",\"SMILE\"]}"))))
    @ApiResponse(responseCode = "200", description = "The nonce, the ordered actions and their prompts, and when the challenge expires",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ChallengeSchemas.Issued.class),
                    examples = @ExampleObject(value = ISSUED_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, actions outside 1-6, an unknown kind, or kinds that cannot give that many actions")
    @PipelineErrors(503)
    @PostMapping(path = "/challenge", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<Map<String, Object>> issue(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                        HttpServletRequest request) throws IOException {
        byte[] body = Bodies.read(request);
        ChallengeSchemas.IssueRequest params = parse(body);
        int k = params.actions() == null ? ChallengeKinds.DEFAULT_ACTIONS : params.actions();
        if (k < ChallengeKinds.MIN_ACTIONS || k > ChallengeKinds.MAX_ACTIONS) {
            throw ApiException.badRequest("'actions' must be " + ChallengeKinds.MIN_ACTIONS + " to " + ChallengeKinds.MAX_ACTIONS + ": " + k);
        }
        List<String> kinds = params.kinds() == null ? ChallengeKinds.DEFAULT_KINDS : params.kinds();
        if (kinds.isEmpty()) {
            throw ApiException.badRequest("'kinds' names no kind: leave it out for the default " + ChallengeKinds.DEFAULT_KINDS);
        }
        Set<ChallengeAction> allowed;
        try {
            allowed = ChallengeKinds.allowed(kinds);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'kinds': " + e.getMessage());
        }
        if (allowed.size() == 1 && k > 1) {
            throw ApiException.badRequest("kinds " + kinds + " allow one action only, and no action is asked twice in a row: ask for 1 action or add a kind");
        }
        String nonce = io.openbio.schemas.capture.CaptureNonces.newNonce();
        Challenge challenge = ChallengeGenerator.issue(nonce, k, allowed, System.currentTimeMillis(), ttlMs);
        String owner = properties.tenantOf(tenant);
        ChallengeSpec spec = new ChallengeSpec(ByteBuffer.wrap(challenge.seed()), k,
                allowed.stream().map(Enum::name).toList(), challenge.actions().stream().map(Enum::name).toList(), null);
        Instant issuedAt = Instant.ofEpochMilli(challenge.issuedAt());
        Instant expiresAt = Instant.ofEpochMilli(challenge.expiresAt());
        NonceIssued issued = new NonceIssued(nonce, owner, issuedAt, expiresAt, spec);
        return nonces.send(Topics.CAPTURE_NONCES.name(), nonce, issued).handle((ok, error) -> {
            if (error != null) {
                throw new PipelineException(503, "the event pipeline did not accept the challenge", error);
            }
            return ChallengeKinds.answer(challenge);
        });
    }

    private static ChallengeSchemas.IssueRequest parse(byte[] body) {
        if (body.length == 0) {
            return new ChallengeSchemas.IssueRequest(null, null);
        }
        try {
            return StrictJsonMapper.get().readValue(body, ChallengeSchemas.IssueRequest.class);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed request body: expected {\"actions\":1-6,\"kinds\":[\"HEAD\",\"SMILE\",\"EYES\",\"GAZE\"]}");
        } catch (IOException e) {
            throw ApiException.badRequest("Malformed request body");
        }
    }

    static final String VERIFY_EXAMPLE = "{\"requestId\":\"5f0c...\",\"challengeId\":\"q9cX3L...\",\"decision\":\"SPOOF\",\"reason\":\"STATIC_FACE\","
            + "\"requestedActions\":[\"TURN_LEFT\",\"SMILE\",\"CLOSE_EYES\"],\"actions\":[{\"action\":\"TURN_LEFT\",\"found\":false,\"startFrame\":-1,"
            + "\"endFrame\":-1,\"measure\":\"yaw\",\"peak\":1.2,\"threshold\":20.0,\"note\":\"the face never turned\"}],\"bestFrame\":0,"
            + "\"passiveScore\":0.58,\"signals\":{\"nonce\":{\"passed\":true,\"detail\":\"fresh nonce, first use\",\"value\":null}},\"frames\":30}";

    @Operation(summary = "Verify an active-liveness capture bundle against the challenge issued with its nonce",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "200", description = "The decision (PASS / SPOOF / FAILED / TIMEOUT / ERROR) with its evidence",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ChallengeSchemas.Verification.class),
                    examples = @ExampleObject(value = VERIFY_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "Failed to parse file / Failed to decrypt message / Failed to read a meta data (error_code UNKNOWN); "
            + "the nonce refused: never issued, another tenant's, already used (NONCE_REJECTED); a nonce issued without a challenge (NO_CHALLENGE)")
    @PipelineErrors
    @PostMapping(path = "/challenge/verify", consumes = Bodies.OCTET_STREAM)
    public CompletableFuture<ResponseEntity<Object>> verify(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                            HttpServletRequest request) throws IOException {
        String path = request.getRequestURI();
        byte[] bundle = Bodies.read(request);
        if (bundle.length == 0) {
            throw new ApiException(400, "UNKNOWN", "Failed to parse file");
        }
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, ChallengeContract.VERIFY_OPERATION,
                List.of(new Part("bundle", "application/octet-stream", ByteBuffer.wrap(bundle))), Map.of());
        return pipeline.call(Topics.CHALLENGE_REQUESTS, envelope).thenApply(result -> responses.apiResponse(result, path));
    }
}
