package io.openbio.gateway.api.bioserver;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.util.UrlPathHelper;

/**
 * The gateway's multipart resolver: Spring Boot's ({@link StandardServletMultipartResolver}, with the same
 * {@code spring.servlet.multipart.*} switches) for every path but the BioServer API's, whose handlers read
 * their {@code multipart/form-data} and {@code multipart/mixed} bodies themselves ({@link BioServerForm}).
 * Left to the standard resolver, the container would parse (and consume) a BioServer body before the
 * handler sees it, and only in its {@code multipart/form-data} reading.
 */
@Configuration(proxyBeanMethods = false)
public class BioServerMultipartResolver {

    /** Named as the bean {@code DispatcherServlet} looks up; Spring Boot's own then stands back. */
    @Bean(name = "multipartResolver")
    StandardServletMultipartResolver multipartResolver(@Value("${spring.servlet.multipart.resolve-lazily:false}") boolean lazily,
                                                       @Value("${spring.servlet.multipart.strict-servlet-compliance:false}") boolean strict) {
        StandardServletMultipartResolver resolver = new Resolver();
        resolver.setResolveLazily(lazily);
        resolver.setStrictServletCompliance(strict);
        return resolver;
    }

    static final class Resolver extends StandardServletMultipartResolver {
        @Override
        public boolean isMultipart(HttpServletRequest request) {
            return !ownedByBioServer(request) && super.isMultipart(request);
        }
    }

    /** Whether the request's decoded path within the application lies under one of {@link BioServerApi}'s prefixes. */
    static boolean ownedByBioServer(HttpServletRequest request) {
        String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
        for (String prefix : new BioServerApi().pathPrefixes()) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
