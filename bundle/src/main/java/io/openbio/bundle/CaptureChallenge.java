package io.openbio.bundle;

import java.util.List;

/**
 * The active-liveness challenge a capture answers ({@code bundle/SPEC.md} 5.2): the server issued
 * it together with the capture nonce ({@code POST /challenge}), the person performed the actions in
 * order while the client captured a frame sequence.
 *
 * @param id      the challenge id; in format v1 always the bundle's nonce (the challenge is bound to it)
 * @param actions the action names as issued, in order, e.g. {@code TURN_LEFT}, {@code SMILE}
 * @param prompts per action, when its prompt was shown to the person, milliseconds since the Unix
 *                epoch by the client's clock; as many as {@code actions}
 */
public record CaptureChallenge(String id, List<String> actions, List<Long> prompts) {
    public CaptureChallenge {
        actions = actions == null ? null : List.copyOf(actions);
        prompts = prompts == null ? null : List.copyOf(prompts);
    }
}
