package io.openbio.gateway.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /error}, where the servlet container sends failures that never reached a controller (a
 * filter's exception, a status set by Tomcat itself): answered in the format of the product that owns
 * the failed request's path ({@link ApiProducts}), never Spring Boot's or Tomcat's own page. Replaces
 * Spring Boot's {@code BasicErrorController}.
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden
public class ApiErrorController implements ErrorController {
    private final ApiProducts products;

    public ApiErrorController(ApiProducts products) {
        this.products = products;
    }

    @RequestMapping("/error")
    public ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i && i >= 400 ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String s ? s : request.getRequestURI();
        HttpStatus known = HttpStatus.resolve(status);
        String message = status == 400 ? "Bad request" : known == null ? "Error" : known.getReasonPhrase();
        return products.response(status, message, path, "UNKNOWN");
    }
}
