package io.openbio.gateway.api.capture;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code /capture/} shows the page's {@code index.html} (Spring Boot serves {@code static/} but maps
 * a folder to its index only at the root); {@code /capture} redirects there so the page's relative
 * module imports resolve. View controllers, not endpoints: they stay out of the OpenAPI document.
 */
@Configuration
class CapturePageConfig implements WebMvcConfigurer {
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/capture", "/capture/");
        registry.addViewController("/capture/").setViewName("forward:/capture/index.html");
    }
}
