package io.openbio.schemas.contract;

import java.util.Map;

/**
 * One page query of the Liveness Check Proxy audit log ({@code GET /admin/audit/users/{userId}}),
 * as the seed defines its parameters, parsed the same way by the gateway (to answer bad arguments
 * before anything is published) and by the lcp-audit stage (from the request's attributes).
 *
 * <ul>
 * <li>{@code end}: epoch ms, default now; {@code start}: epoch ms, default 30 days before {@code end};
 * both inclusive, {@code start <= end}, neither negative;</li>
 * <li>{@code pageSize}: 1..{@value #MAX_PAGE_SIZE} (the seed states no maximum: the bound keeps one
 * answer's size and the store scan bounded), default {@value #DEFAULT_PAGE_SIZE};</li>
 * <li>{@code pageNumber}: 0.. (default 0) with {@code pageNumber * pageSize} at most
 * {@value #MAX_OFFSET}: a page is found by skipping that many entries of the user's history.</li>
 * </ul>
 * Anything else is the seed's 400 {@code ERROR_REQUEST} "Invalid method arguments." ({@link #INVALID}).
 *
 * @param tenant     the API key's tenant
 * @param userId     the user whose history is listed (1..{@value #MAX_USER_ID} characters)
 * @param start      first instant of the window, epoch ms, inclusive
 * @param end        last instant of the window, epoch ms, inclusive
 * @param pageSize   records per page
 * @param pageNumber the page, from 0
 */
public record LcpAuditQuery(String tenant, String userId, long start, long end, int pageSize, int pageNumber) {
    /** The seed's default window: 30 days before {@code end}. */
    public static final long DEFAULT_WINDOW_MS = 30L * 24 * 60 * 60 * 1000;
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    /** Bound of {@code pageNumber * pageSize}: more than a user's history holds at a few events per day for years. */
    public static final long MAX_OFFSET = 1_000_000;
    public static final int MAX_USER_ID = 256;
    /** The seed's message for bad arguments. */
    public static final String INVALID = "Invalid method arguments.";
    /** The seed's message for an unknown audit log id. */
    public static final String NOT_FOUND = "Audit log was not found.";

    /** Attribute names of the request envelope (also the HTTP query parameter names). */
    public static final String USER_ID = "userId";
    public static final String START = "start";
    public static final String END = "end";
    public static final String PAGE_SIZE = "pageSize";
    public static final String PAGE_NUMBER = "pageNumber";
    /** The detail query's attribute: the audit log id. */
    public static final String ID = "id";

    public LcpAuditQuery {
        if (tenant == null || tenant.isEmpty() || userId == null || userId.isEmpty() || userId.length() > MAX_USER_ID
                || start < 0 || end < 0 || start > end || pageSize < 1 || pageSize > MAX_PAGE_SIZE || pageNumber < 0
                || (long) pageNumber * pageSize > MAX_OFFSET) {
            throw new IllegalArgumentException(INVALID);
        }
    }

    /** Entries of the user's window to skip before this page. */
    public long offset() {
        return (long) pageNumber * pageSize;
    }

    /**
     * The query of {@code params} (absent or blank values take their defaults; {@code now} is the
     * default {@code end}).
     *
     * @throws IllegalArgumentException with {@link #INVALID} for anything the seed's API refuses
     */
    public static LcpAuditQuery parse(String tenant, Map<String, String> params, long now) {
        long end = number(params.get(END), now);
        long start = number(params.get(START), Math.max(0, end - DEFAULT_WINDOW_MS));
        long pageSize = number(params.get(PAGE_SIZE), DEFAULT_PAGE_SIZE);
        long pageNumber = number(params.get(PAGE_NUMBER), 0);
        if (pageSize > Integer.MAX_VALUE || pageNumber > Integer.MAX_VALUE || pageSize < 0 || pageNumber < 0) {
            throw new IllegalArgumentException(INVALID);
        }
        return new LcpAuditQuery(tenant, params.get(USER_ID), start, end, (int) pageSize, (int) pageNumber);
    }

    /** The attributes the gateway sends and {@link #parse} reads back: every value explicit. */
    public Map<String, String> attributes() {
        return Map.of(USER_ID, userId, START, Long.toString(start), END, Long.toString(end),
                PAGE_SIZE, Integer.toString(pageSize), PAGE_NUMBER, Integer.toString(pageNumber));
    }

    private static long number(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        // digits only (a sign, a fraction or an exponent is refused), at most 18 so it fits a long
        if (!v.matches("-?\\d{1,18}")) {
            throw new IllegalArgumentException(INVALID);
        }
        return Long.parseLong(v);
    }
}
