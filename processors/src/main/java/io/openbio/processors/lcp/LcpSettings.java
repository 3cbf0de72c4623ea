package io.openbio.processors.lcp;

import io.openbio.inference.embed.MatchScores;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The lcp-verify stage's settings (README, Configuration), read once at start.
 *
 * @param initiationType   {@code OPENBIO_LCP_INITIATION_TYPE}: what {@code /liveness/init} answers; {@code NONE}
 *                         (image style) is the only one this version has
 * @param livenessThreshold {@code OPENBIO_LCP_LIVENESS_THRESHOLD} (default {@link LivenessResult#THRESHOLD}): combined
 *                         passive liveness probability a probe needs
 * @param matchThreshold   {@code OPENBIO_LCP_MATCH_THRESHOLD} (default {@link MatchScores#IDLIVE_VALIDATION_THRESHOLD}):
 *                         calibrated same-person probability of probe vs reference
 * @param returnSelfie     {@code OPENBIO_LCP_RETURN_SELFIE} (default false): verify answers the probe image in {@code selfie}
 * @param userDetailsUrl   {@code OPENBIO_LCP_USER_DETAILS_URL} (default none): the remote user-details provider, with a
 *                         {@code {userId}} placeholder; null for the built-in user store
 * @param userDetailsTimeout {@code OPENBIO_LCP_USER_DETAILS_TIMEOUT_MS} (default 3 s): connect and answer timeout of one call
 */
public record LcpSettings(String initiationType, double livenessThreshold, double matchThreshold, boolean returnSelfie,
                          String userDetailsUrl, Duration userDetailsTimeout) {
    public static final String NONE = "NONE";
    public static final String TOKEN = "TOKEN";
    public static final String USER_ID_PLACEHOLDER = "{userId}";

    public LcpSettings {
        initiationType = Objects.requireNonNull(initiationType, "initiationType").trim().toUpperCase(Locale.ROOT);
        if (TOKEN.equals(initiationType)) {
            throw new IllegalArgumentException("OPENBIO_LCP_INITIATION_TYPE=TOKEN (token style) is not available in this version; use NONE");
        }
        if (!NONE.equals(initiationType)) {
            throw new IllegalArgumentException("OPENBIO_LCP_INITIATION_TYPE must be NONE: " + initiationType);
        }
        if (!(livenessThreshold >= 0 && livenessThreshold <= 1)) {
            throw new IllegalArgumentException("OPENBIO_LCP_LIVENESS_THRESHOLD must be within 0..1: " + livenessThreshold);
        }
        if (!(matchThreshold >= 0 && matchThreshold <= 1)) {
            throw new IllegalArgumentException("OPENBIO_LCP_MATCH_THRESHOLD must be within 0..1: " + matchThreshold);
        }
        userDetailsUrl = userDetailsUrl == null || userDetailsUrl.isBlank() ? null : userDetailsUrl.trim();
        if (userDetailsUrl != null) {
            URI uri = URI.create(userDetailsUrl.replace(USER_ID_PLACEHOLDER, "u"));
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("OPENBIO_LCP_USER_DETAILS_URL must be an absolute http(s) URL: " + userDetailsUrl);
            }
            if (!userDetailsUrl.contains(USER_ID_PLACEHOLDER)) {
                throw new IllegalArgumentException("OPENBIO_LCP_USER_DETAILS_URL must contain " + USER_ID_PLACEHOLDER + ": " + userDetailsUrl);
            }
        }
        Objects.requireNonNull(userDetailsTimeout, "userDetailsTimeout");
        if (userDetailsTimeout.isNegative() || userDetailsTimeout.isZero()) {
            throw new IllegalArgumentException("OPENBIO_LCP_USER_DETAILS_TIMEOUT_MS must be positive: " + userDetailsTimeout.toMillis());
        }
    }

    /** Every default: image style, the IDLive thresholds, no selfie, the built-in user store. */
    public static LcpSettings defaults() {
        return new LcpSettings(NONE, LivenessResult.THRESHOLD, MatchScores.IDLIVE_VALIDATION_THRESHOLD, false, null, Duration.ofSeconds(3));
    }

    /** The settings of this process: system properties, then environment variables, then the defaults. */
    public static LcpSettings fromEnvironment() {
        return new LcpSettings(
                KafkaSettings.setting(Settings.LCP_INITIATION_TYPE),
                Double.parseDouble(KafkaSettings.setting(Settings.LCP_LIVENESS_THRESHOLD)),
                Double.parseDouble(KafkaSettings.setting(Settings.LCP_MATCH_THRESHOLD)),
                Boolean.parseBoolean(KafkaSettings.setting(Settings.LCP_RETURN_SELFIE)),
                KafkaSettings.setting(Settings.LCP_USER_DETAILS_URL, ""),
                Duration.ofMillis(Long.parseLong(KafkaSettings.setting(Settings.LCP_USER_DETAILS_TIMEOUT_MS))));
    }

    /** Whether reference faces come from the remote user-details provider (else the built-in user store). */
    public boolean remoteUserDetails() {
        return userDetailsUrl != null;
    }

    public LcpSettings withReturnSelfie(boolean returnSelfie) {
        return new LcpSettings(initiationType, livenessThreshold, matchThreshold, returnSelfie, userDetailsUrl, userDetailsTimeout);
    }

    public LcpSettings withUserDetails(String url, Duration timeout) {
        return new LcpSettings(initiationType, livenessThreshold, matchThreshold, returnSelfie, url, timeout);
    }
}
