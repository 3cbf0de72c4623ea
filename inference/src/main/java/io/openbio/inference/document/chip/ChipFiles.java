package io.openbio.inference.document.chip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import net.sf.scuba.tlv.TLVInputStream;
import org.jmrtd.lds.LDSFile;
import org.jmrtd.lds.LDSFileUtil;

/**
 * The elementary files of an e-passport chip's logical data structure (ICAO 9303 part 10) as a DIS client
 * uploads them ({@code PUT /customers/{id}/document/chip/data}, {@code application/octet-stream}): the files as
 * read from the chip, concatenated in any order, each one complete BER-TLV (tag {@code 0x60} EF.COM,
 * {@code 0x61} DG1, {@code 0x75} DG2, ... {@code 0x6F} DG15, {@code 0x77} EF.SOD). The platform's choice of
 * container (the reference leaves the byte layout to the vendor's SDK): it is what a chip reader returns file
 * by file, with nothing added. Tags and lengths are read with SCUBA's {@code TLVInputStream} (JMRTD's own TLV
 * layer).
 */
public final class ChipFiles {
    /** At most this many bytes (a DG2 with one JPEG2000 portrait is ~15-30 KB; DG3/DG4 are never readable without EAC). */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private final Map<Integer, byte[]> files;

    private ChipFiles(Map<Integer, byte[]> files) {
        this.files = Collections.unmodifiableMap(files);
    }

    /** Splits {@code lds} into its files; a tag that is no LDS file, a length past the end, or a file twice is refused. */
    public static ChipFiles parse(byte[] lds) throws ChipDataException {
        if (lds == null || lds.length == 0) {
            throw new ChipDataException("no chip data");
        }
        if (lds.length > MAX_BYTES) {
            throw new ChipDataException("chip data larger than " + MAX_BYTES + " bytes");
        }
        Map<Integer, byte[]> files = new LinkedHashMap<>();
        int offset = 0;
        while (offset < lds.length) {
            try {
                TLVInputStream in = new TLVInputStream(new ByteArrayInputStream(lds, offset, lds.length - offset));
                int before = in.available();
                int tag = in.readTag();
                int length = in.readLength();
                int header = before - in.available();
                if (length < 0 || (long) offset + header + length > lds.length) {
                    throw new ChipDataException("a file's length runs past the end of the chip data");
                }
                if (!isLdsFile(tag)) {
                    throw new ChipDataException(String.format("tag 0x%X is no LDS elementary file", tag));
                }
                if (files.containsKey(tag)) {
                    throw new ChipDataException("file " + LDSFileUtil.lookupFileNameByTag(tag) + " appears twice");
                }
                byte[] file = new byte[header + length];
                System.arraycopy(lds, offset, file, 0, file.length);
                files.put(tag, file);
                offset += file.length;
            } catch (IOException | RuntimeException e) {
                throw new ChipDataException("the chip data is no sequence of BER-TLV files", e);
            }
        }
        return new ChipFiles(files);
    }

    /** Builds the upload from whole files (each a complete TLV), in the given order. */
    public static byte[] concatenate(byte[]... encodedFiles) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] file : encodedFiles) {
            out.writeBytes(file);
        }
        return out.toByteArray();
    }

    private static boolean isLdsFile(int tag) {
        if (tag == LDSFile.EF_COM_TAG || tag == LDSFile.EF_SOD_TAG) {
            return true;
        }
        try {
            int dg = LDSFileUtil.lookupDataGroupNumberByTag(tag);
            return dg >= 1 && dg <= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The whole encoded file with {@code tag}, if uploaded. */
    public Optional<byte[]> file(int tag) {
        return Optional.ofNullable(files.get(tag)).map(byte[]::clone);
    }

    /** Numbers of the data groups uploaded (1..16). */
    public SortedSet<Integer> dataGroups() {
        SortedSet<Integer> numbers = new TreeSet<>();
        for (int tag : files.keySet()) {
            if (tag != LDSFile.EF_COM_TAG && tag != LDSFile.EF_SOD_TAG) {
                numbers.add(LDSFileUtil.lookupDataGroupNumberByTag(tag));
            }
        }
        return numbers;
    }

    /** The encoded data group {@code number}, if uploaded. */
    public Optional<byte[]> dataGroup(int number) {
        return file(LDSFileUtil.lookupTagByDataGroupNumber(number));
    }

    /** Every uploaded file, re-concatenated in upload order (the {@code GET .../chip/data} answer). */
    public byte[] encoded() {
        return concatenate(files.values().toArray(new byte[0][]));
    }

    /** For logs: the files' names and sizes, no content. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("ChipFiles[");
        files.forEach((tag, bytes) -> out.append(LDSFileUtil.lookupFileNameByTag(tag)).append('=').append(bytes.length).append("B "));
        return out.toString().trim() + "]";
    }

    static byte[] value(byte[] tlv) throws IOException {
        TLVInputStream in = new TLVInputStream(new ByteArrayInputStream(tlv));
        in.readTag();
        in.readLength();
        return in.readValue();
    }
}
