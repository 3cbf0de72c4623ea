package io.openbio.processors.core;

import java.util.function.Supplier;

/** Made on first use, then shared: what a stage loads only when a request needs it (models, key stores). */
public final class Lazily {
    private Lazily() {
    }

    /**
     * {@code make}'s value, made by the first caller of {@code get()} (the others wait for it) and then kept; a
     * failure is not kept, so the next caller tries again.
     */
    public static <T> Supplier<T> once(Supplier<T> make) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T local = value;
                if (local == null) {
                    synchronized (this) {
                        local = value;
                        if (local == null) {
                            local = make.get();
                            value = local;
                        }
                    }
                }
                return local;
            }
        };
    }
}
