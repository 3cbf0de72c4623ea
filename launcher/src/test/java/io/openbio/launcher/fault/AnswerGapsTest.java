package io.openbio.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerGapsTest {
    @Test
    void theLongestIntervalBetweenTwoCompletionsInsideTheWindow() {
        // answers every second, then none from 3000 to 11500 (a stage killed at 2500), then again
        List<Long> completions = List.of(1000L, 2000L, 3000L, 11500L, 12000L, 13000L);
        assertThat(AnswerGaps.longest(completions, 2500, 14000)).isEqualTo(new AnswerGaps.Gap(3000, 8500));
    }

    @Test
    void theWindowsEndsAreBoundaries() {
        // nothing completes from the kill (1000) until 9000
        assertThat(AnswerGaps.longest(List.of(500L, 9000L, 9500L), 1000, 10000)).isEqualTo(new AnswerGaps.Gap(1000, 8000));
        // nothing completes after 2000 until the window closes
        assertThat(AnswerGaps.longest(List.of(1500L, 2000L), 1000, 10000)).isEqualTo(new AnswerGaps.Gap(2000, 8000));
        // nothing at all: the whole window
        assertThat(AnswerGaps.longest(List.of(), 1000, 4000)).isEqualTo(new AnswerGaps.Gap(1000, 3000));
        assertThat(AnswerGaps.longest(List.of(100L, 9000L), 1000, 4000).seconds()).isEqualTo(3.0);
    }

    @Test
    void completionsNeedNotBeSortedAndTiesKeepTheEarliestGap() {
        assertThat(AnswerGaps.longest(List.of(5000L, 1000L, 3000L), 0, 7000)).isEqualTo(new AnswerGaps.Gap(1000, 2000));
    }

    @Test
    void aWindowEndingBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> AnswerGaps.longest(List.of(), 10, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
