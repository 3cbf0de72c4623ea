package io.openbio.inference.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import org.opencv.core.Core;
import org.opencv.core.Mat;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decodes JPEG / PNG / BMP / GIF bytes with ImageIO into an upright {@link RgbImage}.
 *
 * <ul>
 *   <li>Not an image, or an unsupported format: {@link ErrorCode#INVALID_IMAGE}.</li>
 *   <li>Valid header but the data ends early (the JPEG decoder warns or fails, PNG hits EOF):
 *       {@link ErrorCode#IMAGE_TRUNCATED}.</li>
 *   <li>Declared size above {@code maxPixels} or {@code maxSide}: {@link ErrorCode#IMAGE_TOO_LARGE},
 *       decided from the header before any pixel is decoded (decompression-bomb guard).</li>
 *   <li>Memory budget: the bytes the decode would allocate, read from the header before any pixel is
 *       decoded, above {@code maxDecodeBytes}: {@link ErrorCode#IMAGE_TOO_LARGE}, never an
 *       {@code OutOfMemoryError}. The estimate is width x height x (channels x bytes per sample of the
 *       decoder's raster + 7): the raster ImageIO fills, the ARGB {@code int} per pixel that
 *       {@link #toRgb} reads it through, and the 3-byte RGB result. A 6300x6300 PNG of one colour is
 *       128 KB on disk and under the 40 MP cap, but decoding it took about 400 MB and ran two stages
 *       out of memory.</li>
 *   <li>EXIF orientation 2..8 is applied with OpenCV flip / rotate / transpose.</li>
 * </ul>
 */
public final class ImageDecoder {
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final int DEFAULT_MAX_SIDE = 12_000;
    public static final int DEFAULT_MAX_BYTES = 30 * 1024 * 1024;
    /**
     * Default decode budget, 256 MiB: sized from the smallest heap of a stage that decodes pixels in the
     * pipeline contract's Deployment records ({@code Deployment.MODEL}: 1536 MiB limit x 60 % = 921 MiB,
     * liveness and ekyc-face-check), leaving about 70 % of it to the ONNX tensors, Kafka's
     * buffers and the record in flight. It admits a 26 MP RGB photo (10 bytes a pixel), far above any
     * camera or scanner frame the APIs expect, and refuses the 6300x6300 PNG (397 MB).
     */
    public static final long DEFAULT_MAX_DECODE_BYTES = 256L * 1024 * 1024;
    /** System property (else environment variable {@code OPENBIO_IMAGE_DECODE_BUDGET_BYTES}) overriding the budget. */
    public static final String DECODE_BUDGET_SETTING = "openbio.image.decode-budget-bytes";
    /** Bytes a pixel costs beyond the decoder's raster: an ARGB int ({@link #toRgb}) and the RGB result. */
    static final int CONVERSION_BYTES_PER_PIXEL = 4 + 3;

    private final long maxPixels;
    private final int maxSide;
    private final int maxBytes;
    private final long maxDecodeBytes;

    /** The default limits, with the decode budget of this process ({@link #configuredDecodeBudget()}). */
    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE, DEFAULT_MAX_BYTES, configuredDecodeBudget());
    }

    public ImageDecoder(long maxPixels, int maxSide, int maxBytes) {
        this(maxPixels, maxSide, maxBytes, configuredDecodeBudget());
    }

    public ImageDecoder(long maxPixels, int maxSide, int maxBytes, long maxDecodeBytes) {
        this.maxPixels = maxPixels;
        this.maxSide = maxSide;
        this.maxBytes = maxBytes;
        this.maxDecodeBytes = maxDecodeBytes;
    }

    /**
     * The decode budget of this process: {@value #DECODE_BUDGET_SETTING} or {@code OPENBIO_IMAGE_DECODE_BUDGET_BYTES},
     * else {@link #DEFAULT_MAX_DECODE_BYTES}; a value that is not a positive number fails the start.
     */
    public static long configuredDecodeBudget() {
        String value = System.getProperty(DECODE_BUDGET_SETTING);
        if (value == null || value.isBlank()) {
            value = System.getenv("OPENBIO_IMAGE_DECODE_BUDGET_BYTES");
        }
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_DECODE_BYTES;
        }
        long budget;
        try {
            budget = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OPENBIO_IMAGE_DECODE_BUDGET_BYTES: not a number of bytes: " + value, e);
        }
        if (budget <= 0) {
            throw new IllegalArgumentException("OPENBIO_IMAGE_DECODE_BUDGET_BYTES must be positive: " + value);
        }
        return budget;
    }

    /** The decode budget in bytes. */
    public long maxDecodeBytes() {
        return maxDecodeBytes;
    }

    public DecodedImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InferenceException(ErrorCode.INVALID_IMAGE, "no image bytes were given");
        }
        if (bytes.length > maxBytes) {
            throw new InferenceException(ErrorCode.IMAGE_TOO_LARGE,
                    "image is " + bytes.length + " bytes, above the limit of " + maxBytes);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InferenceException(ErrorCode.INVALID_IMAGE,
                        "the bytes are not an image in a supported format (JPEG, PNG, WebP, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase();
                int w;
                int h;
                try {
                    w = reader.getWidth(0);
                    h = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new InferenceException(ErrorCode.INVALID_IMAGE,
                            "the " + format + " header cannot be read: " + e.getMessage(), e);
                }
                if (w <= 0 || h <= 0 || w > maxSide || h > maxSide || (long) w * h > maxPixels) {
                    throw new InferenceException(ErrorCode.IMAGE_TOO_LARGE, "image declares " + w + "x" + h
                            + " pixels; the limits are " + maxSide + " px a side and " + maxPixels + " pixels");
                }
                long needed = (long) w * h * (rasterBytesPerPixel(reader, format) + CONVERSION_BYTES_PER_PIXEL);
                if (needed > maxDecodeBytes) {
                    throw new InferenceException(ErrorCode.IMAGE_TOO_LARGE, "decoding the " + w + "x" + h + " " + format
                            + " image needs about " + (needed >> 20) + " MiB; the decode budget is " + (maxDecodeBytes >> 20) + " MiB");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String warning) {
                        warnings.add(warning);
                    }
                });
                BufferedImage bi;
                try {
                    ImageReadParam param = reader.getDefaultReadParam();
                    bi = reader.read(0, param);
                } catch (EOFException e) {
                    throw truncated(format, e);
                } catch (IOException | RuntimeException e) {
                    String msg = String.valueOf(e.getMessage()).toLowerCase();
                    if (msg.contains("premature") || msg.contains("eof") || msg.contains("end of")
                            || msg.contains("truncat") || e.getCause() instanceof EOFException) {
                        throw truncated(format, e);
                    }
                    throw new InferenceException(ErrorCode.INVALID_IMAGE,
                            "the " + format + " data cannot be decoded: " + e.getMessage(), e);
                }
                for (String warn : warnings) {
                    String lw = warn.toLowerCase();
                    if (lw.contains("premature") || lw.contains("truncat") || lw.contains("end of")) {
                        throw new InferenceException(ErrorCode.IMAGE_TRUNCATED,
                                "the " + format + " data ends early (" + warn + ")");
                    }
                }
                if (bi == null) {
                    throw new InferenceException(ErrorCode.INVALID_IMAGE, "the " + format + " decoder returned nothing");
                }
                RgbImage rgb = toRgb(bi);
                int orientation = exifOrientation(bytes);
                return new DecodedImage(orient(rgb, orientation), format, orientation, w, h);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new InferenceException(ErrorCode.INVALID_IMAGE, "cannot read image bytes: " + e.getMessage(), e);
        }
    }

    /**
     * Bytes a pixel of the raster the reader will decode into: channels (data elements of its sample
     * model) x bytes per sample (its transfer type), from the header only. A reader that declares no
     * type is charged 4 bytes a pixel (4 channels of 8 bits, the most of the formats ImageIO reads by default).
     */
    static int rasterBytesPerPixel(ImageReader reader, String format) {
        ImageTypeSpecifier type;
        try {
            type = reader.getRawImageType(0);
            if (type == null) {
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                type = types != null && types.hasNext() ? types.next() : null;
            }
        } catch (IOException | RuntimeException e) {
            throw new InferenceException(ErrorCode.INVALID_IMAGE,
                    "the " + format + " header cannot be read: " + e.getMessage(), e);
        }
        if (type == null) {
            return 4;
        }
        SampleModel model = type.getSampleModel(1, 1);
        int bytesPerSample = Math.max(1, (DataBuffer.getDataTypeSize(model.getTransferType()) + 7) / 8);
        return Math.max(1, model.getNumDataElements()) * bytesPerSample;
    }

    private static InferenceException truncated(String format, Exception e) {
        return new InferenceException(ErrorCode.IMAGE_TRUNCATED,
                "the " + format + " data ends before the image is complete: " + e.getMessage(), e);
    }

    static RgbImage toRgb(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        int[] argb = bi.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            out[i * 3] = (byte) (p >> 16);
            out[i * 3 + 1] = (byte) (p >> 8);
            out[i * 3 + 2] = (byte) p;
        }
        return new RgbImage(w, h, out);
    }

    /** EXIF orientation tag (1..8), 1 when absent or unreadable. */
    static int exifOrientation(byte[] bytes) {
        try {
            Metadata md = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
            for (ExifIFD0Directory d : md.getDirectoriesOfType(ExifIFD0Directory.class)) {
                if (d.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                    int o = d.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                    return o >= 1 && o <= 8 ? o : 1;
                }
            }
        } catch (Exception e) {
            // metadata is optional: a file without readable EXIF is shown as stored
        }
        return 1;
    }

    /** Applies EXIF orientation (1..8) so that the result is upright. */
    public static RgbImage orient(RgbImage img, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return img;
        }
        Mat src = img.toMat();
        Mat dst = new Mat();
        try {
            switch (orientation) {
                case 2 -> Core.flip(src, dst, 1);
                case 3 -> Core.rotate(src, dst, Core.ROTATE_180);
                case 4 -> Core.flip(src, dst, 0);
                case 5 -> Core.transpose(src, dst);
                case 6 -> Core.rotate(src, dst, Core.ROTATE_90_CLOCKWISE);
                case 7 -> {
                    Mat t = new Mat();
                    Core.rotate(src, t, Core.ROTATE_90_CLOCKWISE);
                    Core.flip(t, dst, 0); // transverse
                    t.release();
                }
                case 8 -> Core.rotate(src, dst, Core.ROTATE_90_COUNTERCLOCKWISE);
                default -> src.copyTo(dst);
            }
            return RgbImage.fromMat(dst);
        } finally {
            src.release();
            dst.release();
        }
    }
}
