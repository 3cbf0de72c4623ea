package io.openbio.gateway.security;

import io.openbio.gateway.web.ApiProduct;
import io.openbio.gateway.web.ApiProducts;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Authentication and roles with Spring Security, on the path as the controllers see it.
 *
 * <p>Why Spring Security rather than the hand-written key filter it replaces: that filter compared
 * the raw request URI with its own path lists, so {@code /audit;x/records}, {@code /%61udit/records}
 * or {@code //audit/records} reached ADMIN routes with a USER key (issue #13). Here
 * <ul>
 * <li>the {@link StrictHttpFirewall} refuses, before anything else, a path that is not in its normal
 * form: path parameters ({@code ;}), encoded {@code /}, {@code \}, {@code .}, {@code %} or
 * {@code ;}, {@code //}, dot segments, control characters (400 in the path's API format,
 * {@link SecurityErrors});</li>
 * <li>the route rules match with {@code PathPattern} on the parsed, per-segment decoded path, the
 * same matching Spring MVC dispatches with, so {@code /%61udit/records} is authorised as
 * {@code /audit/records} (403 for USER) and a spelling no rule matches also maps to no
 * controller;</li>
 * <li>the rules come from every {@link ApiProduct}: its open paths (no key) and admin routes
 * (ADMIN); every other path needs a valid key ({@code ROLE_USER} or {@code ROLE_ADMIN}).</li>
 * </ul>
 * The key is read by {@link ApiKeyConverter} and checked by {@link ApiKeyAuthenticationProvider}
 * through Spring Security's own {@link AuthenticationFilter}; {@link TenantFilter} makes its tenant
 * the request's {@code X-Tenant-Id}. Stateless: no session, no cookie, so no CSRF token, no form
 * login, no basic auth.
 *
 * <p>With no keys configured ({@code OPENBIO_API_KEYS} empty, the local default) every path is open
 * and the tenant is the caller's {@code X-Tenant-Id}, as before; the firewall still applies.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfig {
    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    ApiKeys apiKeys(@Value("${openbio.security.api-keys:}") String configured) {
        ApiKeys keys = new ApiKeys(configured);
        if (!keys.enabled()) {
            log.warn("no API keys configured (OPENBIO_API_KEYS): authentication is off, tenants come from X-Tenant-Id");
        }
        return keys;
    }

    /** Declared as a bean so Spring Boot does not set up its default user with a generated password. */
    @Bean
    ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiKeys keys) {
        return new ApiKeyAuthenticationProvider(keys);
    }

    @Bean
    SecurityErrors securityErrors(ApiProducts products) {
        return new SecurityErrors(products);
    }

    /** The strict firewall, stated (it is also Spring Security's default) so nobody loosens it by accident. */
    @Bean
    HttpFirewall httpFirewall() {
        return new StrictHttpFirewall();
    }

    /**
     * Tomcat passes an encoded {@code /} or {@code \} in a path on as it is, so the firewall refuses
     * it in the API's error format; left to Tomcat, it was refused too, but with Tomcat's HTML error
     * page. Passing it through adds no way in: the firewall is the first filter that looks at paths
     * ({@code spring.security.filter.order}), and a path holding one reaches nothing behind it.
     */
    @Bean
    TomcatConnectorCustomizer encodedSeparatorsToTheFirewall() {
        return connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setEncodedReverseSolidusHandling("passthrough");
        };
    }

    /**
     * Firewall refusals answer 400 in the path's API format (the default handler's 400 went through
     * Spring Boot's {@code /error} page, a body no API documents).
     */
    @Bean
    WebSecurityCustomizer rejectedRequestsInTheApisFormat(SecurityErrors errors, HttpFirewall firewall) {
        return web -> web.httpFirewall(firewall).requestRejectedHandler(errors);
    }

    @Bean
    SecurityFilterChain apiKeyChain(HttpSecurity http, ApiKeys keys, ApiKeyAuthenticationProvider provider,
                                    SecurityErrors errors, List<ApiProduct> products) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(errors).accessDeniedHandler(errors));
        if (!keys.enabled()) {
            return http.authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll()).build();
        }
        List<RequestMatcher> open = new ArrayList<>();
        List<RequestMatcher> admin = new ArrayList<>();
        for (ApiProduct product : products) {
            product.openPaths().forEach(path -> open.add(PathPatternRequestMatcher.withDefaults().matcher(path)));
            product.adminRoutes().forEach(route -> admin.add(PathPatternRequestMatcher.withDefaults().matcher(route.method(), route.pattern())));
        }
        log.info("API keys on: open {} ; ADMIN {} ; everything else any valid key",
                products.stream().flatMap(p -> p.openPaths().stream()).toList(),
                products.stream().flatMap(p -> p.adminRoutes().stream()).toList());

        AuthenticationFilter authentication = new AuthenticationFilter(new ProviderManager(provider), new ApiKeyConverter());
        // A key on an open path is not checked (a wrong one does not turn /health into a 401).
        authentication.setRequestMatcher(open.isEmpty() ? request -> true : new NegatedRequestMatcher(new OrRequestMatcher(open)));
        authentication.setSuccessHandler((request, response, auth) -> { }); // go on to the route (the default redirects)
        authentication.setFailureHandler((request, response, e) -> errors.commence(request, response, e));
        authentication.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());

        return http
                .authorizeHttpRequests(authorize -> {
                    // The async result and error dispatches of a request already authorised.
                    authorize.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
                    // ADMIN first: a route that is both open and admin-only stays admin-only.
                    admin.forEach(matcher -> authorize.requestMatchers(matcher).hasRole("ADMIN"));
                    open.forEach(matcher -> authorize.requestMatchers(matcher).permitAll());
                    authorize.anyRequest().hasAnyRole("USER", "ADMIN");
                })
                .addFilterBefore(authentication, AuthorizationFilter.class)
                .addFilterAfter(new TenantFilter(), AuthorizationFilter.class)
                .build();
    }
}
