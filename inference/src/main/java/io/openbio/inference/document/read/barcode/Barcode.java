package io.openbio.inference.document.read.barcode;

import java.util.List;

/**
 * A decoded barcode.
 *
 * @param type    the reference's barcode type name: {@code pdf_417}, {@code qr_code}, {@code code_39},
 *                {@code code_128} (ZXing's format name in lower case)
 * @param text    the decoded text
 * @param data    the decoded bytes (the byte segments when the symbol carries binary data, else the
 *                text in UTF-8): the reference's {@code Barcode.data}
 * @param corners the symbol's corner / end points ZXing reports, x,y in pixels of the image read
 */
public record Barcode(String type, String text, byte[] data, List<double[]> corners) {
    public Barcode {
        data = data.clone();
        corners = List.copyOf(corners);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }
}
