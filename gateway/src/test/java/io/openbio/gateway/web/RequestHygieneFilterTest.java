package io.openbio.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestHygieneFilterTest {

    @Test
    void wellEncodedQueriesPass() {
        for (String query : new String[] {"collection=default", "a=%2F%25&b=x+y", "name=%E0%A4%A8", "flag", "a=&b=", "x=%c3%a9"}) {
            assertThat(RequestHygieneFilter.wellEncoded(query)).as(query).isTrue();
        }
    }

    @Test
    void badEscapesAndBytesThatAreNotUtf8AreRefused() {
        for (String query : new String[] {"operation=%zz", "collection=%E0%A4%A", "a=%", "a=%4", "a=%C3%28", "%zz=1", "a=1&b=%FF"}) {
            assertThat(RequestHygieneFilter.wellEncoded(query)).as(query).isFalse();
        }
    }
}
