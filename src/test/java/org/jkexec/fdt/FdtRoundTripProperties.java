package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jkexec.JkexecException;

/** Random trees through both writers and back; random corruption of real blobs. */
class FdtRoundTripProperties {

    /** Few letters, so names often share tails and collide. */
    private static String randomName(Random r, int maxLength) {
        int len = 1 + r.nextInt(maxLength);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append("abc,#-".charAt(r.nextInt(6)));
        }
        return sb.toString();
    }

    private static byte[] randomValue(Random r) {
        switch (r.nextInt(4)) {
            case 0 -> {
                return (randomName(r, 12) + "\0").getBytes(StandardCharsets.ISO_8859_1);
            }
            case 1 -> {
                byte[] cells = new byte[4 * r.nextInt(5)];
                r.nextBytes(cells);
                return cells;
            }
            default -> {
                byte[] b = new byte[r.nextInt(30)];
                r.nextBytes(b);
                return b;
            }
        }
    }

    /** A random tree built with every way of adding things. */
    static Fdt randomTree(Random r, int maxNodes) {
        Fdt fdt = Fdt.empty();
        fdt.setBootCpuidPhys(r.nextInt(8));
        for (int i = r.nextInt(4); i > 0; i--) {
            fdt.reserveMap().add(new ReserveEntry(r.nextLong(), 1 + (r.nextLong() >>> 1)));
        }
        int nodes = 1 + r.nextInt(maxNodes);
        for (int i = 0; i < nodes; i++) {
            List<FdtNode> all = fdt.root().descendants();
            FdtNode n = all.get(r.nextInt(all.size()));
            for (int p = r.nextInt(5); p > 0; p--) {
                String name = randomName(r, 70);
                switch (r.nextInt(3)) {
                    case 0 -> n.setProperty(name, randomValue(r));
                    case 1 -> n.appendProperty(name, randomValue(r));
                    default -> {
                        if (!n.hasProperty(name)) {
                            n.appendPropertyAtEnd(name, randomValue(r));
                        }
                    }
                }
            }
            if (n.depth() < 6) {
                String name = randomName(r, 8) + (r.nextBoolean() ? "@" + Integer.toHexString(r.nextInt(64)) : "");
                try {
                    if (r.nextBoolean()) {
                        n.addChild(name);
                    } else {
                        n.appendChild(name);
                    }
                } catch (JkexecException exists) {
                    // a name libfdt would find among the children: fine, skip it
                }
            }
            if (r.nextInt(10) == 0 && !n.properties().isEmpty()) {
                n.deleteProperty(n.properties().get(0).name());
            }
        }
        return fdt;
    }

    @Property(tries = 300)
    void compactBlobParsesBackEqual(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int maxNodes) {
        Fdt fdt = randomTree(new Random(seed), maxNodes);
        byte[] compact = fdt.toBlob();
        Fdt back = Fdt.parse(compact, "compact");
        assertEquals(Optional.empty(), fdt.firstDifference(back));
        assertArrayEquals(compact, back.toBlob());
        assertEquals(fdt.toDts(), back.toDts());
        assertEquals(compact.length, FdtFormat.getInt(compact, 4));
    }

    @Property(tries = 300)
    void inPlaceBlobParsesBackEqual(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int maxNodes,
            @ForAll @IntRange(min = 0, max = 5000) int slack) {
        Fdt fdt = randomTree(new Random(seed), maxNodes);
        int size = fdt.inPlaceMinimumSize() + slack;
        byte[] image = fdt.toBlobInPlace(size);
        assertEquals(size, image.length);
        Fdt back = Fdt.parse(image, "in place");
        assertEquals(Optional.empty(), fdt.firstDifference(back));
        assertEquals(fdt.inPlaceContentSize(), back.inPlaceContentSize());
        // an unedited in-order v17 image opens into itself
        assertArrayEquals(image, back.toBlobInPlace(size));
        assertArrayEquals(image, fdt.copy().toBlobInPlace(size));
    }

    @Provide
    Arbitrary<String> realBlobs() {
        return Arbitraries.of("slof-k1", "kernel-k2", "kexec-tools-k2", "compact", "gaps-and-junk", "v16-in-order");
    }

    /** Corrupted real blobs: parsed, or refused with a JkexecException naming the source; nothing else. */
    @Property(tries = 400)
    void corruptedBlobsNeverThrowAnythingElse(@ForAll("realBlobs") String name, @ForAll long seed) {
        Random r = new Random(seed);
        byte[] b = LibfdtEquivalenceProperties.source(name).clone();
        int flips = 1 + r.nextInt(8);
        for (int i = 0; i < flips; i++) {
            // mostly the header and the start of the struct block, where lengths and offsets are
            int at = r.nextInt(3) == 0 ? r.nextInt(b.length) : r.nextInt(Math.min(b.length, 512));
            b[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : b[at] ^ (1 << r.nextInt(8)));
        }
        if (r.nextInt(4) == 0) {
            b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
        }
        Fdt fdt;
        try {
            fdt = Fdt.parse(b, "fuzz");
        } catch (JkexecException e) {
            assertTrue(e.getMessage().startsWith("fuzz: "), e.getMessage());
            return;
        }
        fdt.toDts();
        Fdt back = Fdt.parse(fdt.toBlob(), "back");
        assertEquals(Optional.empty(), fdt.firstDifference(back));
        byte[] image = fdt.toBlobInPlace(fdt.inPlaceMinimumSize());
        assertEquals(Optional.empty(), fdt.firstDifference(Fdt.parse(image, "image")));
    }
}
