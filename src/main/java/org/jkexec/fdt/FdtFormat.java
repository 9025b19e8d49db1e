package org.jkexec.fdt;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Constants and tiny helpers of the flattened device tree format (devicetree specification,
 * chapter 5; libfdt's fdt.h). Everything in a blob is big-endian.
 */
final class FdtFormat {
    private FdtFormat() {}

    static final int MAGIC = 0xd00dfeed;

    /** Size of a v17 header; a v16 header stops before size_dt_struct (36 bytes). */
    static final int HEADER_SIZE = 40;

    static final int V16_HEADER_SIZE = 36;

    /** libfdt places the reserve map at FDT_ALIGN(sizeof(struct fdt_header), 8). */
    static final int RESERVE_MAP_OFFSET = 40;

    static final int RESERVE_ENTRY_SIZE = 16;

    static final int BEGIN_NODE = 0x1;
    static final int END_NODE = 0x2;
    static final int PROP = 0x3;
    static final int NOP = 0x4;
    static final int END = 0x9;

    static final int TAG_SIZE = 4;
    /** Tag, length and name offset in front of a property's value. */
    static final int PROP_HEADER_SIZE = 12;

    /** The version this code writes, and the oldest one a v17 blob stays compatible with. */
    static final int VERSION = 17;

    static final int LAST_COMP_VERSION = 16;

    /** libfdt's FDT_LAST_SUPPORTED_VERSION: a blob whose last_comp_version is above it is refused. */
    static final int LAST_SUPPORTED_VERSION = 17;

    /**
     * Deepest node nesting accepted (the root is depth 1). Linux unflattens at most FDT_MAX_DEPTH
     * (64) levels, so a deeper blob could not describe a bootable machine; the bound also keeps the
     * recursive writers far from the Java stack limit.
     */
    static final int MAX_DEPTH = 64;

    /**
     * Most nodes and properties a tree may hold. Each costs far more memory than the 8 or 12
     * blob bytes it takes, so a small hostile blob could otherwise fill the heap; the largest
     * Power machines' trees hold a few tens of thousands of each (64 TiB, 1,920 CPUs, drconf
     * LMBs in one property), and even a tree with one memory@ node per 256 MiB of 64 TiB fits.
     */
    static final int MAX_NODES = 1 << 19;

    static final int MAX_PROPERTIES = 1 << 20;
    /** Most reserve-map entries: firmware reserves a handful of ranges; memblock itself stops at a few hundred. */
    static final int MAX_RESERVE_ENTRIES = 1 << 16;

    /**
     * Names (node and property) are byte strings in a blob; ISO-8859-1 maps every byte to one char
     * and back, so a parsed name always serialises to the bytes it came from.
     */
    static final Charset NAME_CHARSET = StandardCharsets.ISO_8859_1;

    static int align4(int n) {
        return (n + 3) & ~3;
    }

    static long align4(long n) {
        return (n + 3) & ~3L;
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static long getLong(byte[] b, int off) {
        return ((long) getInt(b, off) << 32) | (getInt(b, off + 4) & 0xffffffffL);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }
}
