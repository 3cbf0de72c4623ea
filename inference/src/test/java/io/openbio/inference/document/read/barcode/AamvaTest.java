package io.openbio.inference.document.read.barcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Aamva}: the AAMVA DL/ID standard's example, versions 01 to 10, both date orders, malformed content. */
class AamvaTest {
    /**
     * The example of the AAMVA DL/ID Card Design Standard 2020 (Annex D, version 10), with its header, offsets and the
     * jurisdiction subfile ZV as published.
     */
    static final String STANDARD_2020 = "@\n\u001e\rANSI 636000100002DL00410278ZV03190008DLDAQT64235789\nDCSSAMPLE\nDDEN\n"
            + "DACMICHAEL\nDDFN\nDADJOHN\nDDGN\nDCUJR\nDCAD\nDCBK\nDCDPH\nDBD06062019\nDBB06061986\nDBA12102024\nDBC1\n"
            + "DAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\nDAK232690000  \n"
            + "DCF2424244747474786102204\nDCGUSA\nDCK123456789\nDDAF\nDDB06062018\nDDC06062020\nDDD1\r"
            + "ZVZVA01\r";

    /** An AAMVA file with the standard's header, one subfile of {@code type} and correct offsets. */
    static String file(String fileType, int version, String type, String... elements) {
        String subfile = type + String.join("\n", elements) + "\r";
        String head = "@\n\u001e\r" + fileType + "636000" + String.format("%02d", version) + (version == 1 ? "" : "00") + "01";
        int offset = head.length() + 10;
        return head + type + String.format("%04d%04d", offset, subfile.length()) + subfile;
    }

    @Test
    void theStandardsExampleIsRead() {
        Aamva a = Aamva.parse(STANDARD_2020).orElseThrow();
        assertThat(a.version()).isEqualTo(10);
        assertThat(a.issuerId()).isEqualTo("636000");
        assertThat(a.subfileType()).isEqualTo("DL");
        assertThat(a.country()).isEqualTo("USA");
        assertThat(a.surname()).isEqualTo("SAMPLE");
        assertThat(a.givenNames()).isEqualTo("MICHAEL JOHN");
        assertThat(a.dateOfBirth()).isEqualTo(LocalDate.of(1986, 6, 6));
        assertThat(a.dateOfExpiry()).isEqualTo(LocalDate.of(2024, 12, 10));
        assertThat(a.dateOfIssue()).isEqualTo(LocalDate.of(2019, 6, 6));
        assertThat(a.documentNumber()).isEqualTo("T64235789");
        assertThat(a.sex()).isEqualTo("M");
        assertThat(a.street()).isEqualTo("2300 WEST BROAD STREET");
        assertThat(a.city()).isEqualTo("RICHMOND");
        assertThat(a.jurisdiction()).isEqualTo("VA");
        assertThat(a.postalCode()).isEqualTo("232690000");
    }

    @Test
    void offsetsOffAndControlCharactersDroppedStillRead() {
        // a scanner that drops RS and CR: every offset is 2 bytes off, the subfile is found after the header
        String dropped = STANDARD_2020.replace("\u001e", "").replace("\r", "\n");
        Aamva a = Aamva.parse(dropped).orElseThrow();
        assertThat(a.surname()).isEqualTo("SAMPLE");
        assertThat(a.documentNumber()).isEqualTo("T64235789");
        assertThat(a.dateOfBirth()).isEqualTo(LocalDate.of(1986, 6, 6));
    }

