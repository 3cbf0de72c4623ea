package io.openbio.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import net.sf.scuba.data.Gender;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jmrtd.lds.SODFile;
import org.jmrtd.lds.icao.COMFile;
import org.jmrtd.lds.icao.DG1File;
import org.jmrtd.lds.icao.DG2File;
import org.jmrtd.lds.icao.MRZInfo;
import org.jmrtd.lds.iso19794.FaceImageInfo;
import org.jmrtd.lds.iso19794.FaceInfo;

/**
 * Chip data the tests build and sign themselves: a test country signing CA (self-signed, RSA 2048), a document
 * signer it issued, DG1 (a TD3 passport MRZ), DG2 (a JPEG portrait from a test photo), EF.COM and an EF.SOD over
 * DG1 and DG2 (SHA-256, SHA256withRSA), all encoded by JMRTD as a chip holds them.
 */
public final class TestChips {
    public final KeyPair cscaKeys;
    public final X509Certificate csca;
    public final KeyPair signerKeys;
    public final X509Certificate signer;

    public TestChips(String country) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        cscaKeys = rsa.generateKeyPair();
        X500Name cscaName = new X500Name("C=" + country + ",O=OpenBio test,CN=Test CSCA " + country);
        csca = certificate(cscaName, cscaName, cscaKeys.getPublic(), cscaKeys.getPrivate(), true, 1);
        signerKeys = rsa.generateKeyPair();
        signer = certificate(cscaName, new X500Name("C=" + country + ",O=OpenBio test,CN=Test document signer"), signerKeys.getPublic(),
                cscaKeys.getPrivate(), false, 2);
    }

    private static X509Certificate certificate(X500Name issuer, X500Name subject, java.security.PublicKey key, PrivateKey issuerKey,
                                               boolean ca, long serial) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)), subject, key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    public static MRZInfo passportMrz() {
        return new MRZInfo("P<", "UTO", "ERIKSSON", "ANNA<MARIA", "L898902C3", "UTO", "740812", Gender.FEMALE, "340415", "ZE184226B<<<<<");
    }

    public static byte[] dg1(MRZInfo mrz) {
        return new DG1File(mrz).getEncoded();
    }

    public static byte[] portraitJpeg() throws Exception {
        var photo = ImageIO.read(new ByteArrayInputStream(Photos.bytes(Photos.MAN_A)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(photo, "jpg", out);
        return out.toByteArray();
    }

    public static byte[] dg2(byte[] jpeg) throws Exception {
        var image = ImageIO.read(new ByteArrayInputStream(jpeg));
        FaceImageInfo face = new FaceImageInfo(Gender.MALE, FaceImageInfo.EyeColor.UNSPECIFIED, 0, FaceImageInfo.HAIR_COLOR_UNSPECIFIED, 0,
                new int[3], new int[3], FaceImageInfo.FACE_IMAGE_TYPE_FULL_FRONTAL, FaceImageInfo.IMAGE_COLOR_SPACE_RGB24,
                FaceImageInfo.SOURCE_TYPE_STATIC_PHOTO_DIGITAL_CAM, 0, 0, new FaceImageInfo.FeaturePoint[0], image.getWidth(),
                image.getHeight(), new ByteArrayInputStream(jpeg), jpeg.length, FaceImageInfo.IMAGE_DATA_TYPE_JPEG);
        return new DG2File(List.of(new FaceInfo(List.of(face)))).getEncoded();
    }

    public static byte[] com() {
        return new COMFile("1.7", "4.0.0", new int[] {0x61, 0x75}).getEncoded();
    }

    /** An EF.SOD over {@code groups} (number -> encoded file), signed by {@code key} with {@code certificate} inside. */
    public static byte[] sod(Map<Integer, byte[]> groups, PrivateKey key, X509Certificate certificate) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        Map<Integer, byte[]> hashes = new TreeMap<>();
        groups.forEach((number, file) -> hashes.put(number, sha256.digest(file)));
        return new SODFile("SHA-256", "SHA256withRSA", hashes, key, certificate).getEncoded();
    }

    /** The test CSCA as PEM. */
    public String cscaPem() throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(csca.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    /** A genuine upload: COM, DG1, DG2, SOD. */
    public byte[] genuine() throws Exception {
        byte[] dg1 = dg1(passportMrz());
        byte[] dg2 = dg2(portraitJpeg());
        return concatenate(com(), dg1, dg2, sod(Map.of(1, dg1, 2, dg2), signerKeys.getPrivate(), signer));
    }

    /** A chip upload from whole encoded files (each a complete TLV), in the given order: the files one after another. */
    public static byte[] concatenate(byte[]... encodedFiles) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] file : encodedFiles) {
            out.writeBytes(file);
        }
        return out.toByteArray();
    }
}
