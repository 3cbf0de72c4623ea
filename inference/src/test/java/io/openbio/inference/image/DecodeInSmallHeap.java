package io.openbio.inference.image;

import io.openbio.testkit.LargePng;
import io.openbio.inference.InferenceException;

/** Run in a child JVM with a small heap by {@link ImageDecodeBudgetTest}: decodes a large PNG and prints the outcome. */
public final class DecodeInSmallHeap {
    private DecodeInSmallHeap() {
    }

    public static void main(String[] args) throws Exception {
        byte[] png = LargePng.of(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        try {
            DecodedImage image = new ImageDecoder().decode(png);
            System.out.println("DECODED " + image.width() + "x" + image.height());
        } catch (InferenceException e) {
            System.out.println("REFUSED " + e.code());
        } catch (OutOfMemoryError e) {
            System.out.println("OOM");
        }
    }
}
