package io.openbio.inference.document;

/** The {@code status_code} of a document check entry (IDLive doc_result). */
public enum DocumentStatus {
    /** The check ran; a probability is given. */
    OK,
    /** No document (card / page quadrilateral) was found in the photo. */
    DOCUMENT_NOT_FOUND,
    /** A document was found but no portrait (face) on it. */
    DOCUMENT_PHOTO_NOT_FOUND,
    /** The document touches or leaves the frame. */
    DOCUMENT_CROPPED,
    /** The check failed internally (the entry's error text says why). */
    ERROR
}
