package io.openbio.inference.document.chip;

import org.jmrtd.lds.icao.MRZInfo;

/**
 * DG1's machine-readable zone as fields (the DIS customer's {@code chip} values). Names are as the MRZ has them
 * ({@code <} fillers turned into spaces, trimmed); dates as the MRZ's {@code YYMMDD}.
 *
 * @param documentCode  e.g. {@code P}, {@code I}, {@code ID}
 * @param format        TD1, TD2 or TD3
 */
public record ChipMrz(String documentCode, String format, String issuingState, String surname, String givenNames,
                      String documentNumber, String nationality, String dateOfBirth, String gender, String dateOfExpiry,
                      String optionalData, String mrz) {
    static ChipMrz of(MRZInfo info) {
        String format = switch (info.getDocumentType()) {
            case MRZInfo.DOC_TYPE_ID1 -> "TD1";
            case MRZInfo.DOC_TYPE_ID2 -> "TD2";
            default -> "TD3";
        };
        String gender = switch (String.valueOf(info.getGender())) {
            case "MALE" -> "M";
            case "FEMALE" -> "F";
            default -> "";
        };
        String optional = info.getDocumentType() == MRZInfo.DOC_TYPE_ID1 ? info.getOptionalData1() : info.getPersonalNumber();
        return new ChipMrz(info.getDocumentCode(), format, info.getIssuingState(), names(info.getPrimaryIdentifier()),
                names(String.join(" ", info.getSecondaryIdentifierComponents())), info.getDocumentNumber(), info.getNationality(),
                info.getDateOfBirth(), gender, info.getDateOfExpiry(), optional == null ? "" : names(optional), info.toString().trim());
    }

    private static String names(String mrzText) {
        return mrzText == null ? "" : mrzText.replace('<', ' ').trim().replaceAll(" +", " ");
    }

    /** For logs: the format only, never personal data. */
    @Override
    public String toString() {
        return "ChipMrz[" + format + "]";
    }
}
