package org.jkexec.ppc64;

import org.jkexec.memory.MemRange;

/** A special region of physical memory: what it is, where (inclusive range) and where the fact came from. */
public record Region(RegionKind kind, MemRange range, String source) {
    public long start() {
        return range.start();
    }

    public long size() {
        return range.size();
    }
}
