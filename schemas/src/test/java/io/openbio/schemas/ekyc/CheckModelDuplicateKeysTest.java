package io.openbio.schemas.ekyc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A checkModel with a key twice is refused, not read as "the last one wins" (finding in issue #13). */
class CheckModelDuplicateKeysTest {

    @Test
    void aKeyTwiceAtTheTopOrNestedIsAClientError() {
        String[] duplicated = {
            "{\"operations\":[\"FACE_CHECK\"],\"operations\":[\"DOC_CHECK\"]}",
            "{\"operations\":[\"FACE_MATCH_SEARCH\"],\"face_search_parameters\":{\"collections\":[\"a\"],\"collections\":[\"b\"]}}",
        };
        for (String json : duplicated) {
            assertThatThrownBy(() -> CheckModel.parse(json)).as(json).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("checkModel is not valid JSON: a key appears twice in one object");
        }
    }

    @Test
    void theSameModelWithEachKeyOnceParses() {
        assertThat(CheckModel.parse("{\"operations\":[\"DOC_CHECK\"]}").wants("DOC_CHECK")).isTrue();
    }
}
