package org.jkexec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jkexec.memory.MemRange;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The range algebra the checks rest on, against a byte-by-byte model on a small address space. */
class RangesProperties {
    static final int SPACE = 64;

    @Provide
    Arbitrary<List<MemRange>> ranges() {
        Arbitrary<MemRange> r = Combinators.combine(Arbitraries.integers().between(0, SPACE - 1),
                Arbitraries.integers().between(0, SPACE - 1)).as((a, b) -> new MemRange(Math.min(a, b), Math.max(a, b)));
        return r.list().ofMaxSize(6);
    }

    static boolean[] bits(List<MemRange> l) {
        boolean[] b = new boolean[SPACE];
        for (MemRange r : l) {
            for (long i = r.start(); i <= r.end(); i++) {
                b[(int) i] = true;
            }
        }
        return b;
    }

    @Property
    void operationsMatchTheModel(@ForAll("ranges") List<MemRange> a, @ForAll("ranges") List<MemRange> b) {
        boolean[] x = bits(a);
        boolean[] y = bits(b);
        boolean[] u = bits(Ranges.union(a, b));
        boolean[] s = bits(Ranges.subtract(a, b));
        boolean[] n = bits(Ranges.intersect(a, b));
        for (int i = 0; i < SPACE; i++) {
            assertEquals(x[i] || y[i], u[i]);
            assertEquals(x[i] && !y[i], s[i]);
            assertEquals(x[i] && y[i], n[i]);
        }
        List<MemRange> norm = Ranges.normalize(a);
        for (int i = 1; i < norm.size(); i++) {
            assertTrue(norm.get(i).start() > norm.get(i - 1).end() + 1, "sorted, disjoint, not adjacent: " + norm);
        }
        List<MemRange> again = new ArrayList<>(Ranges.union(Ranges.subtract(a, b), Ranges.intersect(a, b)));
        assertEquals(norm, again);
    }

    @Property
    void roundOutContainsAndIsAligned(@ForAll("ranges") List<MemRange> a) {
        for (MemRange r : a) {
            MemRange o = Ranges.roundOut(r, 16);
            assertTrue(o.contains(r));
            assertEquals(0, o.start() % 16);
            assertEquals(0, (o.end() + 1) % 16);
        }
    }
}
