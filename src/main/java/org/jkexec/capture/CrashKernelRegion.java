package org.jkexec.capture;

import org.jkexec.memory.MemRange;
import org.jkexec.units.Hex;

/**
 * The memory reserved with {@code crashkernel=} (the kernel's {@code crashk_res}); kdump segments
 * and the kexec_load entry point must lie inside it.
 *
 * @param start  first byte
 * @param end    last byte (inclusive, as /proc/iomem prints it)
 * @param source where it was read from, for messages
 */
public record CrashKernelRegion(long start, long end, String source) {
    public CrashKernelRegion {
        if (Long.compareUnsigned(end, start) < 0) {
            throw new IllegalArgumentException("empty crash kernel region");
        }
    }

    /** The region as a range. */
    public MemRange range() {
        return new MemRange(start, end);
    }

    public long size() {
        return end - start + 1;
    }

    /** True when {@code [address, address + size)} lies inside the region. */
    public boolean contains(long address, long size) {
        long last = address + size - 1;
        return Long.compareUnsigned(address, start) >= 0
                && Long.compareUnsigned(last, end) <= 0
                && Long.compareUnsigned(last, address) >= 0;
    }

    @Override
    public String toString() {
        return Hex.range(start, end);
    }
}
