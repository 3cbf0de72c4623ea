package io.openbio.processors.diagnostic;

import io.openbio.events.DiagnosticResult;
import io.openbio.events.DigestedRequest;
import io.openbio.events.Part;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.processors.core.Outcome;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.StepStage;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DiagnosticContract;
import io.openbio.schemas.contract.Stage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Diagnostic chain, stage 2: payload size and, when the payload is an image, its format and pixel
 * size read from the image header (no full decode). Ends the request with a {@link DiagnosticResult}.
 */
public final class ImageInfoProcessor extends StepStage<DigestedRequest, DigestedRequest> {
    public static final String NAME = DiagnosticContract.IMAGE_INFO.name();

    public ImageInfoProcessor() {
        super(Topics.DIAGNOSTIC_DIGESTED, "diagnostic-digested", null);
    }

    @Override
    public Stage stage() {
        return DiagnosticContract.IMAGE_INFO;
    }

    /** Format and dimensions from the image header, or nulls when the bytes are not a known image. */
    public record ImageInfo(String format, Integer width, Integer height) {
    }

    /** The in-process computation of this stage (also used by the benchmark's baseline). */
    public static ImageInfo inspect(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            if (input == null) {
                return new ImageInfo(null, null, null);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                return new ImageInfo(null, null, null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                return new ImageInfo(reader.getFormatName().toLowerCase(), reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // A truncated or malformed header: the payload is reported as "not an image".
            return new ImageInfo(null, null, null);
        }
    }

    /** The last diagnostic stage: every request ends here. */
    @Override
    protected Outcome<DigestedRequest> step(DigestedRequest digested) {
        try {
            return Outcome.done(finish(digested));
        } catch (RuntimeException e) {
            List<StageTrace> trace = new ArrayList<>(digested.getTrace());
            trace.add(Results.trace(NAME));
            return Outcome.done(io.openbio.processors.core.Stages.unexpected(NAME, digested.getEnvelope(), trace, e));
        }
    }

    static ResultEvent finish(DigestedRequest digested) {
        Part part = digested.getEnvelope().getParts().get(0);
        byte[] payload = io.openbio.processors.core.Sealing.openPart(digested.getEnvelope(), part.getData());
        ImageInfo info = inspect(java.nio.ByteBuffer.wrap(payload));
        List<StageTrace> trace = new ArrayList<>(digested.getTrace());
        trace.add(Results.trace(NAME));
        return Results.resultFor(digested.getEnvelope(), trace)
                .setPayload(DiagnosticResult.newBuilder()
                        .setSha256(digested.getSha256())
                        .setSizeBytes(payload.length)
                        .setImageFormat(info.format())
                        .setWidth(info.width())
                        .setHeight(info.height())
                        .build())
                .build();
    }
}
