package io.openbio.gateway.config;

import io.openbio.gateway.web.ApiProduct;
import io.openbio.gateway.web.ApiProducts;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.schemas.PayloadLimits;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The OpenAPI document ({@code /v3/api-docs}) and Swagger UI ({@code /swagger-ui/index.html}) of every endpoint.
 *
 * <p>Each operation declares its own answers ({@code @ApiResponse} on the controller: success codes,
 * media types, schemas from the {@code api/<product>/} records, the product's 400 reasons) and, with
 * {@link PipelineErrors}, what waiting on the pipeline adds. What every operation can answer whatever
 * its controller says is added here, from the same declarations that produce the answers: the
 * security chain's 401 (API keys configured, the path not open) and 403 (admin routes), the 400 of the
 * firewall and of a malformed request, 408 / 413 / 415 on a request body, 500. Each error response is
 * then re-keyed through its product's {@link ApiProduct#status} (the IDLive API answers 413 and 415 as
 * 400) and given the product's {@link ApiProduct#errorSchema} as {@code application/json}, so the
 * document shows the body {@link ApiProducts} renders for that path. springdoc's own guess from a
 * handler's return type ({@code *}{@code /*}, any object) is dropped: 204 and a 201 without body have
 * no content, every other answer the media types its operation declares.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {
    static final String API_KEY = "apiKey";

    @Bean
    OpenAPI openBioApi() {
        return new OpenAPI().info(new Info()
                        .title("OpenBio face-biometrics platform")
                        .version("0.1.0")
                        .description("Wire-compatible implementations of the IAD Server API (capture liveness on encrypted bundles), "
                                + "the IDLive eKYC Toolkit API (/check, collections, templates) and the platform's diagnostic and "
                                + "capture-key endpoints, all served through Kafka processors.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components().addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name("x-api-key")
                        .description("Only when the gateway has API keys configured (openbio.security.api-keys). The key may also be "
                                + "sent as header apikey or as Authorization: Bearer <key>.")));
    }

    /** {@link PipelineErrors} of the handler method as responses without content (filled in below). */
    @Bean
    OperationCustomizer pipelineErrors() {
        return (operation, handler) -> {
            PipelineErrors errors = handler.getMethodAnnotation(PipelineErrors.class);
            if (errors != null) {
                for (int status : errors.value()) {
                    addIfAbsent(operation, status, switch (status) {
                        case 429 -> "Too many requests waiting (the gateway's, the tenant's quota, or a stage is behind); retry after Retry-After seconds";
                        case 503 -> "The event pipeline did not accept the request; retry after Retry-After seconds";
                        case 504 -> "No result within the pipeline timeout (openbio.gateway.request-timeout)";
                        default -> "Error";
                    });
                }
            }
            return operation;
        };
    }

    @Bean
    OpenApiCustomizer errorResponses(ApiProducts products, List<ApiProduct> all) {
        PathPatternParser parser = new PathPatternParser();
        return openApi -> {
            boolean v31 = openApi.getSpecVersion() == SpecVersion.V31;
            for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
                ApiProduct product = products.of(path.getKey());
                String errorSchema = component(openApi, product.errorSchema(), v31);
                PathContainer container = PathContainer.parsePath(path.getKey());
                boolean open = all.stream().flatMap(p -> p.openPaths().stream()).anyMatch(p -> parser.parse(p).matches(container));
                for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                    Operation operation = entry.getValue();
                    HttpMethod method = HttpMethod.valueOf(entry.getKey().name());
                    boolean admin = all.stream().flatMap(p -> p.adminRoutes().stream())
                            .anyMatch(r -> (r.method() == null || r.method().equals(method)) && parser.parse(r.pattern()).matches(container));
                    addIfAbsent(operation, 400, "Bad request: a path not in its normal form (firewall, error_code INVALID_PATH), "
                            + "a malformed request line, header or parameter");
                    if (!open) {
                        addIfAbsent(operation, 401, "API keys are configured and the request has no valid key");
                        operation.addSecurityItem(new SecurityRequirement().addList(API_KEY));
                    }
                    if (admin) {
                        addIfAbsent(operation, 403, "API keys are configured and the key's role is not ADMIN");
                    }
                    if (operation.getRequestBody() != null) {
                        addIfAbsent(operation, 408, "The request body did not arrive in time (the connection is closed)");
                        addIfAbsent(operation, 413, "The request body exceeds the payload limit of " + PayloadLimits.MAX_PAYLOAD_BYTES + " bytes");
                        addIfAbsent(operation, 415, "Unsupported Content-Type");
                    }
                    addIfAbsent(operation, 500, "Internal error");
                    operation.setResponses(productStatuses(operation.getResponses(), product, errorSchema));
                }
            }
        };
    }

    /** Error responses re-keyed by the product's status (descriptions of merged ones joined), with its error body. */
    private static ApiResponses productStatuses(ApiResponses responses, ApiProduct product, String errorSchema) {
        Map<Integer, ApiResponse> byStatus = new TreeMap<>();
        ApiResponses out = new ApiResponses();
        for (Map.Entry<String, ApiResponse> entry : responses.entrySet()) {
            int declared = Integer.parseInt(entry.getKey());
            // springdoc's guess from the handler's return type (ResponseEntity<Object>: "*/*", any object)
            // describes nothing; every real media type is declared on the operation.
            if (entry.getValue().getContent() != null) {
                entry.getValue().getContent().remove("*/*");
                if (entry.getValue().getContent().isEmpty()) {
                    entry.getValue().setContent(null);
                }
            }
            if (declared < 400) {
                out.addApiResponse(entry.getKey(), entry.getValue());
                continue;
            }
            int status = product.status(declared);
            ApiResponse response = entry.getValue();
            ApiResponse merged = byStatus.get(status);
            if (merged == null) {
                byStatus.put(status, response);
            } else if (response.getDescription() != null && !merged.getDescription().contains(response.getDescription())) {
                merged.setDescription(merged.getDescription() + "; " + (declared != status ? "(" + declared + " answered as " + status + ") " : "")
                        + response.getDescription());
            }
        }
        byStatus.forEach((status, response) -> {
            // an error declared without a schema of its own (or with springdoc's guess from the return type,
            // e.g. Map<String, Object>) has the product's error body
            boolean described = response.getContent() != null && response.getContent().values().stream()
                    .anyMatch(type -> type.getSchema() != null && type.getSchema().get$ref() != null);
            if (!described) {
                response.setContent(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + errorSchema))));
            }
            // GatewayExceptionHandler's 429 and 503 carry Retry-After (not /health's 503, which has a body of its own)
            if ((status == 429 || status == 503) && !described) {
                response.addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                        .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)));
            }
            out.addApiResponse(Integer.toString(status), response);
        });
        return out;
    }

    /** The component name of {@code type}'s schema, added to the document (with the schemas it refers to) when missing. */
    private static String component(OpenAPI openApi, Class<?> type, boolean v31) {
        ResolvedSchema resolved = ModelConverters.getInstance(v31).readAllAsResolvedSchema(type);
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        resolved.referencedSchemas.forEach((name, schema) -> {
            if (openApi.getComponents().getSchemas() == null || !openApi.getComponents().getSchemas().containsKey(name)) {
                openApi.getComponents().addSchemas(name, schema);
            }
        });
        return resolved.schema.getName();
    }

    private static void addIfAbsent(Operation operation, int status, String description) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        operation.getResponses().putIfAbsent(Integer.toString(status), new ApiResponse().description(description));
    }
}
