package io.openbio.gateway.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a handler method whose answer waits on the event pipeline: the statuses that waiting can add
 * (429 shed load, 503 the pipeline did not take the request, 504 no result in time), for the OpenAPI
 * document ({@code config/OpenApiConfig} declares them, in the path's product's status and error body,
 * with {@code Retry-After} on 429 and 503).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PipelineErrors {
    /** The statuses the method can answer this way; by default all three. */
    int[] value() default {429, 503, 504};
}
