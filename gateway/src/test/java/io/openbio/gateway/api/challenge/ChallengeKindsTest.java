package io.openbio.gateway.api.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.inference.challenge.ChallengeAction;
import io.openbio.inference.challenge.ChallengeKinds;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kinds a caller chooses from, their prompts, and the document's action names. */
class ChallengeKindsTest {

    @Test
    void theKindsCoverEveryActionOnceAndTheDefaultLeavesGazeOut() {
        Set<ChallengeAction> all = new HashSet<>();
        ChallengeKinds.KINDS.values().forEach(actions -> actions.forEach(a -> assertThat(all.add(a)).as("%s in two kinds", a).isTrue()));
        assertThat(all).isEqualTo(EnumSet.allOf(ChallengeAction.class));
        assertThat(ChallengeKinds.allowed(ChallengeKinds.DEFAULT_KINDS)).noneMatch(ChallengeAction::isGaze)
                .contains(ChallengeAction.TURN_LEFT, ChallengeAction.SMILE, ChallengeAction.CLOSE_EYES);
        assertThatThrownBy(() -> ChallengeKinds.allowed(List.of("HEAD", "FLY"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FLY");
    }

    @Test
    void everyActionHasAPromptAndTheDocumentNamesEveryAction() {
        for (ChallengeAction action : ChallengeAction.values()) {
            assertThat(ChallengeKinds.prompt(action)).isNotBlank();
        }
        assertThat(Arrays.stream(ChallengeSchemas.Action.values()).map(Enum::name).toList())
                .isEqualTo(Arrays.stream(ChallengeAction.values()).map(Enum::name).toList());
    }
}
