package io.openbio.gateway.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * A request body stream that runs a check before and after every read: the one wrapper the body
 * filters share ({@link PayloadLimitFilter} counts bytes, {@link BodyReadGuardFilter} watches a
 * deadline). A check refuses by throwing its exception.
 */
abstract class CheckedServletInputStream extends ServletInputStream {
    private final ServletInputStream in;

    CheckedServletInputStream(ServletInputStream in) {
        this.in = in;
    }

    /** Before each read. */
    protected void beforeRead() {
    }

    /** After each read, with the bytes it returned (0 at the end of the body). */
    protected void afterRead(int bytes) {
    }

    @Override
    public int read() throws IOException {
        beforeRead();
        int b = in.read();
        afterRead(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        beforeRead();
        int n = in.read(b, off, len);
        afterRead(Math.max(n, 0));
        return n;
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }
}
