package io.openbio.bundle.cli;

import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleHeader;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.BundleWriter;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;

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
        String server = null;
        Path outFile = Path.of("bundle.bin");
        String cameraLabel = null;
        String tenant = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--image" -> images.add(Path.of(value(args, ++i, a)));
                case "--server" -> server = value(args, ++i, a);
                case "--out" -> outFile = Path.of(value(args, ++i, a));
                case "--camera-label" -> cameraLabel = value(args, ++i, a);
                case "--tenant" -> tenant = value(args, ++i, a);
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        if (images.isEmpty()) {
            throw new UsageException("at least one --image is required");
        }
        if (server == null) {
            throw new UsageException("--server is required");
        }

        KeyServerClient client = new KeyServerClient(server);
        KeyServerClient.ServerKey key = client.publicKey();
        KeyServerClient.Nonce nonce = client.nonce(tenant);

        long start = System.currentTimeMillis();
        List<CaptureFrame> frames = new ArrayList<>();
        for (Path image : images) {
            byte[] bytes = Files.readAllBytes(image);
            ImageFacts facts = ImageFacts.of(bytes, image);
            frames.add(new CaptureFrame(bytes, facts.contentType(), System.currentTimeMillis(), facts.width(), facts.height()));
        }
        long end = System.currentTimeMillis();
        // SPEC.md 6.3: a declared camera size must be every frame's size, so declare one only when
        // all the images share it
        CaptureFrame first = frames.get(0);
        boolean oneSize = frames.stream().allMatch(f -> java.util.Objects.equals(f.width(), first.width())
                && java.util.Objects.equals(f.height(), first.height()));
        CameraInfo camera = new CameraInfo(cameraLabel, oneSize ? first.width() : null, oneSize ? first.height() : null, null);
        CaptureMetadata metadata = new CaptureMetadata(nonce.nonce(), start, end, deviceInfo(), camera,
                CLIENT_NAME, clientVersion());
        byte[] bundle = BundleWriter.write(new CaptureBundle(metadata, frames), key.publicKey(), key.kid());
        Path parent = outFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(outFile, bundle);
        out.printf(Locale.ROOT, "wrote %s: %d bytes, %d frame(s), kid %s, nonce expires %s%n",
                outFile, bundle.length, frames.size(), key.kid(), nonce.expiresAt());
        return 0;
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
