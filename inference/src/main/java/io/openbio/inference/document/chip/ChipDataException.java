package io.openbio.inference.document.chip;

/** The chip data is not a readable LDS (the DIS answer: errorCode {@code LDS_PARSE_ERROR}). The message names no personal data. */
public final class ChipDataException extends Exception {
    public ChipDataException(String message) {
        super(message);
    }

    public ChipDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
