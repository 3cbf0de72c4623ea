package io.openbio.inference.unavailable;

/**
 * Outcome of a pluggable check: either a probability from a configured model, or UNAVAILABLE with
 * the reason. Never a made-up value.
 *
 * @param check       which check
 * @param available   whether a model produced the value
 * @param probability probability of the positive class (deepfake / glasses / mask / attack), NaN when unavailable
 * @param detail      model id, or why it is unavailable and how to enable it
 */
public record CheckResult(Check check, boolean available, double probability, String detail) {
    public static CheckResult unavailable(Check check, String why) {
        return new CheckResult(check, false, Double.NaN, why);
    }
}
