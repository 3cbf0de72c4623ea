package io.openbio.gateway.browser;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A fake camera the test repaints while the browser plays it: a y4m file of one frame that Chromium
 * loops, reading the frame from the file again each time (its y4m reader reads frame by frame; it
 * does not map the file), so writing a new picture over that frame changes what the camera films
 * from the next frame on. This lets a test act in front of the camera in step with the page
 * (turn the head when the prompt says so) without anything in the page knowing.
 */
public final class LiveY4m implements AutoCloseable {
    private final FileChannel channel;
    private final long frameOffset;
    private final int width;
    private final int height;

    private LiveY4m(FileChannel channel, long frameOffset, int width, int height) {
        this.channel = channel;
        this.frameOffset = frameOffset;
        this.width = width;
        this.height = height;
    }

    /** Creates {@code file} showing {@code first}; the browser may open it from now on. */
    public static LiveY4m create(Path file, BufferedImage first, int fps) throws IOException {
        int width = first.getWidth();
        int height = first.getHeight();
        byte[] header = Y4mWriter.header(width, height, fps);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.write(ByteBuffer.wrap(header), 0);
        channel.write(ByteBuffer.wrap(Y4mWriter.FRAME_MARKER), header.length);
        LiveY4m live = new LiveY4m(channel, header.length + Y4mWriter.FRAME_MARKER.length, width, height);
        live.show(first);
        return live;
    }

    /** Puts {@code image} in front of the camera (same size as the first picture). */
    public synchronized void show(BufferedImage image) throws IOException {
        ByteBuffer planes = ByteBuffer.wrap(Y4mWriter.i420(image, width, height));
        long position = frameOffset;
        while (planes.hasRemaining()) {
            position += channel.write(planes, position);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
