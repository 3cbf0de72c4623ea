package io.openbio.inference.document.read.barcode;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.GenericMultipleBarcodeReader;
import io.openbio.inference.image.RgbImage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes the barcodes identity documents carry (PDF417 on driving licences and ID cards, QR codes,
 * Code 39 and Code 128 on older cards) with ZXing, the maintained Java barcode library: hybrid
 * (local-threshold) binarisation, {@code TRY_HARDER}, several symbols per page
 * ({@link GenericMultipleBarcodeReader}); the page is also read turned by 90 degrees, for vertical
 * symbols. Stateless and thread-safe (a reader per call).
 */
public final class BarcodeReader {
    /** The formats looked for. */
    public static final List<BarcodeFormat> FORMATS = List.of(BarcodeFormat.PDF_417, BarcodeFormat.QR_CODE,
            BarcodeFormat.CODE_39, BarcodeFormat.CODE_128);

    /** Every barcode found on the image (one entry per distinct type and content), in reading order. */
    public List<Barcode> read(RgbImage image) {
        Map<String, Barcode> found = new LinkedHashMap<>();
        int w = image.width();
        int h = image.height();
        int[] argb = new int[w * h];
        byte[] rgb = image.rgb();
        for (int i = 0; i < argb.length; i++) {
            argb[i] = 0xff000000 | (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | (rgb[3 * i + 2] & 0xff);
        }
        LuminanceSource source = new RGBLuminanceSource(w, h, argb);
        decode(source, false, w, found);
        if (found.isEmpty() && source.isRotateSupported()) {
            decode(source.rotateCounterClockwise(), true, w, found);
        }
        return new ArrayList<>(found.values());
    }

    private static void decode(LuminanceSource source, boolean rotated, int width, Map<String, Barcode> out) {
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.POSSIBLE_FORMATS, FORMATS);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        MultiFormatReader reader = new MultiFormatReader();
        reader.setHints(hints);
        Result[] results;
        try {
            results = new GenericMultipleBarcodeReader(reader).decodeMultiple(new BinaryBitmap(
                    new HybridBinarizer(source)), hints);
        } catch (NotFoundException e) {
            return;
        }
        for (Result r : results) {
            String type = r.getBarcodeFormat().name().toLowerCase(Locale.ROOT);
            List<double[]> corners = new ArrayList<>();
            if (r.getResultPoints() != null) {
                for (ResultPoint p : r.getResultPoints()) {
                    if (p != null) {
                        // turned back: a point (x, y) of the counter-clockwise image is (width - 1 - y, x)
                        corners.add(rotated ? new double[] {width - 1 - p.getY(), p.getX()}
                                : new double[] {p.getX(), p.getY()});
                    }
                }
            }
            out.putIfAbsent(type + "\n" + r.getText(), new Barcode(type, r.getText(), data(r), corners));
        }
    }

    @SuppressWarnings("unchecked")
    private static byte[] data(Result r) {
        Map<ResultMetadataType, Object> meta = r.getResultMetadata();
        Object segments = meta == null ? null : meta.get(ResultMetadataType.BYTE_SEGMENTS);
        if (segments instanceof List<?> list && !list.isEmpty()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (byte[] s : (List<byte[]>) list) {
                b.writeBytes(s);
            }
            return b.toByteArray();
        }
        return r.getText().getBytes(StandardCharsets.UTF_8);
    }
}
