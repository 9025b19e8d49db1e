package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Megabyte trees round-trip and take kernel-style edits correctly. How fast is measured by
 * {@code org.jkexec.bench.FdtBenchmark}, not here.
 */
class FdtLargeTreeTest {

    /** About 1 MB: 4000 nodes of 12 properties, names from a pool of 300. */
    static Fdt bigTree() {
        Fdt fdt = Fdt.empty();
        FdtNode parent = fdt.root();
        for (int i = 0; i < 4000; i++) {
            if (i % 100 == 0) {
                parent = fdt.root().appendChild("group@" + i);
            }
            FdtNode n = parent.appendChild("node@" + Integer.toHexString(i));
            for (int p = 0; p < 12; p++) {
                byte[] value = new byte[4 + (i + p) % 29];
                value[0] = (byte) i;
                n.appendPropertyAtEnd("prop-" + ((i * 7 + p * 13) % 300), value);
            }
        }
        return fdt;
    }

    @Test
    void anOwnedBlobGivesTheSameTreeAndImagesAsACopiedOne() {
        Fdt fdt = bigTree();
        FdtNode big = fdt.root().appendChild("big");
        byte[] large = new byte[3 * FdtParser.SHARED_VALUE_MIN + 3];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 7);
        }
        big.appendPropertyAtEnd("large", large);
        big.appendPropertyAtEnd("after", new byte[] {1, 2, 3});
        byte[] blob = fdt.toBlob();
        Fdt copied = Fdt.parse(blob, "copied");
        Fdt owned = Fdt.parseOwned(blob.clone(), "owned");
        assertEquals(Optional.empty(), copied.firstDifference(owned));
        FdtNode ownedBig = owned.node("/big").orElseThrow();
        assertTrue(java.util.Arrays.equals(large, ownedBig.value("large").orElseThrow()));
        assertEquals(large.length, ownedBig.valueView("large").orElseThrow().capacity());
        assertEquals(large[5], ownedBig.valueView("large").orElseThrow().get(5));
        assertEquals(copied.node("/big").orElseThrow().property("large"), ownedBig.property("large"));
        assertEquals(
                copied.node("/big")
                        .orElseThrow()
                        .property("large")
                        .orElseThrow()
                        .hashCode(),
                ownedBig.property("large").orElseThrow().hashCode());
        // kernel-style edits on both, then the same images
        for (Fdt t : java.util.List.of(copied, owned)) {
            t.node("/big").orElseThrow().deleteProperty("after");
            t.root().child("group@0").ifPresent(g -> t.root().deleteChild(g));
        }
        assertTrue(java.util.Arrays.equals(copied.toBlob(), owned.toBlob()));
        int size = copied.inPlaceMinimumSize() + 64;
        assertTrue(java.util.Arrays.equals(copied.toBlobInPlace(size), owned.toBlobInPlace(size)));
    }

    @Test
    void megabyteTreeRoundTrips() {
        Fdt fdt = bigTree();
        byte[] blob = fdt.toBlob();
        assertTrue(blob.length > 1_000_000, "blob is " + blob.length + " bytes");
        Fdt parsed = Fdt.parse(blob, "big");
        byte[] again = parsed.toBlob();
        byte[] image = parsed.toBlobInPlace(blob.length + 4096);
        String dts = parsed.toDts();
        assertEquals(blob.length, again.length);
        assertEquals(Optional.empty(), fdt.firstDifference(Fdt.parse(image, "image")));
        assertTrue(dts.length() > blob.length);
    }

    @Test
    void manyEditsOnABigTree() {
        Fdt fdt = Fdt.parse(bigTree().toBlob(), "big");
        // kernel-style edits: new properties in front, resizes, deletions, reserve entries
        for (FdtNode n : fdt.root().children().get(3).children()) {
            n.setProperty("linux,usable-memory", new byte[16]);
            n.setProperty("prop-1", new byte[7]);
            n.deleteProperty("prop-2");
            fdt.reserveMap().add(new ReserveEntry(0x1000, 0x1000));
        }
        fdt.root().setProperty("brand-new-name", new byte[3]);
        assertEquals(
                Optional.empty(), fdt.firstDifference(Fdt.parse(fdt.toBlobInPlace(fdt.inPlaceMinimumSize()), "image")));
    }
}
