package io.openbio.gateway.pipeline;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Per-tenant quotas of this gateway instance, so one tenant's flood is shed before it takes the
 * gateway from the others (429 + {@code Retry-After}, {@link PipelineException}):
 * <ul>
 * <li><b>request rate</b>: a token bucket per tenant, {@code openbio.gateway.tenant.max-rate}
 * requests per second refilled continuously, up to {@code openbio.gateway.tenant.burst} at once.
 * Bucket4j (small, no dependencies, lock-free local buckets) rather than a hand-written bucket;
 * Retry-After is its time until the next token, rounded up to whole seconds.</li>
 * <li><b>pending requests</b>: at most {@code openbio.gateway.tenant.max-pending} of a tenant's
 * requests wait for results at once, below the gateway's own bound
 * ({@code openbio.gateway.max-pending}), so a tenant that floods a slow route fills its own share
 * and not the gateway's. Retry-After 1 s.</li>
 * </ul>
 * A setting of 0 or less turns that quota off. The tenant is the request's tenant: the API key's
 * when keys are on; with keys off it is the caller's {@code X-Tenant-Id}, which a caller can vary, so
 * there the quotas only separate well-behaved tenants and the gateway-wide bound stays the guard.
 * Counters {@code openbio_gateway_tenant_shed_total{reason=rate|pending}} (no tenant tag: tenants
 * are unbounded).
 */
@Component
public class TenantQuotas {
    /** Above this many tracked tenants, idle ones (nothing pending) are forgotten: their bucket starts full again. */
    static final int MAX_TRACKED_TENANTS = 10_000;

    private final long maxRate;
    private final long burst;
    private final int maxPending;
    private final ConcurrentMap<String, TenantState> tenants = new ConcurrentHashMap<>();
    private final Counter shedRate;
    private final Counter shedPending;

    public TenantQuotas(@Value("${openbio.gateway.tenant.max-rate:500}") long maxRate,
                        @Value("${openbio.gateway.tenant.burst:0}") long burst,
                        @Value("${openbio.gateway.tenant.max-pending:500}") int maxPending,
                        MeterRegistry meters) {
        this.maxRate = Math.max(0, maxRate);
        this.burst = burst > 0 ? burst : this.maxRate;
        this.maxPending = Math.max(0, maxPending);
        this.shedRate = Counter.builder("openbio.gateway.tenant.shed").tag("reason", "rate")
                .description("Requests refused with 429 by a tenant's quota").register(meters);
        this.shedPending = Counter.builder("openbio.gateway.tenant.shed").tag("reason", "pending")
                .description("Requests refused with 429 by a tenant's quota").register(meters);
    }

    /** One admitted request: {@link #release()} it once when it no longer waits for its result. */
    public interface Permit {
        void release();
    }

    private static final Permit NOTHING_HELD = () -> { };

    private final class TenantState {
        final Bucket bucket = maxRate > 0
                ? Bucket.builder().addLimit(limit -> limit.capacity(burst).refillGreedy(maxRate, Duration.ofSeconds(1))).build()
                : null;
        final AtomicInteger pending = new AtomicInteger();
    }

    /** Admits a request that will not wait for its result (rate only), or throws 429. */
    public void admit(String tenant) {
        takeToken(tenant, state(tenant));
    }

    /**
     * Admits a request that waits for its result (pending bound and rate), or throws 429. The permit
     * holds one of the tenant's pending places until released.
     */
    public Permit admitWaiting(String tenant) {
        TenantState state = state(tenant);
        if (maxPending > 0 && state.pending.incrementAndGet() > maxPending) {
            state.pending.decrementAndGet();
            shedPending.increment();
            throw new PipelineException(429, "too many requests of this tenant in progress (" + maxPending + "); retry shortly", null, 1);
        }
        Permit permit = maxPending > 0 ? once(state) : NOTHING_HELD;
        try {
            takeToken(tenant, state);
        } catch (PipelineException e) {
            permit.release();
            throw e;
        }
        return permit;
    }

    /** Requests of {@code tenant} now holding a pending place (for tests and metrics). */
    public int pending(String tenant) {
        TenantState state = tenants.get(tenant);
        return state == null ? 0 : state.pending.get();
    }

    private void takeToken(String tenant, TenantState state) {
        if (state.bucket == null) {
            return;
        }
        ConsumptionProbe probe = state.bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            shedRate.increment();
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
            throw new PipelineException(429, "request rate of this tenant above its quota (" + maxRate + "/s, burst " + burst
                    + "); retry in " + seconds + " s", null, (int) Math.min(seconds, Integer.MAX_VALUE));
        }
    }

    private TenantState state(String tenant) {
        if (tenants.size() > MAX_TRACKED_TENANTS) {
            tenants.values().removeIf(state -> state.pending.get() == 0);
        }
        return tenants.computeIfAbsent(tenant, t -> new TenantState());
    }

    private static Permit once(TenantState state) {
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                state.pending.decrementAndGet();
            }
        };
    }
}
