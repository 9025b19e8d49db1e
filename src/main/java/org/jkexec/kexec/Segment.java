package org.jkexec.kexec;

import java.util.Objects;
import org.jkexec.units.Hex;

/**
 * One kexec segment: {@code buffer} is copied to physical {@code mem}; the rest of
 * {@code memsz} (page aligned) is zero-filled, as kexec_load(2) and kexec_file_load(2) do.
 *
 * @param kind   what the segment holds
 * @param buffer the bytes to copy (bufsz = buffer.length, may be shorter than memsz)
 * @param mem    physical destination
 * @param memsz  bytes reserved at the destination (multiple of the page size)
 */
public record Segment(SegmentKind kind, byte[] buffer, long mem, long memsz) {
    public Segment {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(buffer);
        if (Long.compareUnsigned(buffer.length, memsz) > 0) {
            throw new IllegalArgumentException(kind + ": bufsz " + Hex.hex(buffer.length)
                    + " exceeds memsz " + Hex.hex(memsz));
        }
    }

    public long bufsz() {
        return buffer.length;
    }

    /** Inclusive last byte of the destination. */
    public long end() {
        return mem + memsz - 1;
    }
}
