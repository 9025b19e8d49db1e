package org.jkexec.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The range algebra against a model that is obviously right: a bitmap of a small address
 * space (addresses 0..SPACE-1), one bit per byte.
 */
class MemRangesProperties {
    static final int SPACE = 512;

    record Span(long base, long size) {}

    @Provide
    Arbitrary<List<Span>> spans() {
        Arbitrary<Span> s = Combinators.combine(
                        Arbitraries.longs().between(0, SPACE - 1),
                        Arbitraries.longs().between(1, 64))
                .as((b, n) -> new Span(b, Math.min(n, SPACE - b)));
        return s.list().ofMaxSize(40);
    }

    static boolean[] model(MemRanges r) {
        boolean[] bits = new boolean[SPACE];
        for (int i = 0; i < r.size(); i++) {
            for (long a = r.start(i); a <= r.end(i); a++) {
                bits[(int) a] = true;
            }
        }
        return bits;
    }

    static boolean[] model(List<Span> spans) {
        boolean[] bits = new boolean[SPACE];
        for (Span s : spans) {
            for (long a = s.base(); a < s.base() + s.size(); a++) {
                bits[(int) a] = true;
            }
        }
        return bits;
    }

    static MemRanges build(List<Span> spans) {
        MemRanges r = new MemRanges();
        for (Span s : spans) {
            r.add(s.base(), s.size());
        }
        return r;
    }

    @Property
    void addCoversExactlyTheUnion(@ForAll("spans") List<Span> spans) {
        assertArrayEquals(model(spans), model(build(spans)));
    }

    @Property
    void sortMergeGivesCanonicalListOfTheSameUnion(@ForAll("spans") List<Span> spans) {
        MemRanges r = build(spans);
        r.sort(true);
        assertArrayEquals(model(spans), model(r));
        for (int i = 1; i < r.size(); i++) {
            assertTrue(r.start(i) > r.end(i - 1) + 1, "sorted, disjoint and not adjacent: " + r);
        }
    }

    @Property
    void sortWithoutMergeKeepsEveryRange(@ForAll("spans") List<Span> spans) {
        MemRanges r = build(spans);
        int n = r.size();
        r.sort(false);
        assertEquals(n, r.size());
        for (int i = 1; i < r.size(); i++) {
            assertTrue(r.start(i - 1) <= r.start(i));
        }
    }

    @Property
    void excludeRemovesExactlyTheInterval(@ForAll("spans") List<Span> spans, @ForAll("spans") List<Span> cuts) {
        MemRanges r = build(spans);
        r.sort(true);
        boolean[] expected = model(spans);
        for (Span c : cuts) {
            r.exclude(c.base(), c.base() + c.size() - 1);
            for (long a = c.base(); a < c.base() + c.size(); a++) {
                expected[(int) a] = false;
            }
            assertArrayEquals(expected, model(r));
        }
        for (int i = 1; i < r.size(); i++) {
            assertTrue(r.start(i) > r.end(i - 1), "still sorted and disjoint");
        }
    }

    @Property
    void capacityGrowsInKernelChunks(@ForAll("spans") List<Span> spans) {
        MemRanges r = build(spans);
        int c = r.capacity();
        assertTrue(c == 0 || (c - 127) % 128 == 0, "capacity " + c + " is one of 127, 255, 383, ...");
        assertTrue(r.size() <= Math.max(c, 0));
    }
}
