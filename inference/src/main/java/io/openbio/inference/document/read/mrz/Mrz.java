package io.openbio.inference.document.read.mrz;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed machine readable zone with the fields of the DIS reference's {@code Td1Mrz} /
 * {@code Td2Mrz} / {@code Td3Mrz} schemas (names as the reference spells them). Dates are the MRZ's
 * {@code YYMMDD}; {@code gender} is {@code M}, {@code F} or "" (unspecified, {@code <} or {@code X});
 * {@code issuingAuthority} and {@code nationality} are the ICAO codes without fillers ({@code D} for
 * Germany). Fields a format does not have are null: {@code optionalDataFirstLine} (TD1 only),
 * {@code optionalDataSecondLine} (TD1 and TD2), {@code personalNumberOrOptionalDataSecondLine} (TD3 only).
 *
 * @param lines the zone's lines as parsed (upper case, exact length)
 */
public record Mrz(MrzFormat format, List<String> lines, String documentCode, String issuingAuthority, String surname,
                  String givenNames, String documentNumber, String nationality, String dateOfBirth, String gender,
                  String dateOfExpiry, String optionalDataFirstLine, String optionalDataSecondLine,
                  String personalNumberOrOptionalDataSecondLine, CheckDigitsValidity checkDigitsValidity) {

    public Mrz {
        lines = List.copyOf(lines);
    }

    /**
     * The reference's {@code Td*MrzCheckDigitsValidity}. {@code personalNumberCheckDigitValid} is null
     * except for TD3 (the only format with that digit).
     */
    public record CheckDigitsValidity(boolean documentNumberCheckDigitValid, boolean dateOfBirthCheckDigitValid,
                                      boolean dateOfExpiryCheckDigitValid, Boolean personalNumberCheckDigitValid,
                                      boolean compositeCheckDigitValid) {
        /** Every check digit of the zone is valid (the reference's {@code mrzInspection.valid} needs this). */
        public boolean allValid() {
            return documentNumberCheckDigitValid && dateOfBirthCheckDigitValid && dateOfExpiryCheckDigitValid
                    && (personalNumberCheckDigitValid == null || personalNumberCheckDigitValid)
                    && compositeCheckDigitValid;
        }

        Map<String, Object> toReference() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("documentNumberCheckDigitValid", documentNumberCheckDigitValid);
            m.put("dateOfBirthCheckDigitValid", dateOfBirthCheckDigitValid);
            m.put("dateOfExpiryCheckDigitValid", dateOfExpiryCheckDigitValid);
            if (personalNumberCheckDigitValid != null) {
                m.put("personalNumberCheckDigitValid", personalNumberCheckDigitValid);
            }
            m.put("compositeCheckDigitValid", compositeCheckDigitValid);
            return m;
        }
    }

    /** True when every check digit is valid. */
    public boolean valid() {
        return checkDigitsValidity.allValid();
    }

    /** The property of the reference's {@code Mrz} object that holds this zone: "td1", "td2" or "td3". */
    public String referenceKey() {
        return format.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * This zone as the reference's {@code Td1Mrz} / {@code Td2Mrz} / {@code Td3Mrz} JSON object (only
     * the properties of that schema; insertion-ordered), for the gateway to serialise.
     */
    public Map<String, Object> toReference() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("documentCode", documentCode);
        m.put("issuingAuthority", issuingAuthority);
        m.put("surname", surname);
        m.put("givenNames", givenNames);
        m.put("documentNumber", documentNumber);
        m.put("nationality", nationality);
        m.put("dateOfBirth", dateOfBirth);
        m.put("gender", gender);
        m.put("dateOfExpiry", dateOfExpiry);
        switch (format) {
            case TD1 -> {
                m.put("optionalDataFirstLine", optionalDataFirstLine);
                m.put("optionalDataSecondLine", optionalDataSecondLine);
            }
            case TD2 -> m.put("optionalDataSecondLine", optionalDataSecondLine);
            case TD3 -> m.put("personalNumberOrOptionalDataSecondLine", personalNumberOrOptionalDataSecondLine);
        }
        m.put("checkDigitsValidity", checkDigitsValidity.toReference());
        return m;
    }
}
