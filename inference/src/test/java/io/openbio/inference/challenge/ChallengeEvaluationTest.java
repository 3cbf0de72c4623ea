package io.openbio.inference.challenge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The evaluation replaces only its own section of EVALUATION.md. */
class ChallengeEvaluationTest {
    static final String NEW = ChallengeEvaluation.SECTION + "\n\nnew figures\n\n";

    @Test
    void replacesItsSectionUpToTheNextOne() {
        String doc = "# t\n\n## A\n\na\n\n" + ChallengeEvaluation.SECTION + "\n\nold\n\n## B\n\nb\n";
        assertThat(ChallengeEvaluation.replaceSection(doc, NEW)).isEqualTo("# t\n\n## A\n\na\n\n" + NEW + "## B\n\nb\n");
    }

    @Test
    void replacesItsSectionAtTheEnd() {
        String doc = "# t\n\n" + ChallengeEvaluation.SECTION + "\n\nold\n### sub\n\nmore\n";
        assertThat(ChallengeEvaluation.replaceSection(doc, NEW)).isEqualTo("# t\n\n" + NEW);
    }

    @Test
    void appendsWhenAbsent() {
        assertThat(ChallengeEvaluation.replaceSection("# t\n\nbody\n", NEW)).isEqualTo("# t\n\nbody\n\n" + NEW);
    }
}
