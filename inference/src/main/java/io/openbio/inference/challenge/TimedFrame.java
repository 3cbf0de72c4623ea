package io.openbio.inference.challenge;

/** One frame of a challenge capture as it came in the bundle: its timestamp and encoded image bytes. */
public record TimedFrame(long timestampMs, byte[] image) {
}