    @Test
    void everyVersionsNameElementsAreRead() {
        // version 01 (2000): file type AAMVA, no jurisdiction version, DAB family name, CCYYMMDD dates
        Aamva v1 = Aamva.parse(file("AAMVA", 1, "DL", "DAQ123456789", "DABPUBLIC", "DACJOHN", "DADQUINCY", "DBB19700131",
                "DBA20300131", "DBCM", "DAJNY")).orElseThrow();
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.surname()).isEqualTo("PUBLIC");
        assertThat(v1.givenNames()).isEqualTo("JOHN QUINCY");
        assertThat(v1.dateOfBirth()).isEqualTo(LocalDate.of(1970, 1, 31));
        assertThat(v1.dateOfExpiry()).isEqualTo(LocalDate.of(2030, 1, 31));
        assertThat(v1.country()).as("from the jurisdiction code").isEqualTo("USA");
        // version 01 with only the full name DAA (family, first, middle)
        Aamva v1full = Aamva.parse(file("AAMVA", 1, "DL", "DAAPUBLIC,JANE,Q", "DAQ99")).orElseThrow();
        assertThat(v1full.surname()).isEqualTo("PUBLIC");
        assertThat(v1full.givenNames()).isEqualTo("JANE Q");
        // version 03 (2005): DCT given names (comma separated), MMDDCCYY for the USA
        Aamva v3 = Aamva.parse(file("ANSI ", 3, "DL", "DCSDOE", "DCTJANE,ANN", "DAQD1234567", "DBB07041976", "DBA07042029",
                "DBC2", "DCGUSA", "DAJTX")).orElseThrow();
        assertThat(v3.surname()).isEqualTo("DOE");
        assertThat(v3.givenNames()).isEqualTo("JANE ANN");
        assertThat(v3.dateOfBirth()).isEqualTo(LocalDate.of(1976, 7, 4));
        assertThat(v3.sex()).isEqualTo("F");
        // version 08 (2013), an identification card (ID subfile), middle name NONE (no value)
        Aamva v8 = Aamva.parse(file("ANSI ", 8, "ID", "DAQ0001", "DCSROE", "DACRICHARD", "DADNONE", "DBB11301999",
                "DCGUSA")).orElseThrow();
        assertThat(v8.subfileType()).isEqualTo("ID");
        assertThat(v8.givenNames()).isEqualTo("RICHARD");
        assertThat(v8.dateOfBirth()).isEqualTo(LocalDate.of(1999, 11, 30));
        assertThat(v8.dateOfExpiry()).as("not in the content").isNull();
        assertThat(v8.sex()).isNull();
    }

    @Test
    void canadianDatesAreYearFirst() {
        Aamva on = Aamva.parse(file("ANSI ", 9, "DL", "DAQT1234-56789-01234", "DCSTREMBLAY", "DACMARIE", "DBB19850312",
                "DBA20280312", "DBD20230312", "DBC2", "DAJON", "DCGCAN")).orElseThrow();
        assertThat(on.country()).isEqualTo("CAN");
        assertThat(on.dateOfBirth()).isEqualTo(LocalDate.of(1985, 3, 12));
        assertThat(on.dateOfExpiry()).isEqualTo(LocalDate.of(2028, 3, 12));
        assertThat(on.dateOfIssue()).isEqualTo(LocalDate.of(2023, 3, 12));
        // no DCG: the country from the province code, year-first dates
        Aamva qc = Aamva.parse(file("ANSI ", 2, "DL", "DAQX1", "DCSGAGNON", "DCTLUC", "DBB19600102", "DAJQC")).orElseThrow();
        assertThat(qc.country()).isEqualTo("CAN");
        assertThat(qc.dateOfBirth()).isEqualTo(LocalDate.of(1960, 1, 2));
        // 0102 1960 as year-first is no date; 1960-01-02 as month-first neither: orders never collide
        assertThat(Aamva.date("01021960", true)).isEqualTo(LocalDate.of(1960, 1, 2));
        assertThat(Aamva.date("19600102", false)).isEqualTo(LocalDate.of(1960, 1, 2));
        assertThat(Aamva.date("13131960", false)).isNull();
        assertThat(Aamva.date("1960-1-2", false)).isNull();
    }

    @Test
    void unreadableValuesAreLeftOut() {
        Aamva a = Aamva.parse(file("ANSI ", 10, "DL", "DAQ42", "DCS", "DACunavl", "DBB99999999", "DBCZ")).orElseThrow();
        assertThat(a.documentNumber()).isEqualTo("42");
        assertThat(a.surname()).isNull();
        assertThat(a.givenNames()).isNull();
        assertThat(a.dateOfBirth()).isNull();
        assertThat(a.sex()).isNull();
        assertThat(a.country()).isNull();
    }

    @Test
    void malformedContentGivesNothingAndNeverThrows() {
        List<String> bad = new ArrayList<>(List.of("", "hello", "@", "@\n", "@\n\u001e\rANSI ", "@\n\u001e\rANSI 63600",
                "@\n\u001e\rANSI 636000100001", "@\n\u001e\rANSI 636000100001DL9999",
                "@\n\u001e\rANSI 636000100001DL99999999", "@\n\u001e\rANSI 636000100001ZV00310010ZVZVA01\r",
                "P<UTODVORAK<<PETR<<<<<<<<<<<<<<<<<<<<<<<<<<<\nXK38572648UTO6201059M2904205<<<<<<<<<<<<<<06",
                "https://example.org/doc?id=123456789", "@\n\u001e\rANSI 636000100001DL00310005DL\r",
                "x".repeat(10_000) + STANDARD_2020));
        bad.add(null);
        // every prefix of the standard's example that holds no element yet, and random cuts and bytes
        for (int n = 0; n <= 44; n++) {
            bad.add(STANDARD_2020.substring(0, n));
        }
        for (String b : bad) {
            assertThat(Aamva.parse(b)).as(String.valueOf(b)).isEmpty();
        }
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            char[] c = STANDARD_2020.toCharArray();
            for (int k = 0; k < 1 + random.nextInt(8); k++) {
                c[random.nextInt(c.length)] = (char) random.nextInt(128);
            }
            String s = new String(c, 0, random.nextInt(c.length + 1));
            Aamva.parse(s); // anything or nothing, never an exception
        }
    }
}
