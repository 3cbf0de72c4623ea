package io.openbio.inference;

/** Machine-readable reasons for an {@link InferenceException}. */
public enum ErrorCode {
    /** The bytes are empty or are not an image in a supported format (JPEG, PNG, WebP, BMP, GIF). */
    INVALID_IMAGE,
    /** The bytes start like an image but end before the image data does. */
    IMAGE_TRUNCATED,
    /** The declared dimensions exceed the configured pixel or side limits (decompression bomb guard). */
    IMAGE_TOO_LARGE,
    /** No face was found by the detector. */
    FACE_NOT_FOUND,
    /** The face found is below the minimum inter-eye distance (60 px by default). */
    FACE_TOO_SMALL,
    /** More than one face of comparable size was found where exactly one is required. */
    MULTIPLE_FACES,
    /** A model file is missing or its SHA-256 does not match the committed manifest. */
    MODEL_UNAVAILABLE,
    /** A template is not in this library's format or is corrupt. */
    INVALID_TEMPLATE,
    /** A template was made by another model or model version than the one loaded. */
    TEMPLATE_VERSION_MISMATCH,
    /** The requested check has no model on this installation (deepfake, glasses, mask, document attack). */
    CHECK_UNAVAILABLE
}
