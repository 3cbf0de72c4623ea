package io.openbio.bundle.cli;

import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleHeader;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.BundleWriter;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureChallenge;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.bundle.format.InnerBody;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The Java capture client.
 *
 * <pre>
 * bundle create --image face.jpg [--image more.jpg] --server http://host:port [--out bundle.bin]
 *               [--camera-label "Integrated Camera"] [--tenant T]
 * bundle create --frames-dir DIR [--fps 5] --server URL --challenge        (challenge capture, SPEC.md 5.2)
 * bundle create --frames-dir DIR --public-key B64|@FILE --kid KID --nonce N --actions A,B [--start MS]  (offline)
 * bundle create --image face.jpg --key-file key.json --nonce-file nonce.json   (offline: the JSON of the key and nonce answers)
 * bundle inspect FILE
 * </pre>
 */
public final class BundleCli {

    public static final String CLIENT_NAME = "openbio-bundle-cli";
    static final String USAGE = """
            usage:
              bundle create --image FILE [--image FILE ...] --server URL [--out FILE] [--camera-label LABEL] [--tenant ID]
                  fetch the server's key (GET URL/bundle/public-key) and a nonce (POST URL/bundle/nonce),
                  and write an encrypted capture bundle (default bundle.bin)
              bundle create --frames-dir DIR [--fps N] --server URL --challenge [--prompt-frames I,J,...] [--out FILE] ...
                  a challenge capture (SPEC.md 5.2): the images of DIR by file name (at most 64) as a frame
                  sequence at N frames a second (default 5); the nonce and actions from POST URL/challenge;
                  action i prompted at frame I (default: evenly spread). Frames are stamped from now on and
                  the command returns when the last frame's time has come, as a camera would
              bundle create --image FILE [--image FILE ...] --key-file FILE --nonce-file FILE [--out FILE] ...
                  the same without a server: --key-file holds the JSON of GET /bundle/public-key (or of a Kafka
                  client's iad.public_key result body), --nonce-file the JSON of POST /bundle/nonce (or of
                  iad.nonce's body); --public-key B64|@FILE --kid KID and --nonce N give the same as values
              bundle create --frames-dir DIR [--fps N] --public-key B64|@FILE --kid KID --nonce N --actions A,B
                  [--prompt-frames I,J] [--start EPOCH_MS] [--out FILE] ...
                  the same offline, with the key, nonce and actions given (--start: frame 0's time, no waiting);
                  --nonce/--actions also work with --server (key fetched, nonce and actions as given)
              bundle inspect FILE
                  print a bundle's header (no key needed)
            """;

    private final PrintStream out;
    private final PrintStream err;

