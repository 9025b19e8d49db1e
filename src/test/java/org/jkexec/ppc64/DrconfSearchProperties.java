package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jkexec.fdt.Fdt;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;

/**
 * The shortcuts the planner takes on large machines, against the plain walk over every LMB:
 * searching ascending LMBs by address, and writing linux,drconf-usable-memory for only the
 * LMBs that may meet a usable range.
 */
class DrconfSearchProperties {
    static final long LMB = 16L << 20;

    /** LMB bases in 16 MiB units: ascending with gaps, or in any order, repeats and overlaps included. */
    @Provide
    Arbitrary<long[]> bases() {
        Arbitrary<long[]> ascending = Arbitraries.integers()
                .between(0, 3)
                .array(int[].class)
                .ofMinSize(1)
                .ofMaxSize(40)
                .map(gaps -> {
                    long[] b = new long[gaps.length];
                    long at = 0;
                    for (int i = 0; i < gaps.length; i++) {
                        at += gaps[i] * LMB + (i == 0 ? 0 : LMB);
                        b[i] = at;
                    }
                    return b;
                });
        Arbitrary<long[]> anyOrder = Arbitraries.longs()
                .between(0, 80)
                .array(long[].class)
                .ofMinSize(1)
                .ofMaxSize(40)
                .map(units -> {
                    long[] b = units.clone();
                    for (int i = 0; i < b.length; i++) {
                        b[i] = b[i] * LMB / 2; // half-LMB steps: some LMBs overlap
                    }
                    return b;
                });
        return Arbitraries.oneOf(ascending, anyOrder);
    }

    @Provide
    Arbitrary<List<MemRange>> usable() {
        return Arbitraries.longs().between(0, 100L * LMB).list().ofMaxSize(8).map(points -> {
            List<MemRange> out = new ArrayList<>();
            for (int i = 0; i + 1 < points.size(); i += 2) {
                long a = Math.min(points.get(i), points.get(i + 1));
                long b = Math.max(points.get(i), points.get(i + 1));
                out.add(new MemRange(a, b));
            }
            return out;
        });
    }

    static DrconfMemory lmbs(long[] bases) {
        byte[] v = new byte[4 + 24 * bases.length];
        Cells.putU32(v, 0, bases.length);
        for (int i = 0; i < bases.length; i++) {
            Cells.putU64(v, 4 + 24 * i, bases[i]);
            Cells.putU32(v, 4 + 24 * i + 20, DrconfMemory.ASSIGNED);
        }
        Fdt t = new org.jkexec.capture.SyntheticMachine(4L << 30, LMB, 1, 1, 1, 256L << 20, 0).tree();
        t.node(DrconfMemory.NODE).orElseThrow().setProperty("ibm,dynamic-memory", v);
        return DrconfMemory.of(t).orElseThrow();
    }

    @Property
    void searchesAgreeWithAWalk(@ForAll("bases") long[] bases, @ForAll long address) {
        DrconfMemory d = lmbs(bases);
        boolean ascending = true;
        boolean apart = true;
        for (int i = 1; i < bases.length; i++) {
            ascending &= Long.compareUnsigned(bases[i], bases[i - 1]) > 0;
            apart &= Long.compareUnsigned(bases[i], bases[i - 1] + LMB - 1) > 0;
        }
        assertEquals(ascending, d.ascending());
        assertEquals(ascending && apart, d.ascendingApart());
        if (!ascending) {
            return;
        }
        for (long a :
                new long[] {address, Math.floorMod(address, 100L * LMB), bases[0], bases[bases.length - 1] + LMB}) {
            int firstEnding = 0;
            while (firstEnding < bases.length && Long.compareUnsigned(bases[firstEnding] + LMB - 1, a) < 0) {
                firstEnding++;
            }
            int firstStarting = 0;
            while (firstStarting < bases.length && Long.compareUnsigned(bases[firstStarting], a) <= 0) {
                firstStarting++;
            }
            assertEquals(firstEnding, d.firstEndingAtOrAbove(a));
            assertEquals(firstStarting, d.firstStartingAbove(a));
        }
    }

    /** The whole property is each LMB's own entry, in LMB order, however the LMBs are listed. */
    @Property
    void usableMemoryIsEachLmbsOwnEntryInOrder(@ForAll("bases") long[] bases, @ForAll("usable") List<MemRange> usable) {
        MemRanges u = MemRanges.of(new ArrayList<>(usable));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (long b : bases) {
            expected.writeBytes(UsableMemory.drconfUsableMemory(lmbs(new long[] {b}), u));
        }
        assertArrayEquals(expected.toByteArray(), UsableMemory.drconfUsableMemory(lmbs(bases), u));
    }
}
