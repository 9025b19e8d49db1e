package org.jkexec.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Minimal ELF64 kernels: one PT_LOAD at physical 0 like a ppc64le vmlinux. Tests plan with them, and
 * {@code jkexec synth --kernel} writes one so that a plan (the installed package's class-data training)
 * needs no real kernel.
 */
public final class SyntheticKernel {
    private SyntheticKernel() {}

    /** A little-endian ppc64 ET_EXEC with one PT_LOAD of {@code memsz} bytes (64 KiB of file data), aligned {@code align}. */
    public static byte[] ppc64le(long memsz, long align) {
        return elf(
                ByteOrder.LITTLE_ENDIAN,
                21,
                2,
                new long[][] {{1, 7, 0x10000, 0xc000000000000000L, 0, 0x10000, memsz, align}},
                0x10000 + 0x10000);
    }

    /**
     * A kernel shaped like the bundled capture's vmlinux (one PT_LOAD at physical 0 of 0x7dd530
     * bytes in memory, 64 KiB aligned) but carrying 4 KiB of file data instead of 7.3 MiB: what
     * the planner reads of a kernel is its headers, and copying megabytes per plan would make
     * fuzzing campaigns a hundred times slower.
     */
    public static byte[] vmlinuxLike() {
        return elf(
                ByteOrder.LITTLE_ENDIAN,
                21,
                2,
                new long[][] {{1, 7, 0x1000, 0xc000000000000000L, 0, 0x1000, 0x7dd530, 0x10000}},
                0x2000);
    }

    /**
     * An ELF64 with the given program headers (each {type, flags, offset, vaddr, paddr, filesz, memsz, align})
     * and {@code fileSize} bytes in all; segment bytes are a recognisable pattern.
     */
    public static byte[] elf(ByteOrder order, int machine, int type, long[][] phdrs, int fileSize) {
        ByteBuffer b =
                ByteBuffer.allocate(Math.max(fileSize, 64 + 56 * phdrs.length)).order(order);
        b.put(0, (byte) 0x7f).put(1, (byte) 'E').put(2, (byte) 'L').put(3, (byte) 'F');
        b.put(4, (byte) 2)
                .put(5, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2))
                .put(6, (byte) 1);
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1);
        b.putLong(24, 0xc000000000000000L).putLong(32, 64);
        b.putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) phdrs.length);
        for (int i = 0; i < phdrs.length; i++) {
            int o = 64 + 56 * i;
            long[] p = phdrs[i];
            b.putInt(o, (int) p[0]).putInt(o + 4, (int) p[1]);
            for (int f = 2; f < 8; f++) {
                b.putLong(o + 8 * (f - 1), p[f]);
            }
        }
        for (int i = 64 + 56 * phdrs.length; i < b.capacity(); i++) {
            b.put(i, (byte) (i * 31));
        }
        return b.array();
    }
}
