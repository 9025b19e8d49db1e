package org.jkexec.app;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The bytes of a buffer as a stream, read where they are: a mapped kernel or initrd is
 * decompressed or counted without being copied onto the heap first.
 */
final class BufferInput extends InputStream {
    private final ByteBuffer b;

    BufferInput(ByteBuffer b) {
        this.b = b;
    }

    @Override
    public int read() {
        return b.hasRemaining() ? b.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] dst, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!b.hasRemaining()) {
            return -1;
        }
        int n = Math.min(len, b.remaining());
        b.get(dst, off, n);
        return n;
    }
}
