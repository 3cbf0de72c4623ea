package io.openbio.schemas.contract;

import io.openbio.schemas.Topics;
import java.util.List;

/**
 * Active-liveness challenges (issue 16): {@code POST /challenge} issues a nonce bound to an
 * unpredictable ordered list of actions (recorded with the nonce on {@link Topics#CAPTURE_NONCES},
 * answered by the gateway alone); {@code POST /challenge/verify} takes the capture bundle of the
 * person performing them. The bundle goes through the capture route's decrypt and nonce stages (same
 * format, same keys, same single-use nonces), which hand challenge captures to
 * {@link #VERIFY} instead of face detection.
 */
public final class ChallengeContract {
    public static final String FAMILY = "challenge";

    /** {@code POST /challenge/verify}. */
    public static final String VERIFY_OPERATION = "challenge.verify";

    public static final Stage VERIFY = Stage.named("challenge-verify").family(FAMILY)
            .does("re-derives the challenge from its seed, measures every frame (pose, expression, eyes, gaze, identity), finds the"
                    + " actions in order, adds the best frame's passive liveness and the injection signals: PASS / SPOOF / FAILED / TIMEOUT / ERROR; records each accepted nonce's outcome (verdict, sealed best frame and embedding) for other products")
            .reads(Topics.CHALLENGE_CAPTURES).writes(Topics.RESULTS, Topics.AUDIT, Topics.CHALLENGE_OUTCOMES)
            .deployment(Deployment.MODEL.withResources("1", "1Gi", "2", "2Gi"))
            .implementedBy("io.openbio.processors.challenge.ChallengeVerifyProcessor");

    /** challenge/verify: the capture route's decrypt and nonce stages, then the verification. */
    public static final Route ROUTE = new Route(FAMILY, Topics.CHALLENGE_REQUESTS,
            List.of(CaptureContract.DECRYPT, CaptureContract.NONCE, VERIFY));

    public static final Product PRODUCT = new Product(FAMILY, List.of(VERIFY), List.of(ROUTE),
            List.of(Topics.CHALLENGE_REQUESTS, Topics.CHALLENGE_CAPTURES, Topics.CHALLENGE_OUTCOMES));

    private ChallengeContract() {
    }
}
