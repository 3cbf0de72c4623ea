package io.openbio.inference.document.chip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.jmrtd.lds.LDSFile;
import org.jmrtd.lds.SODFile;

/**
 * Passive authentication of chip data (ICAO 9303 part 11, 5.1): the document security object (EF.SOD, a CMS
 * SignedData) lists a hash of every data group; its signature is checked with the document signer certificate
 * it carries (Bouncy Castle's CMS verifier: signed attributes, message digest of the encapsulated content,
 * signature), that certificate must chain to one of the configured country signing CA certificates (JCA PKIX,
 * revocation not checked: no CRLs are reachable offline; say so where it matters), and every uploaded data
 * group must hash to the SOD's value. Statuses are DIS 1.57's {@code chipInspection.dataAuthentication} values
 * (1.52 has the field as a free string).
 *
 * <p>Order: a file that does not decode ({@code INVALID_SOD_FILE}, {@code INVALID_COM_FILE}) before integrity;
 * altered data or a bad signature is {@code DENIED} whether or not CSCAs are configured; intact data without any
 * configured CSCA is {@code AUTHORITY_CERTIFICATES_NOT_PROVIDED}; a chain to none of them is {@code DENIED}.
 */
public final class PassiveAuthentication {
    /** The outcome. */
    public enum Status { AUTHENTICATED, DENIED, INVALID_SOD_FILE, INVALID_COM_FILE, AUTHORITY_CERTIFICATES_NOT_PROVIDED }

    /**
     * @param status           the outcome
     * @param signatureValid   the SOD's CMS signature verifies with its document signer certificate
     * @param hashesValid      every uploaded data group matches its SOD hash, and the SOD lists each one
     * @param mismatchedGroups data groups whose hash differs from the SOD's (or that the SOD does not list)
     * @param chainValid       the document signer chains to a configured CSCA (false when none is configured)
     * @param reason           why, for logs and the disclose answer (no personal data)
     */
    public record Result(Status status, boolean signatureValid, boolean hashesValid, List<Integer> mismatchedGroups,
                         boolean chainValid, String reason) {
    }

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final List<X509Certificate> cscas;

    /** @param cscas the trusted country signing CA certificates (may be empty: nothing can then be AUTHENTICATED) */
    public PassiveAuthentication(Collection<X509Certificate> cscas) {
        this.cscas = List.copyOf(cscas);
    }

    /** Loads CSCA certificates (PEM or DER, one or many per file) from a file or every file of a directory. */
    public static List<X509Certificate> loadCertificates(java.nio.file.Path path) throws IOException, GeneralSecurityException {
        List<java.nio.file.Path> files = new ArrayList<>();
        if (java.nio.file.Files.isDirectory(path)) {
            try (var stream = java.nio.file.Files.list(path)) {
                stream.filter(java.nio.file.Files::isRegularFile).sorted().forEach(files::add);
            }
        } else {
            files.add(path);
        }
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (java.nio.file.Path file : files) {
            try (var in = java.nio.file.Files.newInputStream(file)) {
                for (var certificate : factory.generateCertificates(in)) {
                    certificates.add((X509Certificate) certificate);
                }
            }
        }
        return certificates;
    }

    public Result verify(ChipFiles files) {
        Optional<byte[]> sodBytes = files.file(LDSFile.EF_SOD_TAG);
        if (sodBytes.isEmpty()) {
            return new Result(Status.INVALID_SOD_FILE, false, false, List.of(), false, "no EF.SOD in the chip data");
        }
        SODFile sod;
        CMSSignedData signed;
        try {
            sod = new SODFile(new ByteArrayInputStream(sodBytes.get()));
            signed = new CMSSignedData(ChipFiles.value(sodBytes.get()));
        } catch (IOException | CMSException | RuntimeException e) {
            return new Result(Status.INVALID_SOD_FILE, false, false, List.of(), false, "EF.SOD does not decode");
        }
        Optional<byte[]> com = files.file(LDSFile.EF_COM_TAG);
        if (com.isPresent()) {
            try {
                new org.jmrtd.lds.icao.COMFile(new ByteArrayInputStream(com.get()));
            } catch (IOException | RuntimeException e) {
                return new Result(Status.INVALID_COM_FILE, false, false, List.of(), false, "EF.COM does not decode");
            }
        }
        List<Integer> mismatched = mismatchedGroups(files, sod);
        boolean hashes = mismatched.isEmpty();
        X509Certificate signer = sod.getDocSigningCertificate();
        boolean signature = signer != null && signatureVerifies(signed, signer);
        if (!hashes || !signature) {
            String reason = !signature ? "the EF.SOD signature does not verify with its document signer certificate"
                    : "data groups " + mismatched + " do not match their EF.SOD hashes";
            return new Result(Status.DENIED, signature, hashes, mismatched, false, reason);
        }
        if (cscas.isEmpty()) {
            return new Result(Status.AUTHORITY_CERTIFICATES_NOT_PROVIDED, true, true, List.of(), false,
                    "intact and signed, but no country signing CA certificate is configured");
        }
        boolean chain = chains(signer);
        return chain
                ? new Result(Status.AUTHENTICATED, true, true, List.of(), true, "signed by a document signer of a configured CSCA")
                : new Result(Status.DENIED, true, true, List.of(), false, "the document signer chains to no configured CSCA");
    }

    private static List<Integer> mismatchedGroups(ChipFiles files, SODFile sod) {
        Map<Integer, byte[]> expected = sod.getDataGroupHashes();
        List<Integer> mismatched = new ArrayList<>();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(sod.getDigestAlgorithm(), BC);
        } catch (GeneralSecurityException | RuntimeException e) {
            return new ArrayList<>(files.dataGroups());
        }
        for (int group : files.dataGroups()) {
            byte[] want = expected.get(group);
            byte[] have = digest.digest(files.dataGroup(group).orElseThrow());
            if (want == null || !MessageDigest.isEqual(want, have)) {
                mismatched.add(group);
            }
        }
        return mismatched;
    }

    private static boolean signatureVerifies(CMSSignedData signed, X509Certificate signer) {
        try {
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return false;
            }
            return signers.iterator().next().verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(signer));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            return false;
        }
    }

    private boolean chains(X509Certificate signer) {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate csca : cscas) {
                anchors.add(new TrustAnchor(csca, null));
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(new Date());
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(Arrays.asList(signer)), parameters);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
