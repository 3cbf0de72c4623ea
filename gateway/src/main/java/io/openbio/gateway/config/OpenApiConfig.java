package io.openbio.gateway.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document ({@code /v3/api-docs}) and Swagger UI ({@code /swagger-ui/index.html}) of every endpoint. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {
    @Bean
    OpenAPI openBioApi() {
        return new OpenAPI().info(new Info()
                .title("OpenBio face-biometrics platform")
                .version("0.1.0")
                .description("Wire-compatible implementations of the IAD Server API (capture liveness on encrypted bundles), "
                        + "the IDLive eKYC Toolkit API (/check, collections, templates) and the platform's diagnostic and "
                        + "capture-key endpoints, all served through Kafka processors.")
                .license(new License().name("Apache-2.0")));
    }
}
