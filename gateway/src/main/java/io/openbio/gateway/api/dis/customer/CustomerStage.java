package io.openbio.gateway.api.dis.customer;

import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;

/**
 * How every DIS customer operation reaches the dis-customers stage: the customer id (and the session the
 * {@code x-inn-session-token} names) as attributes, keyed by {@link DisContract#customerKey} so that one task holds
 * the customer and all its parts, the stage's answer passed back for the request's path.
 */
final class CustomerStage {
    private CustomerStage() {
    }

    static CompletableFuture<ResponseEntity<Object>> call(RequestReplyClient pipeline, PipelineResponses responses, String tenant,
                                                          String operation, String customerId, String token, List<Part> parts,
                                                          Map<String, String> attributes, HttpServletRequest request) {
        String sessionId = CustomerRequests.sessionId(token);
        attributes.put(DisContract.CUSTOMER_ID, customerId);
        if (sessionId != null) {
            attributes.put(DisContract.SESSION_ID, sessionId);
        }
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, operation, parts, attributes);
        String path = request.getRequestURI();
        return pipeline.call(Topics.DIS_CUSTOMERS, envelope, DisContract.customerKey(customerId, sessionId))
                .thenApply(result -> responses.apiResponse(result, path));
    }
}
