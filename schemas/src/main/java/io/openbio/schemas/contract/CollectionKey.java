package io.openbio.schemas.contract;

import java.util.Objects;

/**
 * The key of one collection of one tenant: {@code <tenant>/<collection>} with the collection name
 * escaped so that the key has exactly one {@code /}. Collection names may contain {@code /} (IDLive
 * accepts any path segment), and a member key is {@code <collection key>/<record id>}: without the
 * escape, collection {@code a}'s member prefix {@code t/a/} also matched the members of {@code a/b},
 * so deleting {@code a} saw {@code a/b}'s records as its own.
 *
 * <p>Escaping: {@code %} becomes {@code %25} and {@code /} becomes {@code %2F}; nothing else changes.
 * A name without either character keeps the key it had before this type existed (no migration for
 * those); see README "Collection keys" for names that contain them.
 *
 * @param tenant     the tenant id (validated by the gateway: {@code [A-Za-z0-9._-]{1,64}}, no {@code /})
 * @param collection the collection name as the client gave it
 */
public record CollectionKey(String tenant, String collection) {
    public CollectionKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(collection, "collection");
        if (tenant.indexOf('/') >= 0) {
            throw new IllegalArgumentException("tenant must not contain '/'");
        }
    }

    /** The key: {@code <tenant>/<escaped collection>}. */
    public String encoded() {
        return tenant + "/" + escape(collection);
    }

    /** The key of one member record: {@code <collection key>/<record id>}. */
    public String member(String recordId) {
        return memberPrefix() + recordId;
    }

    /** The prefix every member key of this collection, and of no other, starts with. */
    public String memberPrefix() {
        return encoded() + "/";
    }

    /** The record id of {@code memberKey}, one of this collection's member keys. */
    public String recordIdOf(String memberKey) {
        if (!memberKey.startsWith(memberPrefix())) {
            throw new IllegalArgumentException("not a member key of " + this);
        }
        return memberKey.substring(memberPrefix().length());
    }

    /** Parses an {@link #encoded()} key. */
    public static CollectionKey parse(String encoded) {
        int slash = encoded.indexOf('/');
        if (slash < 0 || encoded.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("not a collection key: " + encoded);
        }
        return new CollectionKey(encoded.substring(0, slash), unescape(encoded.substring(slash + 1)));
    }

    static String escape(String name) {
        if (name.indexOf('%') < 0 && name.indexOf('/') < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '/' -> out.append("%2F");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%' && escaped.startsWith("2F", i + 1)) {
                out.append('/');
                i += 2;
            } else if (c == '%' && escaped.startsWith("25", i + 1)) {
                out.append('%');
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return encoded();
    }
}
