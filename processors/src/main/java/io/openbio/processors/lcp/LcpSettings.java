package io.openbio.processors.lcp;

import io.openbio.inference.challenge.ChallengeAction;
import io.openbio.inference.challenge.ChallengeKinds;
import io.openbio.inference.embed.MatchScores;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The lcp-verify stage's settings (README, Configuration), read once at start.
 *
 * @param initiationType   {@code OPENBIO_LCP_INITIATION_TYPE}: what {@code /liveness/init} answers when the request
 *                         does not choose: {@code NONE} (image style) or {@code TOKEN} (token style)
 * @param livenessThreshold {@code OPENBIO_LCP_LIVENESS_THRESHOLD} (default {@link LivenessResult#THRESHOLD}): combined
 *                         passive liveness probability a probe needs
 * @param matchThreshold   {@code OPENBIO_LCP_MATCH_THRESHOLD} (default {@link MatchScores#IDLIVE_VALIDATION_THRESHOLD}):
 *                         calibrated same-person probability of probe vs reference
 * @param returnSelfie     {@code OPENBIO_LCP_RETURN_SELFIE} (default false): verify answers the probe image in {@code selfie}
 * @param userDetailsUrl   {@code OPENBIO_LCP_USER_DETAILS_URL} (default none): the remote user-details provider, with a
 *                         {@code {userId}} placeholder; null for the built-in user store
 * @param userDetailsTimeout {@code OPENBIO_LCP_USER_DETAILS_TIMEOUT_MS} (default 3 s): connect and answer timeout of one call
 * @param tokenTtl         {@code OPENBIO_LCP_TOKEN_TTL_MS} (default 5 min): token style, how long a token's challenge can be
 *                         fetched and its capture uploaded (the lifetime of its capture nonce)
 * @param challengeKinds   {@code OPENBIO_LCP_CHALLENGE_KINDS} (default {@code HEAD,SMILE,EYES}): the kinds a token's challenge
 *                         is drawn from
 * @param challengeActions {@code OPENBIO_LCP_CHALLENGE_ACTIONS} (default 3): how many actions a token's challenge asks for
 */
public record LcpSettings(String initiationType, double livenessThreshold, double matchThreshold, boolean returnSelfie,
                          String userDetailsUrl, Duration userDetailsTimeout, Duration tokenTtl, String challengeKinds,
                          int challengeActions) {
    public static final String NONE = "NONE";
    public static final String TOKEN = "TOKEN";
    public static final String USER_ID_PLACEHOLDER = "{userId}";

    public LcpSettings {
        initiationType = Objects.requireNonNull(initiationType, "initiationType").trim().toUpperCase(Locale.ROOT);
        if (!NONE.equals(initiationType) && !TOKEN.equals(initiationType)) {
            throw new IllegalArgumentException("OPENBIO_LCP_INITIATION_TYPE must be NONE or TOKEN: " + initiationType);
        }
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("OPENBIO_LCP_TOKEN_TTL_MS must be positive: " + tokenTtl.toMillis());
        }
        try {
            ChallengeKinds.parse(Objects.requireNonNull(challengeKinds, "challengeKinds"), challengeActions);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OPENBIO_LCP_CHALLENGE_KINDS / OPENBIO_LCP_CHALLENGE_ACTIONS: " + e.getMessage(), e);
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
        return new LcpSettings(NONE, LivenessResult.THRESHOLD, MatchScores.IDLIVE_VALIDATION_THRESHOLD, false, null, Duration.ofSeconds(3),
                Duration.ofMinutes(5), String.join(",", ChallengeKinds.DEFAULT_KINDS), ChallengeKinds.DEFAULT_ACTIONS);
    }

    /** The settings of this process: system properties, then environment variables, then the defaults. */
    public static LcpSettings fromEnvironment() {
        return new LcpSettings(
                KafkaSettings.setting(Settings.LCP_INITIATION_TYPE),
                Double.parseDouble(KafkaSettings.setting(Settings.LCP_LIVENESS_THRESHOLD)),
                Double.parseDouble(KafkaSettings.setting(Settings.LCP_MATCH_THRESHOLD)),
                Boolean.parseBoolean(KafkaSettings.setting(Settings.LCP_RETURN_SELFIE)),
                KafkaSettings.setting(Settings.LCP_USER_DETAILS_URL, ""),
                Duration.ofMillis(Long.parseLong(KafkaSettings.setting(Settings.LCP_USER_DETAILS_TIMEOUT_MS))),
                Duration.ofMillis(Long.parseLong(KafkaSettings.setting(Settings.LCP_TOKEN_TTL_MS))),
                KafkaSettings.setting(Settings.LCP_CHALLENGE_KINDS),
                Integer.parseInt(KafkaSettings.setting(Settings.LCP_CHALLENGE_ACTIONS)));
    }

    /** Whether reference faces come from the remote user-details provider (else the built-in user store). */
    public boolean remoteUserDetails() {
        return userDetailsUrl != null;
    }

    /** The actions a token's challenge is drawn from ({@link #challengeKinds}). */
    public Set<ChallengeAction> challengeAllowed() {
        return ChallengeKinds.parse(challengeKinds, challengeActions);
    }

    public LcpSettings withReturnSelfie(boolean returnSelfie) {
        return new LcpSettings(initiationType, livenessThreshold, matchThreshold, returnSelfie, userDetailsUrl, userDetailsTimeout,
                tokenTtl, challengeKinds, challengeActions);
    }

    public LcpSettings withUserDetails(String url, Duration timeout) {
        return new LcpSettings(initiationType, livenessThreshold, matchThreshold, returnSelfie, url, timeout,
                tokenTtl, challengeKinds, challengeActions);
    }

    public LcpSettings withInitiationType(String type) {
        return new LcpSettings(type, livenessThreshold, matchThreshold, returnSelfie, userDetailsUrl, userDetailsTimeout,
                tokenTtl, challengeKinds, challengeActions);
    }

    public LcpSettings withToken(Duration ttl, String kinds, int actions) {
        return new LcpSettings(initiationType, livenessThreshold, matchThreshold, returnSelfie, userDetailsUrl, userDetailsTimeout,
                ttl, kinds, actions);
    }
}
