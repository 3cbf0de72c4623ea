package io.openbio.schemas.callback;

import io.openbio.schemas.kafka.KafkaSettings;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a result callback may go: one class for the gateway (when it accepts a {@code callbackUrl},
 * answering 400 early) and the callback stage (before every attempt), so both apply the same rules.
 *
 * <p>A destination is refused unless
 * <ul>
 * <li>the URL is absolute {@code http} or {@code https} with a host, and carries no user info
 * ({@code user:secret@host}: credentials would travel in logs and records);</li>
 * <li>the host is not a cloud metadata name ({@link #METADATA_HOSTS});</li>
 * <li>EVERY address the host resolves to is a public unicast address: not loopback, any-local
 * (0.0.0.0/8, ::), link-local (169.254/16 with the metadata address 169.254.169.254, fe80::/10),
 * private (10/8, 172.16/12, 192.168/16, fec0::/10), unique-local (fc00::/7), CGNAT (100.64/10),
 * multicast, reserved (192.0.0/24, 198.18/15, 240/4), and not any IPv6 form that embeds one of
 * these (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64
 * {@code 64:ff9b::/96}, 6to4 {@code 2002::/16});</li>
 * <li>or the allow-list ({@code OPENBIO_CALLBACK_ALLOW}) admits the address: see {@link #parse}.</li>
 * </ul>
 * The caller then connects to exactly {@link Destination#addresses()}: the host is resolved once,
 * here, so a DNS answer that changes between the check and the connection (DNS rebinding) cannot
 * redirect the delivery.
 */
public final class CallbackDestinationPolicy {

    /** Host names of cloud instance-metadata services, refused whatever they resolve to. */
    public static final Set<String> METADATA_HOSTS = Set.of("metadata", "metadata.google.internal", "metadata.goog",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal", "metadata.packet.net");

    /** Resolves a host name to its addresses ({@link InetAddress#getAllByName} in production). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A checked destination: the URL, its host (no brackets), its effective port and the checked addresses. */
    public record Destination(URI uri, String host, int port, List<InetAddress> addresses) {
        public Destination {
            addresses = List.copyOf(addresses);
        }
    }

    /** The destination is not allowed; the message is safe to show the caller (it never repeats the URL). */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }
    }

    // before FORBIDDEN: parsing those literals uses it
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final List<Cidr> FORBIDDEN = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"), Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.0.0.0/24"),
            Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"), Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("fe80::/10"), Cidr.parse("fec0::/10"),
            Cidr.parse("fc00::/7"), Cidr.parse("ff00::/8"));

    private final List<Entry> allow;
    private final Resolver resolver;

    private CallbackDestinationPolicy(List<Entry> allow, Resolver resolver) {
        this.allow = List.copyOf(allow);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The policy of this process: {@code openbio.callback.allow} / {@code OPENBIO_CALLBACK_ALLOW}, real DNS. */
    public static CallbackDestinationPolicy fromEnvironment() {
        return parse(KafkaSettings.setting("openbio.callback.allow", ""), InetAddress::getAllByName);
    }

    /**
     * A policy with an allow-list: comma-separated entries, each optionally {@code tenant=entry} (then it
     * applies to that tenant's callbacks only), where an entry is
     * <ul>
     * <li>a CIDR or a single address ({@code 127.0.0.1/32}, {@code 10.1.2.3}, {@code ::1}, {@code fd00::/8}):
     * resolved addresses inside it are allowed, on every port;</li>
     * <li>{@code host:port} ({@code localhost:9000}, {@code 127.0.0.1:9000}, {@code [::1]:9000}): a URL with
     * that host name (or resolving to that address literal) and that port is allowed.</li>
     * </ul>
     * Empty: only public destinations.
     *
     * @throws IllegalArgumentException naming the entry that cannot be read
     */
    public static CallbackDestinationPolicy parse(String allowList, Resolver resolver) {
        List<Entry> entries = new ArrayList<>();
        if (allowList != null) {
            for (String raw : allowList.split(",")) {
                String text = raw.trim();
                if (text.isEmpty()) {
                    continue;
                }
                String tenant = null;
                int eq = text.indexOf('=');
                if (eq >= 0) {
                    tenant = text.substring(0, eq).trim();
                    text = text.substring(eq + 1).trim();
                }
                entries.add(Entry.parse(tenant, text));
            }
        }
        return new CallbackDestinationPolicy(entries, resolver);
    }

    /** Whether an allow-list is configured (logged at start: a non-empty list is an exception to the rules). */
    public boolean hasAllowList() {
        return !allow.isEmpty();
    }

    /**
     * Checks {@code url} for {@code tenant}'s callbacks and resolves its host once.
     *
     * @throws RefusedException     the destination is not allowed
     * @throws UnknownHostException the host does not resolve now
     */
    public Destination check(String tenant, String url) throws RefusedException, UnknownHostException {
        URI uri = syntax(url);
        String host = bare(uri.getHost()).toLowerCase(Locale.ROOT);
        int port = effectivePort(uri);
        if (METADATA_HOSTS.contains(host) || METADATA_HOSTS.contains(stripDot(host))) {
            throw new RefusedException("'callbackUrl' names a cloud metadata service");
        }
        InetAddress[] resolved = resolver.resolve(host);
        if (resolved == null || resolved.length == 0) {
            throw new UnknownHostException("no address");
        }
        for (InetAddress address : resolved) {
            if (!allowed(tenant, host, port, address)) {
                throw new RefusedException("'callbackUrl' resolves to a loopback, private, link-local or otherwise"
                        + " internal address; callbacks go to public addresses only");
            }
        }
        return new Destination(uri, host, port, Arrays.asList(resolved));
    }

    /**
     * The checks that need no DNS: an absolute http(s) URL with a host and no user info.
     *
     * @return the parsed URL
     */
    public static URI syntax(String url) throws RefusedException {
        if (url == null || url.isBlank()) {
            throw new RefusedException("'callbackUrl' must be an absolute http or https URL");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new RefusedException("'callbackUrl' must be an absolute http or https URL");
        }
        if (!uri.isAbsolute() || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new RefusedException("'callbackUrl' must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw new RefusedException("'callbackUrl' must not carry credentials (user:password@); callbacks are signed instead");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RefusedException("'callbackUrl' must be an absolute http or https URL with a host name or address");
        }
        return uri;
    }

    /**
     * The URL without anything secret, for records and logs: user info dropped, the query replaced
     * by {@code ?redacted} (tokens are often passed there), the fragment dropped. Unparseable: {@code <invalid URL>}.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return "<invalid URL>";
            }
            String authority = uri.getRawAuthority();
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                authority = authority.substring(at + 1);
            }
            StringBuilder out = new StringBuilder(uri.getScheme()).append("://").append(authority);
            if (uri.getRawPath() != null) {
                out.append(uri.getRawPath());
            }
            if (uri.getRawQuery() != null) {
                out.append("?redacted");
            }
            return out.toString();
        } catch (URISyntaxException e) {
            return "<invalid URL>";
        }
    }

    /** Whether {@code address} is one callbacks may never reach without an allow-list entry. */
    public static boolean internal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null && internal(bytes4(embedded))) {
                return true;
            }
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        for (Cidr cidr : FORBIDDEN) {
            if (cidr.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private boolean allowed(String tenant, String host, int port, InetAddress address) {
        if (!internal(address)) {
            return true;
        }
        for (Entry entry : allow) {
            if (entry.tenant() == null || entry.tenant().equals(tenant)) {
                if (entry.admits(host, port, address)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** IPv4 embedded in an IPv6 address: mapped ::ffff:0:0/96, compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16. */
    private static byte[] embeddedIpv4(byte[] v6) {
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= v6[i] == 0;
        }
        if (zeros80 && ((v6[10] == (byte) 0xff && v6[11] == (byte) 0xff) || (v6[10] == 0 && v6[11] == 0))) {
            boolean compatibleZero = v6[10] == 0 && v6[12] == 0 && v6[13] == 0 && v6[14] == 0 && (v6[15] == 0 || v6[15] == 1);
            return compatibleZero ? null : Arrays.copyOfRange(v6, 12, 16); // :: and ::1 are checked as IPv6
        }
        if (v6[0] == 0 && v6[1] == 0x64 && v6[2] == (byte) 0xff && v6[3] == (byte) 0x9b) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        if (v6[0] == 0x20 && v6[1] == 0x02) {
            return Arrays.copyOfRange(v6, 2, 6);
        }
        return null;
    }

    private static InetAddress bytes4(byte[] v4) {
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** An IP literal (never a DNS lookup), or null when {@code text} is not one. */
    private static InetAddress literal(String text) {
        String bare = bare(text);
        if (!IPV4.matcher(bare).matches() && !bare.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String addressText = slash < 0 ? text : text.substring(0, slash);
            InetAddress address = literal(addressText);
            if (address == null) {
                throw new IllegalArgumentException("not an address or CIDR: " + text);
            }
            byte[] bytes = address.getAddress();
            int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1).trim());
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** One allow-list entry: a CIDR (any port) or a host:port. */
    private record Entry(String tenant, Cidr cidr, String host, InetAddress hostAddress, int port) {
        static Entry parse(String tenant, String text) {
            if (tenant != null && tenant.isEmpty()) {
                throw new IllegalArgumentException("OPENBIO_CALLBACK_ALLOW: empty tenant in '" + text + "'");
            }
            try {
                int close = text.lastIndexOf(']');
                int colon = text.lastIndexOf(':');
                boolean hostPort = text.startsWith("[") ? colon > close : colon > 0 && text.indexOf(':') == colon && !text.contains("/");
                if (!hostPort) {
                    return new Entry(tenant, Cidr.parse(bare(text)), null, null, -1);
                }
                String host = bare(text.substring(0, colon)).toLowerCase(Locale.ROOT);
                int port = Integer.parseInt(text.substring(colon + 1));
                if (host.isEmpty() || port < 1 || port > 65535) {
                    throw new IllegalArgumentException("bad host:port");
                }
                return new Entry(tenant, null, host, literal(host), port);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("OPENBIO_CALLBACK_ALLOW: cannot read entry '" + text
                        + "' (a CIDR like 10.0.0.0/8 or ::1, or host:port like localhost:9000, optionally tenant=...)", e);
            }
        }

        boolean admits(String urlHost, int urlPort, InetAddress address) {
            if (cidr != null) {
                return cidr.contains(address.getAddress());
            }
            if (port != urlPort) {
                return false;
            }
            return hostAddress != null ? hostAddress.equals(address) : host.equals(urlHost);
        }
    }
}
