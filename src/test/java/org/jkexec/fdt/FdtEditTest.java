package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.junit.jupiter.api.Test;

/** libfdt's ordering and string-table rules, and the small accessors. */
class FdtEditTest {

    private static List<String> propertyNames(FdtNode n) {
        return n.properties().stream().map(FdtProperty::name).toList();
    }

    private static List<String> childNames(FdtNode n) {
        return n.children().stream().map(FdtNode::name).toList();
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    /** A small tree built the way a parser builds one: appended in document order. */
    private static Fdt sample() {
        Fdt fdt = Fdt.empty();
        FdtNode root = fdt.root();
        root.appendPropertyAtEnd("#address-cells", bytes(0, 0, 0, 2));
        root.appendPropertyAtEnd("#size-cells", bytes(0, 0, 0, 2));
        root.appendPropertyAtEnd("model", "m\0".getBytes(StandardCharsets.US_ASCII));
        FdtNode cpus = root.appendChild("cpus");
        cpus.appendChild("cpu@0");
        cpus.appendChild("cpu@1");
        root.appendChild("memory@0");
        return Fdt.parse(fdt.toBlob(), "sample");
    }

    @Test
    void newPropertyGoesFirstAndAnExistingOneKeepsItsPlace() {
        Fdt fdt = sample();
        FdtNode root = fdt.root();
        root.setProperty("new", bytes(1));
        assertEquals(List.of("new", "#address-cells", "#size-cells", "model"), propertyNames(root));
        root.setProperty("#size-cells", bytes(0, 0, 0, 1));
        assertEquals(List.of("new", "#address-cells", "#size-cells", "model"), propertyNames(root));
        assertEquals(1L, root.u32("#size-cells").orElseThrow());
        root.appendProperty("model", "x\0".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(
                "m\0x\0".getBytes(StandardCharsets.US_ASCII),
                root.value("model").orElseThrow());
        assertEquals(List.of("new", "#address-cells", "#size-cells", "model"), propertyNames(root));
        root.appendProperty("other", bytes(7));
        assertEquals("other", propertyNames(root).get(0));
        // the blob shows the same order
        assertEquals(
                propertyNames(root),
                propertyNames(Fdt.parse(fdt.toBlobInPlace(4096), "x").root()));
        assertEquals(
                propertyNames(root), propertyNames(Fdt.parse(fdt.toBlob(), "x").root()));
    }

    @Test
    void newChildGoesFirstAndAppendedChildLast() {
        Fdt fdt = sample();
        FdtNode root = fdt.root();
        FdtNode added = root.addChild("chosen");
        assertEquals(List.of("chosen", "cpus", "memory@0"), childNames(root));
        assertEquals("/chosen", added.path());
        assertEquals(Optional.of(root), added.parent());
        root.appendChild("zz");
        assertEquals(List.of("chosen", "cpus", "memory@0", "zz"), childNames(root));
        assertEquals(
                childNames(root),
                childNames(Fdt.parse(fdt.toBlobInPlace(4096), "x").root()));
    }

    @Test
    void addChildRefusesWhatLibfdtCallsExisting() {
        FdtNode root = sample().root();
        assertThrows(JkexecException.class, () -> root.addChild("cpus"));
        // fdt_subnode_offset("memory") finds "memory@0": fdt_add_subnode says FDT_ERR_EXISTS
        JkexecException e = assertThrows(JkexecException.class, () -> root.addChild("memory"));
        assertTrue(e.getMessage().contains("memory@0"), e.getMessage());
        assertThrows(JkexecException.class, () -> root.appendChild("cpus"));
        root.addChild("memory@1"); // a different unit address is a different node
        assertThrows(IllegalArgumentException.class, () -> root.addChild("a/b"));
        assertThrows(IllegalArgumentException.class, () -> root.addChild(""));
        assertThrows(IllegalArgumentException.class, () -> root.setProperty("", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> root.setProperty("a\u0100", new byte[0]));
    }

    @Test
    void deletingNodesAndProperties() {
        Fdt fdt = sample();
        FdtNode cpus = fdt.node("/cpus").orElseThrow();
        FdtNode cpu0 = cpus.child("cpu@0").orElseThrow();
        assertTrue(cpus.deleteChild(cpu0));
        assertFalse(cpus.deleteChild(cpu0));
        assertEquals(List.of("cpu@1"), childNames(cpus));
        assertEquals(Optional.empty(), cpu0.parent());
        assertEquals(Optional.empty(), fdt.node("/cpus/cpu@0"));
        cpu0.setProperty("still", bytes(1)); // a detached node is a plain tree now
        assertTrue(fdt.root().deleteProperty("model"));
        assertFalse(fdt.root().deleteProperty("model"));
        assertFalse(fdt.root().hasProperty("model"));
        Fdt again = Fdt.parse(fdt.toBlobInPlace(fdt.inPlaceMinimumSize()), "x");
        assertEquals(Optional.empty(), fdt.firstDifference(again));
    }

    @Test
    void descendantsAreInDocumentOrder() {
        Fdt fdt = sample();
        assertEquals(
                List.of("/", "/cpus", "/cpus/cpu@0", "/cpus/cpu@1", "/memory@0"),
                fdt.root().descendants().stream().map(FdtNode::path).toList());
    }

    // ---- string table ----

    @Test
    void newNamesAreLookedUpInTheTableWithLibfdtsSuffixRule() {
        Fdt fdt = sample(); // compact table: "#address-cells\0#size-cells\0model\0"
        FdtNode root = fdt.root();
        int tableSize = fdt.strings.size();
        assertEquals(
                "#address-cells\0#size-cells\0model\0",
                new String(fdt.strings.rawBytes(), 0, tableSize, StandardCharsets.ISO_8859_1));
        FdtNode memory = fdt.node("/memory@0").orElseThrow();

        memory.setProperty("model", bytes(1)); // an existing name
        assertEquals(27, memory.property("model").orElseThrow().nameOffset);
        memory.setProperty("cells", bytes(2)); // the tail of "#address-cells": first match wins
        assertEquals(9, memory.property("cells").orElseThrow().nameOffset);
        memory.setProperty("size-cells", bytes(3)); // the tail of "#size-cells"
        assertEquals(16, memory.property("size-cells").orElseThrow().nameOffset);
        assertEquals(tableSize, fdt.strings.size(), "nothing appended so far");

        memory.setProperty("address", bytes(4)); // inside "#address-cells" but not before a NUL
        assertEquals(tableSize, memory.property("address").orElseThrow().nameOffset);
        assertEquals(tableSize + 8, fdt.strings.size());
        memory.setProperty("ress", bytes(5)); // the tail of the name just appended
        assertEquals(tableSize + 3, memory.property("ress").orElseThrow().nameOffset);

        // deleted names stay; re-creating finds them again
        root.deleteProperty("model");
        memory.deleteProperty("address");
        assertEquals(tableSize + 8, fdt.strings.size());
        root.setProperty("address", bytes(6));
        assertEquals(tableSize, root.property("address").orElseThrow().nameOffset);

        // the image uses these offsets, and its strings block is the edited table
        byte[] image = fdt.toBlobInPlace(fdt.inPlaceMinimumSize());
        assertEquals(tableSize + 8, FdtFormat.getInt(image, 32));
        Fdt again = Fdt.parse(image, "image");
        assertEquals(Optional.empty(), fdt.firstDifference(again));
        assertEquals(9, again.node("/memory@0").orElseThrow().property("cells").orElseThrow().nameOffset);
        // the compact blob starts a fresh table, names in order of first use, tails shared
        byte[] compact = fdt.toBlob();
        int off = FdtFormat.getInt(compact, 12);
        assertEquals(
                "address\0#address-cells\0#size-cells\0model\0",
                new String(compact, off, FdtFormat.getInt(compact, 32), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aNameAppendedAfterAnUnterminatedTableTailMergesWithIt() {
        // the source table ends in "xyz" without NUL; libfdt appends "qq\0" right after it, so
        // the table then holds the string "xyzqq" and "zqq" is found in it
        byte[] blob = LibfdtEquivalenceProperties.withGapsAndJunk(sample().toBlob());
        Fdt fdt = Fdt.parse(blob, "gaps");
        int size = fdt.strings.size();
        fdt.root().setProperty("qq", bytes(1));
        assertEquals(size, fdt.root().property("qq").orElseThrow().nameOffset);
        fdt.root().setProperty("zqq", bytes(2));
        assertEquals(size - 1, fdt.root().property("zqq").orElseThrow().nameOffset);
        assertEquals(size + 3, fdt.strings.size());
        LibfdtSimulator sim = LibfdtSimulator.openInto(blob, blob.length + 100);
        sim.setprop("/", "qq", bytes(1));
        sim.setprop("/", "zqq", bytes(2));
        assertArrayEquals(sim.buffer(), fdt.toBlobInPlace(blob.length + 100));
    }

    @Test
    void longNamesAndNamesAtTheTableEndAreFound() {
        Fdt fdt = Fdt.empty();
        String longName = "x".repeat(70) + "-suffix";
        fdt.root().setProperty(longName, bytes(1));
        fdt.root().setProperty("x-suffix", bytes(2));
        fdt.root().setProperty("x".repeat(65) + "-suffix", bytes(3));
        assertEquals(longName.length() + 1, fdt.strings.size(), "both are tails of the long name");
        assertEquals(69, fdt.root().property("x-suffix").orElseThrow().nameOffset);
        assertEquals(5, fdt.root().property("x".repeat(65) + "-suffix").orElseThrow().nameOffset);
    }

    @Test
    void compactTableSharesTailsLikeDtc() {
        Fdt fdt = Fdt.empty();
        fdt.root().appendPropertyAtEnd("#size-cells", bytes(0, 0, 0, 1));
        fdt.root().appendPropertyAtEnd("size-cells", bytes(0, 0, 0, 1));
        fdt.root().appendPropertyAtEnd("reg", bytes());
        byte[] blob = fdt.toBlob();
        assertEquals("#size-cells".length() + 1 + "reg".length() + 1, FdtFormat.getInt(blob, 32));
    }

    // ---- NOPs, reserve map, sizes ----

    @Test
    void nopPropertyKeepsTheBlobSizeAndLeavesNops() {
        Fdt fdt = sample();
        int before = fdt.inPlaceContentSize();
        assertTrue(fdt.root().nopProperty("#size-cells"));
        assertFalse(fdt.root().hasProperty("#size-cells"));
        assertEquals(before, fdt.inPlaceContentSize());
        byte[] image = fdt.toBlobInPlace(before);
        assertEquals(4, LibfdtSimulator.openInto(image, image.length).countNops(), "12 + 4 bytes");
        assertEquals(before, Fdt.parse(image, "x").inPlaceContentSize());
        assertFalse(fdt.root().nopProperty("#size-cells"));
        // a new property still goes right after BEGIN_NODE; the NOPs stay where they were
        fdt.root().setProperty("n", bytes());
        assertEquals(List.of("n", "#address-cells", "model"), propertyNames(fdt.root()));
        assertEquals(4, LibfdtSimulator.openInto(fdt.toBlobInPlace(4096), 4096).countNops());
    }

    @Test
    void reserveMapEditsMoveTheBlocks() {
        Fdt fdt = sample();
        int before = fdt.inPlaceContentSize();
        fdt.reserveMap().add(new ReserveEntry(0x1000, 0x2000));
        fdt.reserveMap().add(new ReserveEntry(0x5000, 0x100));
        fdt.reserveMap().add(new ReserveEntry(0x1000, 0x2000));
        assertEquals(before + 48, fdt.inPlaceContentSize());
        assertTrue(fdt.removeReserveEntry(0x1000, 0x2000));
        assertFalse(fdt.removeReserveEntry(0x1000, 0x3000));
        assertEquals(List.of(new ReserveEntry(0x5000, 0x100), new ReserveEntry(0x1000, 0x2000)), fdt.reserveMap());
        assertThrows(JkexecException.class, () -> fdt.reserveMap().add(new ReserveEntry(1, 0)));
        Fdt again = Fdt.parse(fdt.toBlobInPlace(4096), "x");
        assertEquals(fdt.reserveMap(), again.reserveMap());
        assertEquals(88, FdtFormat.getInt(fdt.toBlobInPlace(4096), 8), "struct after 2 entries + terminator");
        fdt.reserveMap().clear();
        assertEquals(before, fdt.inPlaceContentSize());
        assertTrue(fdt.toDts().startsWith("/dts-v1/;\n\n/ {\n"));
    }

    @Test
    void bufferMustHoldTheLargestSizeTheContentEverHad() {
        Fdt fdt = sample();
        int start = fdt.inPlaceContentSize();
        fdt.root().setProperty("big", new byte[1000]);
        int peak = fdt.inPlaceContentSize();
        fdt.root().deleteProperty("big");
        assertEquals(start + "big".length() + 1, fdt.inPlaceContentSize(), "the name stays in the table");
        assertEquals(peak, fdt.inPlaceMinimumSize());
        JkexecException e = assertThrows(JkexecException.class, () -> fdt.toBlobInPlace(peak - 1));
        assertTrue(e.getMessage().startsWith("FDT_ERR_NOSPACE"), e.getMessage());
        byte[] image = fdt.toBlobInPlace(peak);
        // behind the content: the bytes libfdt's memmove left there (the end of the old data)
        int end = fdt.inPlaceContentSize();
        byte[] oldEnd = "big\0".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(oldEnd, java.util.Arrays.copyOfRange(image, peak - 4, peak));
        assertTrue(end < peak);
    }

    // ---- accessors ----

    @Test
    void valueAccessors() {
        FdtNode n = Fdt.empty().root();
        n.setU64("u64", 0x1_0000_0002L);
        assertEquals(0x1_0000_0002L, n.u64("u64").orElseThrow());
        assertEquals(1L, n.u32("u64").orElseThrow(), "first cell");
        n.setProperty("u32", bytes(0xff, 0xff, 0xff, 0xfe));
        assertEquals(0xfffffffeL, n.u32("u32").orElseThrow());
        JkexecException e = assertThrows(JkexecException.class, () -> n.u64("u32"));
        assertTrue(e.getMessage().startsWith("/u32: "), e.getMessage());
        assertEquals(Optional.empty(), n.u32("absent"));
        n.setString("s", "héllo");
        assertEquals("héllo", n.string("s").orElseThrow());
        n.setProperty("list", "a\0b\0".getBytes(StandardCharsets.US_ASCII));
        assertEquals("a", n.string("list").orElseThrow());
        n.setProperty("empty", new byte[0]);
        assertEquals("", n.string("empty").orElseThrow());
        byte[] v = n.value("u32").orElseThrow();
        v[0] = 0;
        assertEquals(0xfffffffeL, n.u32("u32").orElseThrow(), "value() is a copy");
    }

    @Test
    void copyIsIndependent() {
        Fdt fdt = sample();
        Fdt copy = fdt.copy();
        assertEquals(Optional.empty(), fdt.firstDifference(copy));
        copy.root().setProperty("only-in-copy", bytes(1));
        copy.node("/cpus").orElseThrow().addChild("x");
        copy.reserveMap().add(new ReserveEntry(1, 2));
        copy.setBootCpuidPhys(3);
        assertFalse(fdt.root().hasProperty("only-in-copy"));
        assertEquals(2, fdt.node("/cpus").orElseThrow().children().size());
        assertEquals(0, fdt.reserveMap().size());
        assertEquals(0, fdt.bootCpuidPhys());
        assertEquals(3, Fdt.parse(copy.toBlob(), "c").bootCpuidPhys());
        assertTrue(fdt.strings.size() < copy.strings.size());
        assertTrue(fdt.firstDifference(copy).isPresent());
    }

    @Test
    void emptyTree() {
        Fdt fdt = Fdt.empty();
        assertEquals(17, fdt.version());
        assertEquals("/dts-v1/;\n\n/ {\n};\n", fdt.toDts());
        byte[] blob = fdt.toBlob();
        assertEquals(40 + 16 + 8 + 4 + 4, blob.length);
        assertArrayEquals(blob, fdt.toBlobInPlace(blob.length));
        assertEquals(Optional.empty(), fdt.firstDifference(Fdt.parse(blob, "empty")));
    }

    @Test
    void dtsValueForms() {
        FdtNode n = Fdt.empty().root();
        n.appendPropertyAtEnd("str", "a\tb\"c\\\0".getBytes(StandardCharsets.ISO_8859_1));
        n.appendPropertyAtEnd("list", "ab\0cd\0".getBytes(StandardCharsets.ISO_8859_1));
        n.appendPropertyAtEnd("too-many-nuls", "a\0\0".getBytes(StandardCharsets.ISO_8859_1));
        n.appendPropertyAtEnd("cells", bytes(0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef));
        n.appendPropertyAtEnd("bytes", bytes(1, 2, 0xff));
        n.appendPropertyAtEnd("flag", bytes());
        n.appendPropertyAtEnd("name", "\0".getBytes(StandardCharsets.ISO_8859_1)); // redundant for "/"
        n.appendChild("child@1").appendPropertyAtEnd("name", "child\0".getBytes(StandardCharsets.ISO_8859_1));
        n.appendChild("other").appendPropertyAtEnd("name", "x\0".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("""
                /dts-v1/;

                / {
                \tstr = "a\\tb\\"c\\\\";
                \tlist = "ab\\0cd";
                \ttoo-many-nuls = [61 00 00];
                \tcells = <0x00 0xdeadbeef>;
                \tbytes = [01 02 ff];
                \tflag;

                \tchild@1 {
                \t};

                \tother {
                \t\tname = "x";
                \t};
                };
                """, n.owner.toDts());
    }
}
