package org.jkexec.kexec;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.jkexec.units.Hex;

/**
 * One kexec segment: {@code data} is copied to physical {@code mem}; the rest of
 * {@code memsz} (page aligned) is zero-filled, as kexec_load(2) and kexec_file_load(2) do.
 *
 * @param kind  what the segment holds
 * @param data  the bytes to copy, all of them (bufsz = data.capacity(), may be shorter than memsz):
 *              an array, or a view of a mapped file (a kernel's PT_LOAD, an initrd), so a large
 *              input is never copied onto the heap just to be planned
 * @param mem   physical destination
 * @param memsz bytes reserved at the destination (multiple of the page size)
 */
public record Segment(SegmentKind kind, ByteBuffer data, long mem, long memsz) {
    public Segment {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(data);
        if (Long.compareUnsigned(data.capacity(), memsz) > 0) {
            throw new IllegalArgumentException(
                    kind + ": bufsz " + Hex.hex(data.capacity()) + " exceeds memsz " + Hex.hex(memsz));
        }
    }

    public Segment(SegmentKind kind, byte[] buffer, long mem, long memsz) {
        this(kind, ByteBuffer.wrap(buffer), mem, memsz);
    }

    /** The bytes as an array: the segment's own when it holds one, else a copy of the view. */
    public byte[] buffer() {
        if (data.hasArray() && data.arrayOffset() == 0 && data.array().length == data.capacity()) {
            return data.array();
        }
        byte[] out = new byte[data.capacity()];
        data.duplicate().clear().get(out);
        return out;
    }

    public long bufsz() {
        return data.capacity();
    }

    /** Inclusive last byte of the destination. */
    public long end() {
        return mem + memsz - 1;
    }
}
