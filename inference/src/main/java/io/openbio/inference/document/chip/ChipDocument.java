package io.openbio.inference.document.chip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jmrtd.lds.LDSFile;
import org.jmrtd.lds.icao.COMFile;
import org.jmrtd.lds.icao.DG1File;
import org.jmrtd.lds.icao.DG2File;
import org.jmrtd.lds.icao.MRZInfo;
import org.jmrtd.lds.iso19794.FaceImageInfo;
import org.jmrtd.lds.iso19794.FaceInfo;

/**
 * What the chip says, decoded with JMRTD: the MRZ of DG1 and the portraits of DG2 (ISO/IEC 19794-5 face records;
 * JPEG or JPEG 2000 as the chip stores them). Files that are absent give empty values; a file that is present
 * but does not decode is a {@link ChipDataException}.
 *
 * @param ldsVersion the EF.COM's LDS version, or null without EF.COM
 * @param mrz        DG1's MRZ, if DG1 was uploaded
 * @param portraits  DG2's face images, in the chip's order (empty without DG2)
 */
public record ChipDocument(String ldsVersion, Optional<ChipMrz> mrz, List<Portrait> portraits) {
    /**
     * One DG2 face image.
     *
     * @param mimeType {@code image/jpeg} or {@code image/jp2}
     * @param data     the image as stored on the chip
     */
    public record Portrait(String mimeType, int width, int height, byte[] data) {
        /** For logs: never the image. */
        @Override
        public String toString() {
            return "Portrait[" + mimeType + " " + width + "x" + height + ", " + data.length + " B]";
        }
    }

    /** Decodes the uploaded files. */
    public static ChipDocument read(ChipFiles files) throws ChipDataException {
        String lds = null;
        Optional<byte[]> com = files.file(LDSFile.EF_COM_TAG);
        if (com.isPresent()) {
            try {
                lds = new COMFile(new ByteArrayInputStream(com.get())).getLDSVersion();
            } catch (IOException | RuntimeException e) {
                throw new ChipDataException("EF.COM does not decode", e);
            }
        }
        Optional<ChipMrz> mrz = Optional.empty();
        Optional<byte[]> dg1 = files.dataGroup(1);
        if (dg1.isPresent()) {
            try {
                MRZInfo info = new DG1File(new ByteArrayInputStream(dg1.get())).getMRZInfo();
                mrz = Optional.of(ChipMrz.of(info));
            } catch (IOException | RuntimeException e) {
                throw new ChipDataException("DG1 does not decode", e);
            }
        }
        List<Portrait> portraits = new ArrayList<>();
        Optional<byte[]> dg2 = files.dataGroup(2);
        if (dg2.isPresent()) {
            try {
                DG2File file = new DG2File(new ByteArrayInputStream(dg2.get()));
                for (FaceInfo face : file.getFaceInfos()) {
                    for (FaceImageInfo image : face.getFaceImageInfos()) {
                        byte[] data = image.getImageInputStream().readAllBytes();
                        portraits.add(new Portrait(image.getMimeType(), image.getWidth(), image.getHeight(), data));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new ChipDataException("DG2 does not decode", e);
            }
        }
        return new ChipDocument(lds, mrz, List.copyOf(portraits));
    }
}
