package io.openbio.gateway.api.iad;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.openbio.events.CaptureLivenessResult;
import io.openbio.events.ErrorInfo;
import io.openbio.events.ExtractedImage;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.PayloadLimitFilter;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * Request validation of the IAD Server API in a Spring MVC slice ({@link WebSlice}) with the
 * pipeline client mocked: errors in the default body ({@code timestamp, status, error, message,
 * path, error_code}) with their own status (a 413 stays a 413 here), and bad input never reaches the
 * pipeline. The wired path is {@code IadIntegrationTest}'s.
 */
@SpringJUnitWebConfig({WebSlice.class, IadController.class, IadControllerTest.Properties.class})
class IadControllerTest {
    /** Not a {@code @Configuration}, so the wired gateways' component scan does not pick it up (see {@link WebSlice}). */
    static class Properties {
        @Bean
        IadProperties iadProperties() {
            return new IadProperties(null, null);
        }
    }

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

    private void badRequest(RequestBuilder request, String message, String path) throws Exception {
        WebSlice.defaultError(mvc.perform(request), 400, "Bad Request", message, path, "UNKNOWN");
        verifyNoInteractions(pipeline);
    }

    @Test
    void anEmptyBundleIsA400InTheDefaultBody() throws Exception {
        badRequest(post("/check_capture_liveness").contentType(MediaType.APPLICATION_OCTET_STREAM), "Failed to parse file",
                "/check_capture_liveness");
        badRequest(post("/extract_image").contentType(MediaType.APPLICATION_OCTET_STREAM), "Failed to parse file", "/extract_image");
    }

    /**
     * curl's default type for {@code --data-binary} without {@code -H Content-Type} is a form: 415 in
     * the default body (was a 500 on {@code /check_capture_liveness}); so is text, JSON, an image type.
     * No Content-Type at all counts as application/octet-stream and reaches the validation.
     */
    @Test
    void aBundleOfAnotherContentTypeIsA415InTheDefaultBody() throws Exception {
        for (String path : List.of("/check_capture_liveness", "/extract_image")) {
            for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "application/json", "image/jpeg")) {
                WebSlice.defaultError(mvc.perform(post(path).contentType(type).content("bundle=1")), 415, "Unsupported Media Type",
                        "Unsupported Content-Type " + type + "; supported: [application/octet-stream]", path, "UNKNOWN");
            }
            WebSlice.defaultError(mvc.perform(post(path)), 400, "Bad Request", "Failed to parse file", path, "UNKNOWN");
        }
        verifyNoInteractions(pipeline);
    }

    @Test
    void aBadParameterIsA400() throws Exception {
        badRequest(post("/check_capture_liveness?debug=maybe").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"),
                "Parameter 'debug' has an invalid value", "/check_capture_liveness");
    }

    @Test
    void anOversizedBundleIsA413() throws Exception {
        WebSlice.defaultError(mvc.perform(post("/check_capture_liveness").contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .content(new byte[PayloadLimits.MAX_PAYLOAD_BYTES + 1])),
                413, "Content Too Large", "request body exceeds the limit of " + PayloadLimits.MAX_PAYLOAD_BYTES + " bytes",
                "/check_capture_liveness", "PAYLOAD_TOO_LARGE");
        verifyNoInteractions(pipeline);
    }

    @Test
    void apiVersionNeedsNoPipeline() throws Exception {
        mvc.perform(get("/api_version")).andExpect(status().isOk())
                .andExpect(content().json("{\"product\":\"IADServer\",\"version\":\"1.7.3\",\"expirationDate\":\"2099-12-31T23:59:59Z\"}",
                        JsonCompareMode.STRICT));
        verifyNoInteractions(pipeline);
    }

    @Test
    void aStagesErrorIsAnsweredWithItsStatusAndCode() throws Exception {
        when(pipeline.call(eq(Topics.CAPTURE_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenReturn(CompletableFuture.completedFuture(result(null, new ErrorInfo(400, "FACE_NOT_FOUND", "Face not found"))));
        MvcResult answer = mvc.perform(post("/check_capture_liveness").contentType(MediaType.APPLICATION_OCTET_STREAM).content("bundle"))
                .andExpect(request().asyncStarted()).andReturn();
        WebSlice.defaultError(mvc.perform(asyncDispatch(answer)), 400, "Bad Request", "Face not found", "/check_capture_liveness", "FACE_NOT_FOUND");
        verify(pipeline).newRequest(any(), eq(CaptureContract.CHECK_CAPTURE_LIVENESS), any(), anyMap());
    }

    @Test
    void resultsAreRenderedInTheSeedsShape() throws Exception {
        when(pipeline.call(eq(Topics.CAPTURE_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenReturn(CompletableFuture.completedFuture(result(new CaptureLivenessResult(0.91, 0.95, List.of()), null)));
        MvcResult liveness = mvc.perform(post("/check_capture_liveness").contentType(MediaType.APPLICATION_OCTET_STREAM).content("bundle"))
                .andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(liveness)).andExpect(status().isOk())
                .andExpect(content().json("{\"capture_liveness\":{\"probability\":0.91}}", JsonCompareMode.STRICT));

        when(pipeline.call(eq(Topics.CAPTURE_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenReturn(CompletableFuture.completedFuture(result(new ExtractedImage(ByteBuffer.wrap(JPEG_START), "image/jpeg"), null)));
        MvcResult image = mvc.perform(post("/extract_image").contentType(MediaType.APPLICATION_OCTET_STREAM).content("bundle"))
                .andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(image)).andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_JPEG))
                .andExpect(content().bytes(JPEG_START));
    }

    private static final byte[] JPEG_START = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3};

    @Test
    void anExtractedImageIsTypedByItsBytesNotByTheTypeTheClientDeclared() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0};
        when(pipeline.call(eq(Topics.CAPTURE_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenReturn(CompletableFuture.completedFuture(result(new ExtractedImage(ByteBuffer.wrap(png), "text/html"), null)));
        MvcResult image = mvc.perform(post("/extract_image").contentType(MediaType.APPLICATION_OCTET_STREAM).content("bundle"))
                .andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(image)).andExpect(status().isOk()).andExpect(content().contentType(MediaType.IMAGE_PNG));

        byte[] html = "<html><script>alert(1)</script></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        when(pipeline.call(eq(Topics.CAPTURE_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenReturn(CompletableFuture.completedFuture(result(new ExtractedImage(ByteBuffer.wrap(html), "image/jpeg"), null)));
        MvcResult refused = mvc.perform(post("/extract_image").contentType(MediaType.APPLICATION_OCTET_STREAM).content("bundle"))
                .andExpect(request().asyncStarted()).andReturn();
        WebSlice.defaultError(mvc.perform(asyncDispatch(refused)), 400, "Bad Request", "Failed to parse file", "/extract_image", "UNKNOWN");
    }

    static ResultEvent result(Object payload, ErrorInfo error) {
        return ResultEvent.newBuilder().setRequestId("r-1").setTenant("default").setOperation("op")
                .setCreatedAt(Instant.now()).setCompletedAt(Instant.now()).setPayload(payload).setError(error).setTrace(List.of()).build();
    }
}
