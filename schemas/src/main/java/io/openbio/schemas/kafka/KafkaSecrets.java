package io.openbio.schemas.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The secrets of a SASL_SSL broker made without a manual step: a password file per Kafka principal
 * and a private CA with the broker's certificate. The local run and the wired tests call it on
 * every start (existing files are kept); docker-compose's {@code kafka-secrets} service and the k8s
 * instructions run its {@link #main}.
 *
 * <p>Layout under {@code dir}: {@code credentials/<principal>} (one password each, mode 600, the
 * folder 700: {@code OPENBIO_KAFKA_CREDENTIALS_DIR}), {@code tls/ca.pem} (the CA certificate, public:
 * {@code OPENBIO_KAFKA_TRUSTSTORE}), {@code tls/broker.p12} and {@code tls/broker.password} (the
 * broker's key and certificate, mode 600). The CA's private key is not kept: a new broker
 * certificate means a new CA (delete {@code tls/}), which clients pick up on their next start.
 */
public final class KafkaSecrets {
    /** The broker's certificate subject CN, which the controller listener's mutual TLS maps to its principal. */
    public static final String BROKER_PRINCIPAL = "openbio-broker";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private KafkaSecrets() {
    }

    /** The broker's TLS material. */
    public record Tls(Path caPem, Path keystore, String keystorePassword) {
        @Override
        public String toString() {
            return "Tls[ca=" + caPem + ", keystore=" + keystore + "]";
        }
    }

    /**
     * {@code java -cp <processors classpath> io.openbio.schemas.kafka.KafkaSecrets <dir> <broker host>}
     * (docker-compose's {@code kafka-secrets} service; the image's role {@code kafka-secrets}) makes,
     * where missing, under {@code <dir>}: {@code credentials/<principal>} for {@value KafkaAccess#ADMIN},
     * every stage and the gateway (what the set-up mounts), the same one per folder
     * {@code principals/<principal>/<principal>} (what each stage's or the gateway's container mounts),
     * the CA in {@code ca/ca.pem}, the broker's key and certificate (SAN: the host, localhost,
     * 127.0.0.1) in {@code tls/}, and the broker's {@code broker/server.properties} (port 9092 on the
     * host, controller on 127.0.0.1:9093, storage in /tmp), whose paths are valid where the same
     * volume is mounted at {@code <dir>}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KafkaSecrets <dir> <broker host name>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        String host = args[1];
        List<String> principals = new ArrayList<>(List.of(KafkaAccess.ADMIN));
        principals.addAll(KafkaAccess.principals());
        Path credentials = credentials(dir.resolve("credentials"), principals);
        for (String principal : principals) {
            Path own = dir.resolve("principals").resolve(principal);
            if (!Files.isDirectory(own)) {
                Files.createDirectories(own);
                Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
            }
            writeSecret(own.resolve(principal), Files.readString(credentials.resolve(principal)).trim());
        }
        Tls tls = tls(dir.resolve("tls"), List.of(host, "localhost"));
        Path ca = Files.createDirectories(dir.resolve("ca")).resolve("ca.pem");
        Files.copy(tls.caPem(), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path broker = Files.createDirectories(dir.resolve("broker"));
        Files.setPosixFilePermissions(broker, PosixFilePermissions.fromString("rwx------"));
        Path properties = broker.resolve("server.properties");
        Files.deleteIfExists(properties);
        writeSecret(properties, singleNodeProperties(Path.of("/tmp/kraft-combined-logs"), host, 9092, 9093, tls,
                Files.readString(credentials.resolve(KafkaAccess.ADMIN)).trim()));
        // the broker container's health check connects as admin
        Path adminClient = broker.resolve("admin-client.properties");
        Files.deleteIfExists(adminClient);
        writeSecret(adminClient, String.join("\n", "security.protocol=" + KafkaSecurity.SASL_SSL,
                "sasl.mechanism=" + KafkaSecurity.MECHANISM,
                "sasl.jaas.config=" + KafkaSecurity.jaas(KafkaAccess.ADMIN, Files.readString(credentials.resolve(KafkaAccess.ADMIN)).trim()),
                "ssl.truststore.type=PEM", "ssl.truststore.location=" + tls.caPem(), ""));
        System.out.println("Kafka credentials, CA and broker configuration in " + dir);
    }

    /** A new random password: 32 bytes as hex (no character that needs quoting in JAAS or the storage tool). */
    public static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Creates {@code dir} (700) and a password file (600) for each of {@code principals} that has none. */
    public static Path credentials(Path dir, Collection<String> principals) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        for (String principal : principals) {
            writeSecret(dir.resolve(principal), newPassword());
        }
        return dir;
    }

    /** Writes {@code content} to a new file of mode 600; keeps an existing file (another start made it first). */
    static void writeSecret(Path file, String content) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            // made concurrently: keep theirs
        }
    }

    /** The CA and broker certificate in {@code dir}, made on the first call (SAN: 127.0.0.1 and {@code hosts}). */
    public static Tls tls(Path dir, List<String> hosts) throws IOException, GeneralSecurityException {
        Path ca = dir.resolve("ca.pem");
        Path keystore = dir.resolve("broker.p12");
        Path passwordFile = dir.resolve("broker.password");
        if (!(Files.exists(ca) && Files.exists(keystore) && Files.exists(passwordFile))) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            Files.deleteIfExists(passwordFile);
            writeSecret(passwordFile, newPassword());
            String password = Files.readString(passwordFile).trim();
            KeyPair caKeys = keyPair();
            X509Certificate caCert = certificate(new X500Name("CN=OpenBio local Kafka CA"), caKeys, new X500Name("CN=OpenBio local Kafka CA"),
                    caKeys, true, List.of());
            KeyPair brokerKeys = keyPair();
            X509Certificate brokerCert = certificate(new X500Name("CN=" + BROKER_PRINCIPAL), brokerKeys,
                    new X500Name("CN=OpenBio local Kafka CA"), caKeys, false, hosts);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("broker", brokerKeys.getPrivate(), password.toCharArray(), new Certificate[] {brokerCert, caCert});
            Files.deleteIfExists(keystore);
            Files.createFile(keystore, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(keystore, StandardOpenOption.TRUNCATE_EXISTING)) {
                store.store(out, password.toCharArray());
            }
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(caCert);
            }
            // written last: its presence says the set is complete
            Files.writeString(ca, pem.toString(), StandardCharsets.UTF_8);
        }
        return new Tls(ca, keystore, Files.readString(passwordFile).trim());
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                               boolean ca, List<String> hosts) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            for (String host : hosts) {
                names.add(new GeneralName(GeneralName.dNSName, host));
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /**
     * The security part of a single-node KRaft broker's {@code server.properties}: clients only on a
     * SASL_SSL listener (SCRAM-SHA-512; {@value KafkaAccess#ADMIN} is also the broker's own
     * inter-broker identity), the controller listener on 127.0.0.1 with mutual TLS (only a holder of
     * a certificate from this CA, i.e. the broker, gets in), the standard authorizer with nothing
     * allowed but what an ACL grants.
     */
    public static List<String> brokerProperties(String host, int port, int controllerPort, Tls tls, String adminPassword) {
        return List.of(
                "listeners=SASL_SSL://" + host + ":" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=SASL_SSL://" + host + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=SASL_SSL",
                "listener.security.protocol.map=CONTROLLER:SSL,SASL_SSL:SASL_SSL",
                "sasl.enabled.mechanisms=" + KafkaSecurity.MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + KafkaSecurity.MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + KafkaSecurity.jaas(KafkaAccess.ADMIN, adminPassword),
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + tls.keystore().toAbsolutePath(),
                "ssl.keystore.password=" + tls.keystorePassword(),
                "ssl.key.password=" + tls.keystorePassword(),
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + tls.caPem().toAbsolutePath(),
                "listener.name.controller.ssl.client.auth=required",
                "ssl.principal.mapping.rules=RULE:^CN=([^,]+)$/$1/,DEFAULT",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + KafkaAccess.ADMIN + ";User:" + BROKER_PRINCIPAL,
                "allow.everyone.if.no.acl.found=false");
    }

    /**
     * The whole {@code server.properties} of a single-node KRaft broker (broker and controller in one
     * process) as the platform runs it: {@link #brokerProperties} for security, 12 MiB records
     * ({@link io.openbio.schemas.PayloadLimits#MAX_MESSAGE_BYTES}), every replication factor and
     * min ISR 1, no initial rebalance delay. Holds secrets: write it with mode 600.
     */
    public static String singleNodeProperties(Path logDirs, String host, int port, int controllerPort, Tls tls, String adminPassword) {
        List<String> lines = new ArrayList<>(List.of(
                "# Single-node OpenBio broker (io.openbio.schemas.kafka.KafkaSecrets); holds secrets (mode 600).",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort));
        lines.addAll(brokerProperties(host, port, controllerPort, tls, adminPassword));
        lines.addAll(List.of(
                "log.dirs=" + logDirs.toAbsolutePath(),
                "num.partitions=6",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "message.max.bytes=" + io.openbio.schemas.PayloadLimits.MAX_MESSAGE_BYTES,
                "replica.fetch.max.bytes=" + io.openbio.schemas.PayloadLimits.MAX_MESSAGE_BYTES,
                "log.retention.hours=168",
                ""));
        return String.join("\n", lines);
    }

    /** The storage tool's argument bootstrapping the {@value KafkaAccess#ADMIN} credential at format time. */
    public static String adminScramArgument(String adminPassword) {
        return KafkaSecurity.MECHANISM + "=[name=" + KafkaAccess.ADMIN + ",password=" + adminPassword + "]";
    }
}
