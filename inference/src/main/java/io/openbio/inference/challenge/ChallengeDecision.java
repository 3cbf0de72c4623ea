package io.openbio.inference.challenge;

/** The outcome of verifying an active-liveness capture. */
public enum ChallengeDecision {
    /** every action was found in order, one live face throughout. */
    PASS,
    /** evidence of an attack: a still or replayed face, an identity switch, a cut, frames out of order or reused. */
    SPOOF,
    /** not enough evidence either way (an action not found, face lost, too few frames). */
    FAILED,
    /** the capture was made or submitted after the challenge's time limit. */
    TIMEOUT,
    /** the capture could not be analysed (undecodable frames, a model failure). */
    ERROR
}
