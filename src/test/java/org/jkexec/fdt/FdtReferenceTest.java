package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser, writers and printer against the captured blobs and dtc's output for them. */
class FdtReferenceTest {

    static List<Arguments> blobs() {
        List<Arguments> out = new ArrayList<>();
        for (String loader : References.LOADERS) {
            out.add(Arguments.of(loader, "k1"));
            out.add(Arguments.of(loader, "k2"));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("blobs")
    void dtsIsWhatDtcPrinted(String loader, String which) {
        Fdt fdt = References.parse(loader, which + "-fdt.bin");
        String expected = References.latin1(loader, which + "-fdt.dts");
        String actual = fdt.toDts();
        if (!expected.equals(actual)) {
            // point at the first differing line rather than dumping 30 KB
            String[] e = expected.split("\n", -1);
            String[] a = actual.split("\n", -1);
            for (int i = 0; i < Math.min(e.length, a.length); i++) {
                assertEquals(e[i], a[i], "line " + (i + 1));
            }
            assertEquals(e.length, a.length, "line count");
        }
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("blobs")
    void compactBlobParsesBackToTheSameTree(String loader, String which) {
        Fdt fdt = References.parse(loader, which + "-fdt.bin");
        byte[] compact = fdt.toBlob();
        Fdt again = Fdt.parse(compact, "compact");
        assertEquals(Optional.empty(), fdt.firstDifference(again));
        assertEquals(fdt.toDts(), again.toDts());
        // compact form: header, map at 40, struct, strings, nothing else; stable when repeated
        assertEquals(compact.length, FdtFormat.getInt(compact, 4));
        assertEquals(40, FdtFormat.getInt(compact, 16));
        assertEquals(17, FdtFormat.getInt(compact, 20));
        assertEquals(16, FdtFormat.getInt(compact, 24));
        assertEquals(compact.length, FdtFormat.getInt(compact, 12) + FdtFormat.getInt(compact, 32));
        assertEquals(FdtFormat.getInt(compact, 12), FdtFormat.getInt(compact, 8) + FdtFormat.getInt(compact, 36));
        assertArrayEquals(compact, again.toBlob());
    }

    /** Both v17 captures are in canonical order, so fdt_open_into leaves them as they are. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.jkexec.fdt.References#loaders")
    void inPlaceImageOfAnUneditedV17BlobIsTheBlob(String loader) {
        byte[] blob = References.bytes(loader, "k2-fdt.bin");
        Fdt fdt = Fdt.parse(blob, "k2");
        assertEquals(17, fdt.version());
        assertArrayEquals(blob, fdt.toBlobInPlace(blob.length));
        // the content ends with the strings block; the rest was slack in the source
        int stringsEnd = FdtFormat.getInt(blob, 12) + FdtFormat.getInt(blob, 32);
        assertEquals(stringsEnd, fdt.inPlaceContentSize());
        assertEquals(blob.length, fdt.inPlaceMinimumSize(), "fdt_move needs the whole source");
    }

    @Test
    void inPlaceImageOfAnUneditedCompactBlobIsTheBlob() {
        byte[] compact = References.parse(References.KERNEL, "k1-fdt.bin").toBlob();
        Fdt fdt = Fdt.parse(compact, "compact");
        assertArrayEquals(compact, fdt.toBlobInPlace(compact.length));
        assertEquals(compact.length, fdt.inPlaceContentSize());
        byte[] bigger = fdt.toBlobInPlace(compact.length + 100);
        assertEquals(compact.length + 100, FdtFormat.getInt(bigger, 4));
        for (int i = compact.length; i < bigger.length; i++) {
            assertEquals(0, bigger[i]);
        }
    }

    /**
     * SLOF's blob (k1) is version 16 with the strings block in front of the struct block, so
     * fdt_open_into packs it: header | map | struct | strings, copying the struct block as it
     * is, NOP tags and SLOF's non-zero padding included. The simulator is a direct port of
     * libfdt's fdt_open_into.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.jkexec.fdt.References#loaders")
    void inPlaceImageOfSlofBlobIsWhatFdtOpenIntoGives(String loader) {
        byte[] blob = References.bytes(loader, "k1-fdt.bin");
        Fdt fdt = Fdt.parse(blob, "k1");
        assertEquals(16, fdt.version());
        int size = blob.length + 0x1000;
        LibfdtSimulator sim = LibfdtSimulator.openInto(blob, size);
        byte[] image = fdt.toBlobInPlace(size);
        assertArrayEquals(sim.buffer(), image);
        assertEquals(sim.dataSize(), fdt.inPlaceContentSize());
        assertEquals(40, FdtFormat.getInt(image, 16));
        assertEquals(17, FdtFormat.getInt(image, 20));
        assertEquals(16, FdtFormat.getInt(image, 24));
        assertEquals(Optional.empty(), fdt.firstDifference(Fdt.parse(image, "image")));
    }

    @Test
    void kdumpKernelFdtHasItsNopsSkippedAndKept() {
        byte[] blob = References.bytes(References.KERNEL, "k2-fdt.bin");
        Fdt fdt = Fdt.parse(blob, "k2");
        FdtNode chosen = fdt.node("/chosen").orElseThrow();
        // the kdump kernel read rng-seed and then overwrote it with NOP tags
        assertFalse(chosen.hasProperty("rng-seed"));
        assertTrue(chosen.hasProperty("linux,booted-from-kexec"));
        assertTrue(chosen.hasProperty("linux,elfcorehdr"));
        assertEquals(46, countNops(blob), "11 from SLOF + 35 for the 128-byte rng-seed");
        assertEquals(46, countNops(fdt.toBlobInPlace(blob.length)));
        assertEquals(0, countNops(fdt.toBlob()));
    }

    /** NOP tags in a blob's struct block, counted by the libfdt port, independent of the parser. */
    private static int countNops(byte[] blob) {
        return LibfdtSimulator.openInto(blob, blob.length).countNops();
    }

    @Test
    void headerFieldsAreRead() {
        Fdt k2 = References.parse(References.KERNEL, "k2-fdt.bin");
        assertEquals(1, k2.bootCpuidPhys());
        assertEquals(6, k2.reserveMap().size());
        assertEquals(new ReserveEntry(0x2ffff000L, 0x1000), k2.reserveMap().get(0));
        FdtNode root = k2.root();
        assertEquals("", root.name());
        assertEquals("/", root.path());
        assertEquals(2L, root.u32("#address-cells").orElseThrow());
        FdtNode cpu = k2.node("/cpus/PowerPC,POWER9@0").orElseThrow();
        assertEquals("/cpus/PowerPC,POWER9@0", cpu.path());
        assertEquals("cpu", cpu.string("device_type").orElseThrow());
        assertEquals(Optional.empty(), k2.node("/cpus/PowerPC,POWER9"), "exact names only");
        assertEquals(Optional.empty(), k2.node("cpus"));
        assertTrue(k2.node("/cpus/").isPresent());
    }

    /**
     * /proc/device-tree of the first kernel against its /sys/firmware/fdt: the same nodes, and
     * every property of the blob is in the directory tree with the same value.
     * The live tree has extra files (a "name" per node, properties the kernel adds), and Linux
     * shows properties named security-* as empty files.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.jkexec.fdt.References#loaders")
    void liveDirectoryTreeAgreesWithTheBootBlob(String loader, @TempDir Path tmp) throws Exception {
        References.untar(References.file(loader, "k1-devicetree.tgz"), tmp);
        Fdt live = Fdt.readDirectory(tmp);
        Fdt boot = References.parse(loader, "k1-fdt.bin");
        assertEquals("", live.root().name());
        int compared = 0;
        int hidden = 0;
        List<String> missingNodes = new ArrayList<>();
        List<String> liveOnly = new ArrayList<>();
        for (FdtNode n : boot.root().descendants()) {
            Optional<FdtNode> l = live.node(n.path());
            if (l.isEmpty()) {
                missingNodes.add(n.path());
                continue;
            }
            for (FdtProperty p : n.properties()) {
                Optional<FdtProperty> lp = l.get().property(p.name());
                if (p.name().startsWith("security-")) {
                    // drivers/of/kobj.c: "Don't leak passwords": sysfs shows these with size 0
                    assertEquals(0, lp.orElseThrow().length(), n.path() + " " + p.name());
                    hidden++;
                } else {
                    assertTrue(lp.isPresent(), "live tree lacks " + n.path() + " " + p.name());
                    assertEquals(p, lp.get(), n.path() + " " + p.name());
                    compared++;
                }
            }
            for (FdtProperty lp : l.get().properties()) {
                if (!n.hasProperty(lp.name()) && !lp.name().equals("name")) {
                    liveOnly.add(n.path() + " " + lp.name());
                }
            }
            // properties sorted by name, then children sorted by name
            List<String> names =
                    l.get().properties().stream().map(FdtProperty::name).toList();
            assertEquals(names.stream().sorted().toList(), names);
            assertTrue(l.get().hasProperty("name"), n.path() + " has a name file");
        }
        assertEquals(List.of(), missingNodes);
        assertEquals(boot.root().descendants().size(), live.root().descendants().size(), "same node count");
        // what Linux adds to /chosen at boot
        assertEquals(
                List.of(
                        "/chosen linux,crashkernel-base",
                        "/chosen linux,crashkernel-size",
                        "/chosen linux,kernel-end",
                        "/chosen linux,memory-limit"),
                liveOnly);
        assertTrue(compared > 300, "compared " + compared + " properties");
        assertTrue(hidden > 0, "the capture has security-* properties in /options");
        // the nodes of no blob read from the same directory are the same, in the same order
        FdtNode nodes = Fdt.readDirectoryNodes(tmp);
        List<FdtNode> treeNodes = live.root().descendants();
        List<FdtNode> plainNodes = nodes.descendants();
        assertEquals(treeNodes.size(), plainNodes.size());
        for (int i = 0; i < treeNodes.size(); i++) {
            FdtNode a = treeNodes.get(i);
            FdtNode b = plainNodes.get(i);
            assertEquals(a.path(), b.path());
            assertEquals(a.properties().size(), b.properties().size(), a.path());
            for (int k = 0; k < a.properties().size(); k++) {
                assertEquals(a.properties().get(k).name(), b.properties().get(k).name(), a.path());
                assertArrayEquals(
                        a.properties().get(k).value(), b.properties().get(k).value(), a.path());
            }
        }
        // the directory tree gets its own string table, names in order of creation
        Fdt again = Fdt.parse(live.toBlobInPlace(live.inPlaceContentSize()), "live image");
        assertEquals(Optional.empty(), live.firstDifference(again));
        assertNotEquals(0, live.inPlaceContentSize());
    }
}
