package io.openbio.bundle;

import java.util.List;

/** The decrypted content of a capture bundle: metadata and one or more frames, in capture order. */
public record CaptureBundle(CaptureMetadata metadata, List<CaptureFrame> frames) {}
