package io.openbio.processors.bioserver;

/**
 * A BioServer request that cannot be answered as asked: its HTTP status and the message of the seed's
 * error object ({@code {"id","message"}}; the gateway adds the id).
 */
final class BioServerFailure extends RuntimeException {
    final int status;

    private BioServerFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static BioServerFailure badRequest(String message) {
        return new BioServerFailure(400, message);
    }

    static BioServerFailure sessionNotFound() {
        return new BioServerFailure(404, "Session not found");
    }

    static BioServerFailure faceNotFound() {
        return new BioServerFailure(404, "Face not found");
    }

    static BioServerFailure notInitialized() {
        return new BioServerFailure(404, "No replay liveness for this bio-session");
    }

    static BioServerFailure conflict(String message) {
        return new BioServerFailure(409, message);
    }
}
