package io.openbio.gateway.api.ekyc;

import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.openbio.events.ApiResponse;
import io.openbio.events.ErrorInfo;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.pipeline.PipelineException;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.PayloadLimitFilter;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockPart;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * Request validation of the IDLive eKYC API in a Spring MVC slice ({@link WebSlice}) with the
 * pipeline client mocked: bad input is answered 400 in the IDLive body {@code {"status","message"}}
 * and never reaches the pipeline. The wired path is {@code EkycIntegrationTest}'s.
 */
@SpringJUnitWebConfig({WebSlice.class, EkycController.class})
class EkycControllerTest {
    static final String FACE_CHECK = "{\"operations\":[\"FACE_CHECK\"]}";

    @MockitoBean
    RequestReplyClient pipeline;

    MockMvc mvc;

    @BeforeEach
    void setUp(WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).addFilters(context.getBean(PayloadLimitFilter.class)).build();
        when(pipeline.newRequest(any(), anyString(), any(), anyMap())).thenAnswer(call -> RequestEnvelope.newBuilder()
                .setRequestId("r-1").setTenant("default").setOperation(call.getArgument(1)).setCreatedAt(Instant.now())
                .setParts(call.getArgument(2)).setAttributes(call.getArgument(3)));
    }

    /** 400, exactly {"status":400,"message":message}, and the pipeline was never asked. */
    private void badRequest(RequestBuilder request, String message) throws Exception {
        mvc.perform(request)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(content().json("{\"status\":400,\"message\":" + quoted(message) + "}", JsonCompareMode.STRICT));
        verifyNoInteractions(pipeline);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static MockPart part(String name, String text) {
        return new MockPart(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void checkWithoutItsCheckModelIsA400() throws Exception {
        badRequest(multipart("/check").part(part("face", "selfie")), "Required part 'checkModel' is not present");
    }

    @Test
    void checkWithABadCheckModelIsA400() throws Exception {
        badRequest(multipart("/check").part(part("checkModel", "{\"operations\":")), "checkModel is not valid JSON");
        badRequest(multipart("/check").part(part("checkModel", "[]")), "checkModel must be a JSON object");
        badRequest(multipart("/check").part(part("checkModel", "{\"operations\":[]}")), "checkModel.operations must be a non-empty array");
        mvc.perform(multipart("/check").part(part("checkModel", "{\"operations\":[\"FLY\"]}")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$", aMapWithSize(2)))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.message").value(startsWith("Unknown operation \"FLY\"")));
        verifyNoInteractions(pipeline);
    }

    @Test
    void checkWithoutThePartsItsOperationsNeedIsA400() throws Exception {
        badRequest(multipart("/check").part(part("checkModel", FACE_CHECK)), "Required part 'face' is not present (needed by FACE_CHECK)");
        badRequest(multipart("/check").part(part("checkModel", "{\"operations\":[\"DOC_CHECK\"]}"), part("face", "selfie")),
                "Required part 'doc' is not present (needed by DOC_CHECK)");
        badRequest(multipart("/check").part(part("checkModel", "{\"operations\":[\"FACE_MATCH_VALIDATION\"]}"), part("doc", "document")),
                "Required part 'face' is not present (needed by FACE_MATCH_VALIDATION)");
    }

    @Test
    void checkWithAnotherContentTypeIsA400NotA415() throws Exception {
        mvc.perform(post("/check").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$", aMapWithSize(2)))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.message").value(startsWith("Unsupported Content-Type application/json")));
        verifyNoInteractions(pipeline);
    }

    /**
     * Images and bundles are octet-stream as the seed sends them (images also with their own image/*
     * type); curl's default form type and anything else is a 400 in the IDLive body (IDLive answers
     * every client error 400), never a 500 and never parsed as a form.
     */
    @Test
    void anImageOrBundleOfAnotherContentTypeIsA400InTheIdLiveBody() throws Exception {
        for (String path : List.of("/generate-template?encrypted=false", "/add-image?collection=c&encrypted=false", "/decrypt")) {
            for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "application/json")) {
                mvc.perform(post(path).contentType(type).content("image=1"))
                        .andExpect(status().isBadRequest())
                        .andExpect(jsonPath("$", aMapWithSize(2)))
                        .andExpect(jsonPath("$.status").value(400))
                        .andExpect(jsonPath("$.message").value(startsWith("Unsupported Content-Type " + type)));
            }
        }
        mvc.perform(post("/decrypt").contentType(MediaType.IMAGE_JPEG).content("x")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message").value(startsWith("Unsupported Content-Type image/jpeg")));
        verifyNoInteractions(pipeline);
        // an image may come as image/png, image/webp...: accepted (and then judged by its content)
        when(pipeline.call(eq(Topics.EKYC_TEMPLATE_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenReturn(new CompletableFuture<>());
        for (String type : List.of("image/png", "image/webp", "application/octet-stream")) {
            mvc.perform(post("/generate-template?encrypted=false").contentType(type).content("x")).andExpect(request().asyncStarted());
        }
        mvc.perform(post("/generate-template?encrypted=false").content("x")).andExpect(request().asyncStarted());
    }

    @Test
    void anOversizedBodyIsA400NotA413() throws Exception {
        badRequest(post("/generate-template?encrypted=false").contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .content(new byte[PayloadLimits.MAX_PAYLOAD_BYTES + 1]),
                "request body exceeds the limit of " + PayloadLimits.MAX_PAYLOAD_BYTES + " bytes");
    }

    @Test
    void collectionNamesAreOneTo200Characters() throws Exception {
        String message = "'collection' must be a name of 1 to 200 characters";
        badRequest(post("/collections").param("collection", " "), message);
        badRequest(post("/collections").param("collection", "c".repeat(201)), message);
        badRequest(delete("/collections").param("collection", ""), message);
        badRequest(delete("/collections/remove-record").param("collection", "").param("recordId", "r"), message);
        badRequest(post("/collections"), "Missing parameter 'collection'");
        badRequest(delete("/collections/remove-record").param("collection", "c"), "Missing parameter 'recordId'");
    }

    @Test
    void templatesAndImagesAreValidatedBeforeThePipeline() throws Exception {
        badRequest(post("/add-template?collection=c").contentType(MediaType.APPLICATION_JSON).content("{"),
                "Malformed JSON body: expected {\"templates\":[\"...\"]}");
        badRequest(post("/add-template?collection=c").contentType(MediaType.APPLICATION_JSON).content("{\"templates\":[]}"),
                "'templates' must be a non-empty array of base64 templates");
        badRequest(post("/add-template?collection=c").contentType(MediaType.APPLICATION_JSON).content("{\"templates\":[1]}"),
                "'templates' must hold base64 strings");
        badRequest(post("/add-image?collection=c&encrypted=false&maxFaces=0").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"),
                "maxFaces must be an integer from 1 to 100");
        badRequest(post("/add-image?collection=c&encrypted=false").contentType(MediaType.APPLICATION_OCTET_STREAM),
                "The request body is empty: send the image (or encrypted payload) as application/octet-stream");
        badRequest(post("/generate-template").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"), "Missing parameter 'encrypted'");
        badRequest(post("/generate-template?encrypted=maybe").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"),
                "Parameter 'encrypted' has an invalid value");
        badRequest(multipart("/match-over-template?encrypted=false").part(part("template", "AAAA")), "Required part 'file' is not present");
        badRequest(multipart("/match-over-template?encrypted=false").part(new MockPart("file", new byte[] {1})),
                "Required part 'template' is not present");
        badRequest(post("/decrypt").contentType(MediaType.APPLICATION_OCTET_STREAM),
                "The request body is empty: send the image (or encrypted payload) as application/octet-stream");
    }

    @Test
    void aShedRequestIs429WithRetryAfterInTheIdLiveBody() throws Exception {
        when(pipeline.call(eq(Topics.EKYC_TEMPLATE_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenThrow(new PipelineException(429, "the pipeline is behind", null, 5));
        mvc.perform(post("/generate-template?encrypted=false").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().json("{\"status\":429,\"message\":\"the pipeline is behind\"}", JsonCompareMode.STRICT));
    }

    @Test
    void aStagesAnswerIsPassedOnAndItsErrorIsInTheIdLiveBody() throws Exception {
        when(pipeline.call(eq(Topics.EKYC_TEMPLATE_REQUESTS), any(RequestEnvelope.Builder.class), eq("default/c")))
                .thenReturn(CompletableFuture.completedFuture(result(new ApiResponse(201, "{}", java.util.Map.of(), List.of()), null)));
        MvcResult created = mvc.perform(post("/collections?collection=c")).andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(created)).andExpect(status().isCreated()).andExpect(content().string(""));
        verify(pipeline).newRequest(any(), eq(EkycContract.CREATE_COLLECTION), any(), anyMap());

        when(pipeline.call(eq(Topics.EKYC_TEMPLATE_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenReturn(CompletableFuture.completedFuture(result(null, new ErrorInfo(400, "FACE_NOT_FOUND", "No face found in the image"))));
        MvcResult failed = mvc.perform(post("/generate-template?encrypted=false").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"))
                .andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(failed)).andExpect(status().isBadRequest())
                .andExpect(content().json("{\"status\":400,\"message\":\"No face found in the image\"}", JsonCompareMode.STRICT));

        when(pipeline.call(eq(Topics.EKYC_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenReturn(CompletableFuture.completedFuture(result(new ApiResponse(200, "{\"face\":{}}", java.util.Map.of(), List.of()), null)));
        MvcResult checked = mvc.perform(multipart("/check").part(part("checkModel", FACE_CHECK), part("face", "selfie")))
                .andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(checked)).andExpect(status().isOk()).andExpect(content().json("{\"face\":{}}", JsonCompareMode.STRICT));
    }

    static ResultEvent result(Object payload, ErrorInfo error) {
        return ResultEvent.newBuilder().setRequestId("r-1").setTenant("default").setOperation("op")
                .setCreatedAt(Instant.now()).setCompletedAt(Instant.now()).setPayload(payload).setError(error).setTrace(List.of()).build();
    }
}
