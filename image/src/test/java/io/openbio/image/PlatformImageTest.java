package io.openbio.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens the image tarball Jib wrote in 'package' (docker-archive: manifest.json, the config JSON, one
 * gzipped tar per layer) WITHOUT a container runtime, and checks what a user of docker-compose or k8s
 * relies on: the entrypoint and each role's main class and jars, a non-root user with its writable
 * folders, the exposed ports, the labels, the models (SHA-256 of inference/models.tsv), the base image's
 * layers (by digest), reproducibility (fixed times) and the size bound.
 */
class PlatformImageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENTRYPOINT = "/app/bin/entrypoint.sh";
    private static final Pattern ROLE = Pattern.compile("^\\s*([a-z][a-z-]*)\\)\\s*(.*)$");
    private static final Pattern MAIN_CLASS = Pattern.compile("\\bio\\.openbio\\.[A-Za-z0-9_.]+");
    private static final Instant JIB_FILE_TIME = Instant.parse("1970-01-01T00:00:01Z");

    private static Path tar;
    private static JsonNode manifest;
    private static JsonNode config;
    /** the image's file system, layers applied in order (whiteouts honoured): path without leading '/' -> entry */
    private static final Map<String, FileInfo> files = new TreeMap<>();
    /** files written by this build's layers (not the base image's) */
    private static final Set<String> ownFiles = new TreeSet<>();
    private static final Map<String, String> sha256 = new HashMap<>();
    private static final Map<String, byte[]> small = new HashMap<>();
    private static Manifest gatewayJarManifest;
    private static final Set<String> gatewayJarEntries = new TreeSet<>();
    /** class name -> the image paths of the processors jars holding it (openbio jars only) */
    private static final Map<String, List<String>> classesInProcessorJars = new HashMap<>();
    private static long unpackedBytes;
    private static int baseLayerCount;

    record FileInfo(long size, int mode, long uid, long gid, boolean directory, boolean symlink, Instant modified) {}

    @BeforeAll
    static void openTheImage() throws IOException {
        tar = Path.of(System.getProperty("openbio.image.tar"));
        assertThat(tar).as("the image tarball of jib:buildTar").isRegularFile();
        Map<String, byte[]> json = new HashMap<>();
        // pass 1: manifest and config (small); layer names in order
        try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e; (e = outer.getNextEntry()) != null;) {
                if (e.getName().endsWith(".json")) {
                    json.put(e.getName(), outer.readAllBytes());
                }
            }
        }
        manifest = JSON.readTree(json.get("manifest.json"));
        assertThat(manifest.size()).as("one image in the tarball").isEqualTo(1);
        config = JSON.readTree(json.get(manifest.get(0).get("Config").asText()));
        List<String> layers = new ArrayList<>();
        manifest.get(0).get("Layers").forEach(l -> layers.add(l.asText()));
        baseLayerCount = baseDiffIds().size();

        // pass 2: the layers; the outer tar may hold them in any order, so each is read in a pass of its own
        for (int i = 0; i < layers.size(); i++) {
            boolean own = i >= baseLayerCount;
            try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(tar))) {
                for (TarArchiveEntry e; (e = outer.getNextEntry()) != null;) {
                    if (e.getName().equals(layers.get(i))) {
                        readLayer(new TarArchiveInputStream(new GZIPInputStream(shield(outer), 1 << 16)), own);
                        break;
                    }
                }
            }
        }
    }

    private static void readLayer(TarArchiveInputStream layer, boolean own) throws IOException {
        for (TarArchiveEntry e; (e = layer.getNextEntry()) != null;) {
            String path = normal(e.getName());
            String base = path.substring(path.lastIndexOf('/') + 1);
            if (base.startsWith(".wh.")) {
                String dir = path.substring(0, path.length() - base.length());
                if (base.equals(".wh..wh..opq")) {
                    files.keySet().removeIf(p -> p.startsWith(dir) && !p.equals(dir));
                } else {
                    String gone = dir + base.substring(4);
                    files.keySet().removeIf(p -> p.equals(gone) || p.startsWith(gone + "/"));
                }
                continue;
            }
            files.put(path, new FileInfo(e.getSize(), e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(),
                    e.isDirectory(), e.isSymbolicLink(), e.getLastModifiedTime().toInstant()));
            unpackedBytes += e.isFile() ? e.getSize() : 0;
            if (own) {
                ownFiles.add(path);
            }
            if (!e.isFile()) {
                continue;
            }
            if (path.equals("etc/passwd") || path.equals("etc/group") || path.equals(ENTRYPOINT.substring(1))) {
                small.put(path, layer.readAllBytes());
            } else if (path.startsWith("app/models/")) {
                sha256.put(path, sha256(layer));
            } else if (path.equals("app/gateway/gateway.jar")) {
                JarInputStream jar = new JarInputStream(shield(layer));
                gatewayJarManifest = jar.getManifest();
                for (JarEntry j; (j = jar.getNextJarEntry()) != null;) {
                    gatewayJarEntries.add(j.getName());
                }
            } else if (path.equals("app/processors/processors.jar")
                    || path.matches("app/processors/lib/(schemas|bundle|inference)-[^/]*\\.jar")) {
                JarInputStream jar = new JarInputStream(shield(layer));
                for (JarEntry j; (j = jar.getNextJarEntry()) != null;) {
                    if (j.getName().endsWith(".class")) {
                        String cls = j.getName().substring(0, j.getName().length() - 6).replace('/', '.');
                        classesInProcessorJars.computeIfAbsent(cls, k -> new ArrayList<>()).add("/" + path);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ config

    @Test
    void theTarballIsTaggedAsTheDeploymentFilesExpect() {
        List<String> tags = new ArrayList<>();
        manifest.get(0).get("RepoTags").forEach(t -> tags.add(t.asText()));
        // docker-compose.yml and k8s/ run openbio/platform:dev (DeploymentManifestsTest)
        assertThat(tags).contains(System.getProperty("openbio.image.ref"),
                "openbio/platform:" + System.getProperty("openbio.image.version"));
    }

    @Test
    void entrypointUserPortsAndEnvironment() {
        JsonNode c = config.get("config");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(texts(c.get("Entrypoint"))).containsExactly(ENTRYPOINT);
        // no default command: the role is the first argument (compose "command", k8s "args")
        assertThat(c.get("Cmd") == null || c.get("Cmd").isNull() || c.get("Cmd").isEmpty()).as("no Cmd").isTrue();
        String user = c.get("User").asText();
        assertThat(user).isEqualTo("10001:10001");
        assertThat(user.split(":")[0]).isNotIn("0", "root", "");
        assertThat(c.get("WorkingDir").asText()).isEqualTo("/app");
        List<String> ports = new ArrayList<>();
        c.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder("8080/tcp", "8090/tcp");
        assertThat(texts(c.get("Env"))).contains("OPENBIO_MODELS_DIR=/app/models",
                "OPENBIO_BUNDLE_KEYSTORE=/app/keys/bundle-keys.p12",
                "OPENBIO_PAYLOAD_KEYSTORE=/app/payload-keys/payload-keys.p12",
                "OPENBIO_BIOSERVER_SIGNING_KEYSTORE=/app/bioserver-signing/bioserver-signing.p12")
                .anyMatch(e -> e.startsWith("PATH=") && e.contains("/usr/bin"));
    }

    @Test
    void labelsNameVersionSourceAndLicence() throws IOException {
        JsonNode labels = config.get("config").get("Labels");
        assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo(System.getProperty("openbio.image.version"));
        assertThat(labels.get("org.opencontainers.image.source").asText()).isEqualTo(System.getProperty("openbio.image.source"));
        assertThat(labels.get("org.opencontainers.image.licenses").asText()).isEqualTo(System.getProperty("openbio.image.licenses"));
        assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo("openbio/platform");
        assertThat(labels.get("org.opencontainers.image.revision").asText()).isNotBlank();
        assertThat(labels.get("io.openbio.roles").asText().split(" ")).containsExactlyInAnyOrderElementsOf(roles().keySet());
    }

    @Test
    void reproducibleTimes() {
        assertThat(config.get("created").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(ownFiles).isNotEmpty();
        List<String> notFixed = ownFiles.stream().filter(p -> !files.get(p).modified().equals(JIB_FILE_TIME)).toList();
        assertThat(notFixed).as("files of this build's layers with another time than Jib's fixed one").isEmpty();
    }

    @Test
    void theBaseImageLayersComeFirstByDigest() throws IOException {
        List<String> base = baseDiffIds();
        List<String> image = texts(config.get("rootfs").get("diff_ids"));
        assertThat(image.size()).isGreaterThan(base.size());
        assertThat(image.subList(0, base.size())).as("the base image's layers, by digest").isEqualTo(base);
        assertThat(image.size()).as("one history entry per layer").isLessThanOrEqualTo(config.get("history").size());
    }

    // ------------------------------------------------------------------ file system

    @Test
    void nonRootUserOwnsOnlyItsWritableFolders() {
        String passwd = new String(small.get("etc/passwd"), StandardCharsets.UTF_8);
        assertThat(passwd.lines()).anyMatch(l -> l.startsWith("openbio:x:10001:10001:"));
        for (String dir : List.of("app/keys", "app/payload-keys", "app/bioserver-signing", "kafka-secrets")) {
            FileInfo f = files.get(dir + "/");
            assertThat(f).as(dir).isNotNull();
            assertThat(f.directory()).as(dir).isTrue();
            assertThat(f.uid()).as("%s owner", dir).isEqualTo(10001);
            assertThat(f.mode()).as("%s mode", dir).isEqualTo(0700);
        }
        // everything this build adds is root-owned and not writable by the user (read-only application)
        assertThat(ownFiles.stream().filter(p -> files.get(p).uid() != 0 || (files.get(p).mode() & 0022) != 0).toList())
                .as("application files owned by another user or writable by group/others").isEmpty();
    }

    @Test
    void aJavaRuntimeAndTheShellTheEntrypointNeeds() {
        assertThat(isExecutable("usr/lib/jvm/java-17-openjdk-amd64/bin/java")).isTrue();
        assertThat(files).containsKey("usr/bin/java"); // the alternatives link on PATH
        assertThat(isExecutable("usr/bin/env")).isTrue();
        assertThat(isExecutable("usr/bin/bash") || isExecutable("bin/bash")).as("bash").isTrue();
        assertThat(isExecutable("usr/bin/curl")).as("curl for the compose health checks").isTrue();
    }

    @Test
    void theEntrypointIsTheRepositorysScript() throws IOException {
        byte[] inImage = small.get(ENTRYPOINT.substring(1));
        assertThat(inImage).isEqualTo(Files.readAllBytes(root().resolve("docker/entrypoint.sh")));
        assertThat(files.get(ENTRYPOINT.substring(1)).mode()).isEqualTo(0755);
    }

    @Test
    void eachRoleFindsItsMainClassAndJars() throws IOException {
        Map<String, String> roles = roles();
        assertThat(roles).containsKeys("gateway", "processor", "setup", "kafka-secrets");

        // gateway: java -jar /app/gateway/gateway.jar, the Spring Boot executable jar
        assertThat(roles.get("gateway")).contains("-jar \"$APP/gateway/gateway.jar\"");
        assertThat(gatewayJarManifest).as("gateway.jar's manifest").isNotNull();
        String start = gatewayJarManifest.getMainAttributes().getValue("Start-Class");
        assertThat(start).isEqualTo("io.openbio.gateway.GatewayApplication");
        assertThat(gatewayJarManifest.getMainAttributes().getValue("Main-Class")).startsWith("org.springframework.boot.loader");
        assertThat(gatewayJarEntries).contains("BOOT-INF/classes/" + start.replace('.', '/') + ".class");
        assertThat(gatewayJarEntries).anyMatch(n -> n.matches("BOOT-INF/lib/schemas-.*\\.jar"));

        // the other roles: java -cp "/app/processors/processors.jar:/app/processors/lib/*" MAIN
        assertThat(Files.readString(root().resolve("docker/entrypoint.sh")))
                .contains("PROCESSORS_CP=\"$APP/processors/processors.jar:$APP/processors/lib/*\"");
        for (String role : List.of("processor", "setup", "kafka-secrets")) {
            Matcher m = MAIN_CLASS.matcher(roles.get(role));
            assertThat(m.find()).as("%s names its main class", role).isTrue();
            assertThat(roles.get(role)).contains("\"$PROCESSORS_CP\"");
            assertThat(classesInProcessorJars).as("%s's main class %s on the processors class path", role, m.group())
                    .containsKey(m.group());
        }
        assertThat(classesInProcessorJars.get("io.openbio.processors.ProcessorMain")).contains("/app/processors/processors.jar");

        // every jar of the processors' runtime class path, with its size
        Path lib = Path.of(System.getProperty("openbio.processors.lib"));
        Map<String, Long> built;
        try (Stream<Path> jars = Files.list(lib)) {
            built = jars.collect(Collectors.toMap(p -> p.getFileName().toString(), p -> p.toFile().length()));
        }
        Map<String, Long> inImage = files.entrySet().stream()
                .filter(e -> e.getKey().matches("app/processors/lib/[^/]+\\.jar"))
                .collect(Collectors.toMap(e -> e.getKey().substring("app/processors/lib/".length()), e -> e.getValue().size()));
        assertThat(inImage).as("/app/processors/lib").isEqualTo(built);
    }

    @Test
    void theModelsOfModelsTsvWithTheirChecksums() throws IOException {
        List<String> lines = Files.readAllLines(root().resolve("inference/models.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        int file = header.indexOf("file"), hash = header.indexOf("sha256");
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t");
                expected.put("app/models/" + f[file], f[hash]);
            }
        }
        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(sha256).as("every model file of inference/models.tsv, by SHA-256").containsAllEntriesOf(expected);
    }

    @Test
    void sizeStaysUnderTheBound() throws IOException {
        long tarBytes = Files.size(tar);
        long maxTar = Long.getLong("openbio.image.max-tar-mb") << 20, maxUnpacked = Long.getLong("openbio.image.max-unpacked-mb") << 20;
        System.out.printf("image %s: tarball %.1f MiB (gzipped layers), file system %.1f MiB in %d files, %d layers (%d of the base)%n",
                System.getProperty("openbio.image.ref"), tarBytes / 1048576.0, unpackedBytes / 1048576.0, files.size(),
                config.get("rootfs").get("diff_ids").size(), baseLayerCount);
        assertThat(tarBytes).as("tarball bytes").isLessThanOrEqualTo(maxTar);
        assertThat(unpackedBytes).as("unpacked bytes").isLessThanOrEqualTo(maxUnpacked);
    }

    // ------------------------------------------------------------------ SBOM and licences

    @Test
    void theImageSbomAddsTheBasePackagesAndTheModels() throws Exception {
        Path bom = Path.of(System.getProperty("openbio.image.image-sbom"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(bom),
                "no image SBOM: the build ran offline (cyclonedx-maven-plugin's makeBom needs Maven's online mode)");
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.NodeList nodes = factory.newDocumentBuilder().parse(bom.toFile()).getElementsByTagNameNS("*", "component");
        Map<String, org.w3c.dom.Element> byTypeAndName = new HashMap<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            org.w3c.dom.Element c = (org.w3c.dom.Element) nodes.item(i);
            String name = c.getElementsByTagNameNS("*", "name").item(0).getTextContent();
            byTypeAndName.put(c.getAttribute("type") + " " + name, c);
        }
        // every Debian package of the base image, with its purl
        Path packages = Path.of(System.getProperty("openbio.image.base.packages"));
        int debs = 0;
        for (String line : Files.readAllLines(packages)) {
            if (line.isBlank()) {
                continue;
            }
            String name = line.split("\t")[0];
            org.w3c.dom.Element c = byTypeAndName.get("library " + name);
            assertThat(c).as("Debian package %s in the image SBOM", name).isNotNull();
            assertThat(c.getElementsByTagNameNS("*", "purl").item(0).getTextContent()).startsWith("pkg:deb/debian/" + name + "@");
            debs++;
        }
        // every model, with the SHA-256 the build checked
        List<String> lines = Files.readAllLines(root().resolve("inference/models.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        int id = header.indexOf("id"), sha = header.indexOf("sha256");
        int models = 0;
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            org.w3c.dom.Element c = byTypeAndName.get("machine-learning-model " + f[id]);
            assertThat(c).as("model %s in the image SBOM", f[id]).isNotNull();
            assertThat(c.getElementsByTagNameNS("*", "hash").item(0).getTextContent()).isEqualTo(f[sha]);
            models++;
        }
        assertThat(debs).as("Debian packages").isGreaterThan(50);
        assertThat(models).as("models").isGreaterThan(0);
        assertThat(nodes.getLength()).as("Java libraries + packages + models").isGreaterThan(debs + models + 50);
    }

    @Test
    void theLicenceReportListsEveryModelWithItsLicence() throws IOException {
        String report = Files.readString(Path.of(System.getProperty("openbio.image.licences")));
        List<String> lines = Files.readAllLines(root().resolve("inference/models.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        int id = header.indexOf("id"), licence = header.indexOf("licence");
        int models = 0;
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t");
                assertThat(report).as("model %s with its licence", f[id]).contains("| " + f[id] + " |")
                        .contains(f[licence].replace("|", "\\|"));
                models++;
            }
        }
        assertThat(report).contains("## Models").contains(models + " entries");
        assertThat(report).contains("## Debian packages of the base image").contains("| openjdk-17-jre-headless |");
    }

    @Test
    void theImageSbomListsWhatTheImageRuns() throws IOException {
        Path bom = Path.of(System.getProperty("openbio.image.sbom"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(bom),
                "no SBOM: the build ran offline (cyclonedx-maven-plugin's makeBom needs Maven's online mode)");
        JsonNode sbom = JSON.readTree(bom.toFile());
        assertThat(sbom.get("bomFormat").asText()).isEqualTo("CycloneDX");
        Set<String> components = new TreeSet<>();
        sbom.get("components").forEach(c -> components.add(c.path("group").asText() + ":" + c.path("name").asText()));
        assertThat(components).contains("io.openbio:gateway", "io.openbio:processors", "io.openbio:schemas",
                "io.openbio:inference", "org.apache.kafka:kafka-streams", "com.microsoft.onnxruntime:onnxruntime");
        // our own modules state the project's licence (none declared yet: NOASSERTION), not the Spring Boot parent's
        sbom.get("components").forEach(c -> {
            if (c.path("group").asText().equals("io.openbio")) {
                assertThat(c.path("licenses").toString()).as("licence of %s in the SBOM", c.path("name").asText())
                        .contains(System.getProperty("openbio.image.licenses")).doesNotContain("Apache");
            }
        });
        // every jar of the processors' class path in the image is a component of the SBOM
        List<String> missing = files.keySet().stream().filter(p -> p.matches("app/processors/lib/[^/]+\\.jar"))
                .map(p -> p.substring("app/processors/lib/".length()))
                .filter(jar -> components.stream().noneMatch(c -> jar.startsWith(c.substring(c.indexOf(':') + 1) + "-")))
                .toList();
        assertThat(missing).as("jars in /app/processors/lib that the SBOM does not list").isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** role -> its text in docker/entrypoint.sh's case statement, up to ";;" (continuation lines included). */
    static Map<String, String> roles() throws IOException {
        Map<String, String> roles = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        boolean inCase = false;
        for (String line : Files.readAllLines(root().resolve("docker/entrypoint.sh"))) {
            if (line.startsWith("case ")) {
                inCase = true;
                continue;
            }
            if (!inCase) {
                continue;
            }
            if (line.startsWith("esac")) {
                break;
            }
            Matcher m = ROLE.matcher(line);
            if (current == null && m.matches()) {
                current = m.group(1);
                text.setLength(0);
                text.append(m.group(2));
            } else if (current != null) {
                text.append(' ').append(line.trim());
            }
            if (current != null && text.toString().contains(";;")) {
                roles.put(current, text.toString());
                current = null;
            }
        }
        return roles;
    }

    private static List<String> baseDiffIds() throws IOException {
        String base = System.getProperty("openbio.image.base");
        if (!base.startsWith("tar://")) {
            return List.of();
        }
        Path baseTar = Path.of(base.substring("tar://".length()));
        Map<String, byte[]> json = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(baseTar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null;) {
                if (e.getName().endsWith(".json") || e.getName().startsWith("sha256:") || e.getName().matches("[0-9a-f]{64}")) {
                    json.put(e.getName(), in.readAllBytes());
                }
            }
        }
        JsonNode baseManifest = JSON.readTree(json.get("manifest.json"));
        JsonNode baseConfig = JSON.readTree(json.get(baseManifest.get(0).get("Config").asText()));
        return texts(baseConfig.get("rootfs").get("diff_ids"));
    }

    private static boolean isExecutable(String path) {
        FileInfo f = files.get(path);
        return f != null && (f.symlink() || (!f.directory() && (f.mode() & 0111) != 0));
    }

    private static Path root() {
        return Path.of(System.getProperty("openbio.root"));
    }

    private static String normal(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        return n.startsWith("/") ? n.substring(1) : n;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stream of one tar entry, which a reader on top must not close. */
    private static InputStream shield(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }
}
