package org.jkexec.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The set verbs on ranges, against a byte-by-byte model on a small address space. */
class RangeSetProperties {
    static final int SPACE = 64;

    @Provide
    Arbitrary<List<MemRange>> ranges() {
        Arbitrary<MemRange> r = Combinators.combine(
                        Arbitraries.integers().between(0, SPACE - 1),
                        Arbitraries.integers().between(0, SPACE - 1))
                .as((a, b) -> new MemRange(Math.min(a, b), Math.max(a, b)));
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
        RangeSet sa = RangeSet.of(a);
        RangeSet sb = RangeSet.of(b);
        boolean[] u = bits(sa.union(sb).ranges());
        boolean[] s = bits(sa.minus(sb).ranges());
        boolean[] n = bits(sa.intersect(sb).ranges());
        for (int i = 0; i < SPACE; i++) {
            assertEquals(x[i] || y[i], u[i]);
            assertEquals(x[i] && !y[i], s[i]);
            assertEquals(x[i] && y[i], n[i]);
        }
        List<MemRange> norm = sa.ranges();
        for (int i = 1; i < norm.size(); i++) {
            assertTrue(norm.get(i).start() > norm.get(i - 1).end() + 1, "sorted, disjoint, not adjacent: " + norm);
        }
        assertEquals(sa, sa.minus(sb).union(sa.intersect(sb)));
        for (MemRange r : a) {
            assertEquals(
                    sb.covers(r),
                    sa.intersect(sb).covers(r) || RangeSet.of(r).minus(sb).isEmpty());
            for (MemRange q : b) {
                assertEquals(
                        RangeSet.of(r).intersect(RangeSet.of(q)).ranges(),
                        r.intersect(q).stream().toList());
                assertEquals(RangeSet.of(r).minus(RangeSet.of(q)).ranges(), r.minus(q));
            }
        }
    }

    @Property
    void roundOutContainsAndIsAligned(@ForAll("ranges") List<MemRange> a) {
        for (MemRange r : a) {
            MemRange o = r.roundOut(16);
            assertTrue(o.contains(r));
            assertEquals(0, o.start() % 16);
            assertEquals(0, (o.end() + 1) % 16);
        }
    }
}