    public BundleCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new BundleCli(System.out, System.err).run(args));
    }

    /** Runs one command; returns the exit status (0 ok, 1 failure, 2 usage). */
    public int run(String... args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            return switch (args[0]) {
                case "create" -> create(args);
                case "inspect" -> inspect(args);
                default -> usage("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            return usage(e.getMessage());
        } catch (BundleException e) {
            err.println("error: " + e.apiMessage() + " (" + e.getMessage() + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private int usage(String message) {
        err.println("error: " + message);
        err.print(USAGE);
        return 2;
    }

    private int create(String[] args) throws IOException, InterruptedException, UsageException {
        List<Path> images = new ArrayList<>();
        Path framesDir = null;
        Double fps = null;
        String server = null;
        String publicKey = null;
        String kid = null;
        String nonceOption = null;
        Path keyFile = null;
        Path nonceFile = null;
        boolean challenge = false;
        List<String> actionsOption = null;
        List<Integer> promptFrames = null;
        Long startOption = null;
        Path outFile = Path.of("bundle.bin");
        String cameraLabel = null;
        String tenant = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--image" -> images.add(Path.of(value(args, ++i, a)));
                case "--frames-dir" -> framesDir = Path.of(value(args, ++i, a));
                case "--fps" -> fps = positive(value(args, ++i, a), a);
                case "--server" -> server = value(args, ++i, a);
                case "--public-key" -> publicKey = value(args, ++i, a);
                case "--kid" -> kid = value(args, ++i, a);
                case "--nonce" -> nonceOption = value(args, ++i, a);
                case "--key-file" -> keyFile = Path.of(value(args, ++i, a));
                case "--nonce-file" -> nonceFile = Path.of(value(args, ++i, a));
                case "--challenge" -> challenge = true;
                case "--actions" -> actionsOption = List.of(value(args, ++i, a).split(",", -1));
                case "--prompt-frames" -> promptFrames = indices(value(args, ++i, a), a);
                case "--start" -> startOption = (long) nonNegative(value(args, ++i, a), a);
                case "--out" -> outFile = Path.of(value(args, ++i, a));
                case "--camera-label" -> cameraLabel = value(args, ++i, a);
                case "--tenant" -> tenant = value(args, ++i, a);
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        if (framesDir != null && !images.isEmpty()) {
            throw new UsageException("give --image or --frames-dir, not both");
        }
        if (framesDir != null) {
            images = framesIn(framesDir);
        }
        if (images.isEmpty()) {
            throw new UsageException("at least one --image (or a --frames-dir with images) is required");
        }
        if (keyFile != null && (server != null || publicKey != null || kid != null)) {
            throw new UsageException("give --key-file, --server or --public-key/--kid, one of them");
        }
        if (server == null && keyFile == null && (publicKey == null || kid == null)) {
            throw new UsageException("--server is required (or, offline, --key-file, or --public-key and --kid)");
        }
        if (server != null && (publicKey != null || kid != null)) {
            throw new UsageException("give --server or --public-key/--kid, not both");
        }
        String expiresAt = null;
        if (nonceFile != null) {
            if (nonceOption != null || challenge) {
                throw new UsageException("--nonce-file gives the nonce: no --nonce or --challenge with it");
            }
            KeyServerClient.Nonce fromFile = KeyServerClient.nonce(readJson(nonceFile));
            nonceOption = fromFile.nonce();
            expiresAt = fromFile.expiresAt();
        }
        if (challenge && actionsOption != null) {
            throw new UsageException("give --challenge (the server issues the challenge) or --actions, not both");
        }
        if (challenge && (server == null || nonceOption != null)) {
            throw new UsageException("--challenge asks the server (POST /challenge) for the nonce and actions: it needs --server and no --nonce");
        }
        if (actionsOption != null && nonceOption == null) {
            throw new UsageException("--actions needs --nonce: a challenge is bound to the nonce it was issued with (SPEC.md 5.2)");
        }
        if (server == null && nonceOption == null) {
            throw new UsageException("offline (--key-file or --public-key) needs --nonce-file or --nonce");
        }
        if (promptFrames != null && !challenge && actionsOption == null) {
            throw new UsageException("--prompt-frames needs --challenge or --actions");
        }
        boolean isChallenge = challenge || actionsOption != null;
        int maxFrames = InnerBody.maxFrames(isChallenge);
        if (images.size() > maxFrames) {
            throw new UsageException(images.size() + " frames: at most " + maxFrames
                    + (isChallenge ? " with a challenge" : " without a challenge (--challenge or --actions allow " + BundleFormat.MAX_CHALLENGE_FRAMES + ")"));
        }
        if (fps == null && (framesDir != null || isChallenge)) {
            fps = DEFAULT_FPS;
        }

        KeyServerClient client = server == null ? null : new KeyServerClient(server);
        KeyServerClient.ServerKey key = client != null ? client.publicKey()
                : keyFile != null ? KeyServerClient.serverKey(readJson(keyFile))
                : new KeyServerClient.ServerKey(kid, BundleFormat.ALG, KeyServerClient.parsePublicKey(readKey(publicKey)));
        String nonce;
        List<String> actions = actionsOption;
        if (nonceOption != null) {
            nonce = nonceOption;
        } else if (challenge) {
            KeyServerClient.IssuedChallenge issued = client.challenge(tenant);
            nonce = issued.nonce();
            actions = issued.actions();
            expiresAt = issued.expiresAt();
        } else {
            KeyServerClient.Nonce issued = client.nonce(tenant);
            nonce = issued.nonce();
            expiresAt = issued.expiresAt();
        }

        List<CaptureFrame> frames = new ArrayList<>();
        long start;
        if (fps == null) {
            // still images, stamped as they are read (the capture takes as long as reading them)
            start = System.currentTimeMillis();
            for (Path image : images) {
                byte[] bytes = Files.readAllBytes(image);
                ImageFacts facts = ImageFacts.of(bytes, image);
                frames.add(new CaptureFrame(bytes, facts.contentType(), System.currentTimeMillis(), facts.width(), facts.height()));
            }
        } else {
            // a frame sequence replayed at fps: frame i taken at start + i / fps
            start = startOption != null ? startOption : System.currentTimeMillis();
            for (int i = 0; i < images.size(); i++) {
                byte[] bytes = Files.readAllBytes(images.get(i));
                ImageFacts facts = ImageFacts.of(bytes, images.get(i));
                frames.add(new CaptureFrame(bytes, facts.contentType(), start + Math.round(i * 1000.0 / fps), facts.width(), facts.height()));
            }
        }
        long end = frames.get(frames.size() - 1).timestampMillis();
        if (fps == null) {
            end = System.currentTimeMillis();
        }
        CaptureChallenge captureChallenge = null;
        if (isChallenge) {
            captureChallenge = new CaptureChallenge(nonce, actions, prompts(frames, actions.size(), promptFrames));
        }
        // SPEC.md 6.3: a declared camera size must be every frame's size, so declare one only when
        // all the images share it
        CaptureFrame first = frames.get(0);
        boolean oneSize = frames.stream().allMatch(f -> java.util.Objects.equals(f.width(), first.width())
                && java.util.Objects.equals(f.height(), first.height()));
        CameraInfo camera = new CameraInfo(cameraLabel, oneSize ? first.width() : null, oneSize ? first.height() : null, null);
        CaptureMetadata metadata = new CaptureMetadata(nonce, start, end, deviceInfo(), camera,
                CLIENT_NAME, clientVersion(), captureChallenge);
        byte[] bundle = BundleWriter.write(new CaptureBundle(metadata, frames), key.publicKey(), key.kid());
        if (fps != null && startOption == null) {
            // the frames are stamped as a camera at fps would have taken them from now on: the
            // capture is not over (nor sent) before its last frame's time (SPEC.md 6.1 T6)
            long wait = end - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
        Path parent = outFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(outFile, bundle);
        out.printf(Locale.ROOT, "wrote %s: %d bytes, %d frame(s), kid %s%s%s%n",
                outFile, bundle.length, frames.size(), key.kid(),
                captureChallenge == null ? "" : ", challenge " + String.join(",", captureChallenge.actions()),
                expiresAt == null ? "" : ", nonce expires " + expiresAt);
        return 0;
    }

    /** Frames per second of a replayed sequence when --fps is not given. */
    static final double DEFAULT_FPS = 5;

    /** The images of a folder, by file name (hidden files and sub-folders skipped). */
    static List<Path> framesIn(Path dir) throws IOException, UsageException {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--frames-dir " + dir + " is not a folder");
        }
        try (var files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted(java.util.Comparator.comparing(f -> f.getFileName().toString()))
                    .toList();
        }
    }

    /** Per action, the time of the frame at which its prompt was shown: {@code promptFrames}, or evenly spread. */
    static List<Long> prompts(List<CaptureFrame> frames, int actions, List<Integer> promptFrames) throws UsageException {
        if (promptFrames != null && promptFrames.size() != actions) {
            throw new UsageException("--prompt-frames gives " + promptFrames.size() + " frames for " + actions + " actions");
        }
        List<Long> prompts = new ArrayList<>(actions);
        for (int i = 0; i < actions; i++) {
            int frame = promptFrames != null ? promptFrames.get(i) : (int) ((long) i * frames.size() / actions);
            if (frame >= frames.size()) {
                throw new UsageException("--prompt-frames: frame " + frame + " of " + frames.size());
            }
            prompts.add(frames.get(frame).timestampMillis());
        }
        return prompts;
    }

    /** A JSON file (a key or nonce answer saved by the client). */
    private static com.fasterxml.jackson.databind.JsonNode readJson(Path file) throws IOException {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String readKey(String option) throws IOException {
        return option.startsWith("@") ? Files.readString(Path.of(option.substring(1))).strip() : option;
    }

    private static double positive(String v, String option) throws UsageException {
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && d <= 1000) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new UsageException(option + " must be a number in (0, 1000]");
    }

    private static long nonNegative(String v, String option) throws UsageException {
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new UsageException(option + " must be an integer >= 0");
    }

    private static List<Integer> indices(String v, String option) throws UsageException {
        List<Integer> list = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            list.add((int) Math.min(Integer.MAX_VALUE, nonNegative(part.strip(), option)));
        }
        return list;
    }

    private int inspect(String[] args) throws IOException, BundleException, UsageException {
        if (args.length != 2) {
            throw new UsageException("inspect takes exactly one FILE");
        }
        Path file = Path.of(args[1]);
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException(file + " is too large to be a bundle");
        }
        BundleHeader header = BundleReader.header(Files.readAllBytes(file));
        out.println("file:    " + file);
        out.println("size:    " + size + " bytes");
        out.println("version: " + header.version());
        out.println("kid:     " + header.kid());
        out.println("alg:     " + header.alg());
        return 0;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    /** What the JVM knows about the device: OS, architecture, runtime, and a user-agent-like string. */
    static Map<String, String> deviceInfo() {
        Map<String, String> device = new LinkedHashMap<>();
        String os = System.getProperty("os.name", "unknown");
        String osVersion = System.getProperty("os.version", "");
        String arch = System.getProperty("os.arch", "");
        String java = System.getProperty("java.version", "");
        device.put("os", os);
        device.put("osVersion", osVersion);
        device.put("arch", arch);
        device.put("model", arch.isEmpty() ? "unknown" : "generic-" + arch);
        device.put("runtime", "Java " + java + " (" + System.getProperty("java.vendor", "") + ")");
        device.put("userAgent", CLIENT_NAME + "/" + clientVersion() + " (" + os + " " + osVersion + "; " + arch + ") Java/" + java);
        return device;
    }

    static String clientVersion() {
        try (InputStream in = BundleCli.class.getResourceAsStream("/io/openbio/bundle/bundle-client.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("client.version");
                if (v != null && !v.isBlank() && !v.startsWith("@")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "dev";
    }

    /** Format and pixel size read from the image header (no full decode). */
    record ImageFacts(String contentType, Integer width, Integer height) {
        static ImageFacts of(byte[] bytes, Path name) throws IOException {
            try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
                Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
                if (readers != null && readers.hasNext()) {
                    ImageReader reader = readers.next();
                    try {
                        reader.setInput(in, true, true);
                        String[] types = reader.getOriginatingProvider().getMIMETypes();
                        String type = types != null && types.length > 0 ? types[0] : guess(name);
                        return new ImageFacts(type, reader.getWidth(0), reader.getHeight(0));
                    } finally {
                        reader.dispose();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // unreadable header: keep the bytes, leave the size unknown
            }
            return new ImageFacts(guess(name), null, null);
        }

        private static String guess(Path name) {
            String n = name.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
                return "image/jpeg";
            }
            if (n.endsWith(".png")) {
                return "image/png";
            }
            return "application/octet-stream";
        }
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
