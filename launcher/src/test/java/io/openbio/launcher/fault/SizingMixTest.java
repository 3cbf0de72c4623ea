package io.openbio.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SizingMixTest {
    @Test
    void theTwoMixesTogetherPassThroughEveryStageOfThePipeline() {
        // a new stage that no family of either mix reaches would have no row in the sizing table
        Set<String> covered = new HashSet<>(SizingMix.EKYC.stages());
        covered.addAll(SizingMix.PRODUCTS.stages());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(Pipeline.stageNames());
    }

    @Test
    void everyRouteOfThePipelineIsTheRouteOfAFamily() {
        List<String> driven = new ArrayList<>();
        for (SizingMix mix : SizingMix.values()) {
            for (String family : mix.families) {
                SizingMix.ROUTES.get(family).forEach(r -> driven.add(r.name()));
            }
        }
        assertThat(driven).containsAll(Pipeline.routes().stream().map(Route::name).toList());
    }

    @Test
    void everyFamilyHasRoutesAndBelongsToOneMix() {
        Set<String> seen = new HashSet<>();
        for (SizingMix mix : SizingMix.values()) {
            for (String family : mix.families) {
                assertThat(SizingMix.ROUTES.get(family)).as(family).isNotEmpty();
                assertThat(seen.add(family)).as(family + " in one mix only").isTrue();
            }
        }
        assertThat(seen).containsAll(SizingMix.OFF_ROUTE.keySet());
    }

    @Test
    void theEkycMixStartsTheStagesItDidBeforeTheProductsMixExisted() {
        // bench/stage-throughput.sh without a mix: the four families' routes in this order, then callback delivery
        assertThat(SizingMix.of("ekyc").stages()).containsExactly("digest", "image-info", "decrypt", "nonce", "liveness", "ekyc-prepare",
                "ekyc-prepare-doc", "ekyc-face-check", "ekyc-doc-check", "ekyc-match", "search", "ekyc-assembler", "collections", "callback");
    }

    @Test
    void theProductsMixStartsOnlyTheStagesItsRequestsPassThrough() {
        assertThat(SizingMix.PRODUCTS.stages()).containsExactly("lcp-verify", "nonce", "lcp-audit", "bioserver", "dis-faces",
                "dis-customers", "decrypt", "challenge-verify", "liveness", "kafka-clients");
        assertThat(SizingMix.PRODUCTS.stages()).doesNotContain("callback", "search", "collections");
    }

    @Test
    void anUnknownMixIsRefused() {
        assertThatThrownBy(() -> SizingMix.of("all")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ekyc | products");
    }
}
