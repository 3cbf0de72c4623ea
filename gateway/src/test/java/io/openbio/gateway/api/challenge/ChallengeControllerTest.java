package io.openbio.gateway.api.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.ApiResponse;
import io.openbio.events.NonceIssued;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.config.GatewayProperties;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.WebSlice;
import io.openbio.inference.challenge.ChallengeAction;
import io.openbio.inference.challenge.ChallengeKinds;
import io.openbio.inference.challenge.ChallengeGenerator;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.ChallengeContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The challenge API in a Spring MVC slice ({@link WebSlice}), Kafka and the pipeline mocked: what
 * {@code POST /challenge} records with the nonce and answers, its validation, and
 * {@code POST /challenge/verify}'s hand-over to the challenge route. The wired path is
 * {@code ChallengeIntegrationTest}'s.
 */
@SpringJUnitWebConfig({WebSlice.class, ChallengeController.class, ChallengeControllerTest.Properties.class})
class ChallengeControllerTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Not a {@code @Configuration}, so the wired gateways' component scan does not pick it up (see {@link WebSlice}). */
    static class Properties {
        @Bean
        GatewayProperties gatewayProperties() {
            return new GatewayProperties("gw-test", Duration.ofSeconds(30), "default");
        }
    }

    @MockitoBean
    RequestReplyClient pipeline;

    @MockitoBean
    KafkaTemplate<String, NonceIssued> nonces;

    MockMvc mvc;

    @BeforeEach
    void setUp(WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
        when(pipeline.newRequest(any(), anyString(), any(), anyMap())).thenAnswer(call -> RequestEnvelope.newBuilder()
                .setRequestId("r-1").setTenant("default").setOperation(call.getArgument(1)).setCreatedAt(Instant.now())
                .setParts(call.getArgument(2)).setAttributes(call.getArgument(3)));
        when(nonces.send(anyString(), anyString(), any(NonceIssued.class))).thenReturn(CompletableFuture.completedFuture(null));
    }

    private JsonNode issue(String body) throws Exception {
        MvcResult started = mvc.perform(post("/challenge").contentType(MediaType.APPLICATION_JSON).content(body == null ? "" : body))
                .andExpect(request().asyncStarted()).andReturn();
        String answer = mvc.perform(asyncDispatch(started)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)).andReturn().getResponse().getContentAsString();
        return JSON.readTree(answer);
    }

    @Test
    void aChallengeIsRecordedWithItsNonceBeforeItIsAnswered() throws Exception {
        JsonNode answer = issue(null);
        ArgumentCaptor<NonceIssued> sent = ArgumentCaptor.forClass(NonceIssued.class);
        verify(nonces).send(eq(Topics.CAPTURE_NONCES.name()), eq(answer.get("nonce").asText()), sent.capture());
        NonceIssued issued = sent.getValue();
        assertThat(issued.getTenant()).isEqualTo("default");
        assertThat(Duration.between(issued.getIssuedAt(), issued.getExpiresAt())).isEqualTo(Duration.ofMillis(120_000));
        List<String> actions = new ArrayList<>();
        answer.get("actions").forEach(a -> actions.add(a.asText()));
        assertThat(actions).hasSize(3).isEqualTo(issued.getChallenge().getActions());
        assertThat(answer.get("challengeId").asText()).isEqualTo(answer.get("nonce").asText());
        assertThat(answer.get("prompts")).hasSize(3);
        assertThat(answer.get("prompts").get(0).asText()).isEqualTo(ChallengeKinds.prompt(ChallengeAction.valueOf(actions.get(0))));
        assertThat(answer.get("issuedAt").asText()).isEqualTo(issued.getIssuedAt().toString());
        assertThat(answer.get("expiresAt").asText()).isEqualTo(issued.getExpiresAt().toString());

        // the stage re-derives the same actions from what travels with the nonce
        byte[] seed = java.util.Base64.getUrlDecoder().decode(answer.get("seed").asText());
        byte[] recorded = new byte[issued.getChallenge().getSeed().remaining()];
        issued.getChallenge().getSeed().duplicate().get(recorded);
        assertThat(recorded).isEqualTo(seed);
        EnumSet<ChallengeAction> allowed = EnumSet.noneOf(ChallengeAction.class);
        issued.getChallenge().getAllowed().forEach(a -> allowed.add(ChallengeAction.valueOf(a)));
        assertThat(allowed).isEqualTo(ChallengeKinds.allowed(ChallengeKinds.DEFAULT_KINDS));
        assertThat(ChallengeGenerator.derive(seed, issued.getChallenge().getK(), allowed).stream().map(Enum::name).toList()).isEqualTo(actions);
    }

    @Test
    void kindsAndCountChooseTheActions() throws Exception {
        JsonNode answer = issue("{\"actions\":6,\"kinds\":[\"GAZE\"]}");
        assertThat(answer.get("actions")).hasSize(6);
        answer.get("actions").forEach(a -> assertThat(a.asText()).startsWith("GAZE_"));
        JsonNode one = issue("{\"actions\":1,\"kinds\":[\"SMILE\"]}");
        assertThat(one.get("actions").get(0).asText()).isEqualTo("SMILE");
    }

    @Test
    void aBadRequestIsA400AndRecordsNothing() throws Exception {
        String[][] cases = {
                {"{\"actions\":0}", "'actions' must be 1 to 6: 0"},
                {"{\"actions\":7}", "'actions' must be 1 to 6: 7"},
                {"{\"kinds\":[\"FLY\"]}", "'kinds': unknown kind 'FLY'; known: [HEAD, SMILE, EYES, GAZE]"},
                {"{\"kinds\":[]}", "'kinds' names no kind: leave it out for the default [HEAD, SMILE, EYES]"},
                {"{\"actions\":2,\"kinds\":[\"EYES\"]}", "kinds [EYES] allow one action only, and no action is asked twice in a row: ask for 1 action or add a kind"},
                {"{\"actions\":", "Malformed request body: expected {\"actions\":1-6,\"kinds\":[\"HEAD\",\"SMILE\",\"EYES\",\"GAZE\"]}"},
                {"{\"colour\":1}", "Malformed request body: expected {\"actions\":1-6,\"kinds\":[\"HEAD\",\"SMILE\",\"EYES\",\"GAZE\"]}"},
        };
        for (String[] c : cases) {
            WebSlice.defaultError(mvc.perform(post("/challenge").contentType(MediaType.APPLICATION_JSON).content(c[0])), 400, "Bad Request",
                    c[1], "/challenge", "UNKNOWN");
        }
        verifyNoInteractions(nonces);
    }

    @Test
    void verifyHandsTheBundleToTheChallengeRouteAndAnswersTheStagesBody() throws Exception {
        WebSlice.defaultError(mvc.perform(post("/challenge/verify").contentType(MediaType.APPLICATION_OCTET_STREAM).content(new byte[0])),
                400, "Bad Request", "Failed to parse file", "/challenge/verify", "UNKNOWN");
        verifyNoInteractions(pipeline);

        String body = "{\"requestId\":\"r-1\",\"decision\":\"FAILED\"}";
        when(pipeline.call(eq(Topics.CHALLENGE_REQUESTS), any(RequestEnvelope.Builder.class))).thenReturn(CompletableFuture.completedFuture(
                ResultEvent.newBuilder().setRequestId("r-1").setTenant("default").setOperation(ChallengeContract.VERIFY_OPERATION)
                        .setCreatedAt(Instant.now()).setCompletedAt(Instant.now()).setTrace(List.of())
                        .setPayload(new ApiResponse(200, body, java.util.Map.of(), List.of())).build()));
        MvcResult started = mvc.perform(post("/challenge/verify").contentType(MediaType.APPLICATION_OCTET_STREAM).content("bundle"))
                .andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(started)).andExpect(status().isOk()).andExpect(content().json(body));
        verify(pipeline).newRequest(any(), eq(ChallengeContract.VERIFY_OPERATION), any(), anyMap());
    }
}
