package io.openbio.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The per-tenant quotas' decisions, without a broker. */
class TenantQuotasTest {
    static TenantQuotas quotas(long rate, long burst, int pending) {
        return new TenantQuotas(rate, burst, pending, new SimpleMeterRegistry());
    }

    @Test
    void aTenantPastItsBurstIsRefusedWithRetryAfterAndOthersAreNot() {
        TenantQuotas quotas = quotas(1, 3, 0);
        for (int i = 0; i < 3; i++) {
            quotas.admit("a");
        }
        assertThatThrownBy(() -> quotas.admit("a")).isInstanceOfSatisfying(PipelineException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterSeconds()).isEqualTo(1);
        });
        quotas.admit("b");
        assertThatThrownBy(() -> quotas.admitWaiting("a")).as("waiting requests count against the rate too")
                .isInstanceOf(PipelineException.class);
        assertThat(quotas.pending("a")).as("a refused request holds no pending place").isZero();
    }

    @Test
    void aTenantsPendingRequestsAreBoundedAndReleasedOnce() {
        TenantQuotas quotas = quotas(0, 0, 2);
        TenantQuotas.Permit first = quotas.admitWaiting("a");
        quotas.admitWaiting("a");
        assertThatThrownBy(() -> quotas.admitWaiting("a")).isInstanceOfSatisfying(PipelineException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterSeconds()).isEqualTo(1);
        });
        quotas.admitWaiting("b");
        first.release();
        first.release();
        assertThat(quotas.pending("a")).as("released once, however often called").isEqualTo(1);
        quotas.admitWaiting("a");
        assertThat(quotas.pending("a")).isEqualTo(2);
    }

    @Test
    void zeroTurnsAQuotaOff() {
        TenantQuotas quotas = quotas(0, 0, 0);
        for (int i = 0; i < 10_000; i++) {
            quotas.admitWaiting("a");
            quotas.admit("a");
        }
        assertThat(quotas.pending("a")).isZero();
    }
}
