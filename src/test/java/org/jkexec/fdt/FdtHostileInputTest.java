package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jkexec.JkexecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile blobs: each must give a JkexecException whose message names the source
 * and says what is wrong; nothing else may escape, nothing may hang or exhaust memory.
 */
class FdtHostileInputTest {
    private static final String SOURCE = "evil.dtb";

    /** Assembles struct-block tokens. */
    static final class Struct {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Struct word(int v) {
            byte[] b = new byte[4];
            FdtFormat.putInt(b, 0, v);
            out.writeBytes(b);
            return this;
        }

        Struct begin(String name) {
            word(FdtFormat.BEGIN_NODE);
            byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
            out.writeBytes(n);
            out.writeBytes(new byte[FdtFormat.align4(n.length + 1) - n.length]);
            return this;
        }

        Struct prop(int nameOffset, byte[] value) {
            word(FdtFormat.PROP).word(value.length).word(nameOffset);
            out.writeBytes(value);
            out.writeBytes(new byte[FdtFormat.align4(value.length) - value.length]);
            return this;
        }

        Struct end() {
            return word(FdtFormat.END_NODE);
        }

        Struct finish() {
            return word(FdtFormat.END);
        }

        Struct raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** header | reserve map (terminator only) | struct | strings, version 17, sizes exact. */
    static byte[] blob(byte[] struct, byte[] strings) {
        int offStruct = 40 + 16;
        int offStrings = offStruct + struct.length;
        int total = offStrings + strings.length;
        byte[] b = new byte[total];
        FdtFormat.putInt(b, 0, FdtFormat.MAGIC);
        FdtFormat.putInt(b, 4, total);
        FdtFormat.putInt(b, 8, offStruct);
        FdtFormat.putInt(b, 12, offStrings);
        FdtFormat.putInt(b, 16, 40);
        FdtFormat.putInt(b, 20, 17);
        FdtFormat.putInt(b, 24, 16);
        FdtFormat.putInt(b, 32, strings.length);
        FdtFormat.putInt(b, 36, struct.length);
        System.arraycopy(struct, 0, b, offStruct, struct.length);
        System.arraycopy(strings, 0, b, offStrings, strings.length);
        return b;
    }

    static final byte[] STRINGS = "reg\0compatible\0".getBytes(StandardCharsets.ISO_8859_1);

    static byte[] valid() {
        return blob(
                new Struct()
                        .begin("")
                        .prop(0, new byte[] {0, 0, 0, 1})
                        .begin("a@1")
                        .prop(4, "x\0".getBytes())
                        .end()
                        .end()
                        .finish()
                        .bytes(),
                STRINGS);
    }

    static JkexecException assertBad(byte[] blob, String expectedFragment) {
        JkexecException e = null;
        try {
            Fdt.parse(blob, SOURCE);
            fail("accepted; expected an error containing \"" + expectedFragment + "\"");
        } catch (JkexecException x) {
            e = x;
        } catch (Throwable t) {
            fail("expected JkexecException, got " + t, t);
        }
        assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
        return e;
    }

    static byte[] with(byte[] b, int off, int value) {
        byte[] c = b.clone();
        FdtFormat.putInt(c, off, value);
        return c;
    }

    @Test
    void theValidSampleParses() {
        Fdt fdt = Fdt.parse(valid(), SOURCE);
        assertEquals("/a@1", fdt.node("/a@1").orElseThrow().path());
        assertEquals(1L, fdt.root().u32("reg").orElseThrow());
        assertEquals("x", fdt.node("/a@1").orElseThrow().string("compatible").orElseThrow());
    }

    @Test
    void truncatedAtEveryLengthUpTo80AndLater() {
        byte[] real = References.bytes(References.KERNEL, "k2-fdt.bin");
        for (int len = 0; len <= 80; len++) {
            assertBad(Arrays.copyOf(real, len), len < 4 ? "truncated" : "");
        }
        for (int len = 81; len < real.length; len += 997) {
            assertBad(Arrays.copyOf(real, len), "exceeds the " + len + " bytes available");
        }
        // the same cuts with totalsize claiming just the bytes that are left: bad while the
        // cut is inside the data; past the strings block only slack is lost
        int dataEnd = FdtFormat.getInt(real, 12) + FdtFormat.getInt(real, 32);
        for (int len = 40; len < real.length; len += 331) {
            byte[] cut = with(Arrays.copyOf(real, len), 4, len);
            if (len < dataEnd) {
                assertBad(cut, "");
            } else {
                assertEquals(java.util.Optional.empty(), Fdt.parse(cut, SOURCE).firstDifference(Fdt.parse(real, "r")));
            }
        }
        byte[] compact = valid();
        for (int len = 0; len < compact.length; len++) {
            assertBad(Arrays.copyOf(compact, len), "");
            if (len >= 40) {
                assertBad(with(Arrays.copyOf(compact, len), 4, len), "");
            }
        }
    }

    @Test
    void headerProblems() {
        byte[] ok = valid();
        assertBad(with(ok, 0, 0xd00dfeee), "not a flattened device tree");
        assertBad(with(ok, 20, 15), "version 15 is not supported");
        assertBad(with(ok, 24, 18), "not compatible with version 17");
        assertBad(with(ok, 4, ok.length + 1), "exceeds the " + ok.length + " bytes available");
        assertBad(with(ok, 4, 0xffffffff), "exceeds");
        assertBad(with(ok, 4, 20), "smaller than the header");
        assertBad(with(ok, 8, ok.length + 4), "off_dt_struct");
        assertBad(with(ok, 8, 8), "off_dt_struct");
        assertBad(with(ok, 16, ok.length + 8), "off_mem_rsvmap");
        assertBad(with(ok, 12, 0x7ffffff0), "strings block");
        assertBad(with(ok, 32, 0xffffffff), "strings block");
        assertBad(with(ok, 36, 0xfffffff0), "struct block");
        assertBad(with(ok, 36, 0), "without FDT_END");
    }

    @Test
    void reserveMapWithoutTerminator() {
        byte[] b = valid();
        byte[] rsv = new byte[b.length - 40];
        Arrays.fill(rsv, (byte) 0xff);
        System.arraycopy(rsv, 0, b, 40, rsv.length);
        assertBad(b, "no terminating entry");
    }

    @Test
    void propertyLengthsAndNameOffsets() {
        assertBad(
                blob(
                        new Struct()
                                .begin("")
                                .word(FdtFormat.PROP)
                                .word(0x7fffffff)
                                .word(0)
                                .end()
                                .finish()
                                .bytes(),
                        STRINGS),
                "length 0x7fffffff, past the end of the struct block");
        assertBad(
                blob(
                        new Struct()
                                .begin("")
                                .word(FdtFormat.PROP)
                                .word(0xffffffff)
                                .word(0)
                                .end()
                                .finish()
                                .bytes(),
                        STRINGS),
                "length 0xffffffff");
        assertBad(
                blob(
                        new Struct()
                                .begin("")
                                .prop(STRINGS.length, new byte[0])
                                .end()
                                .finish()
                                .bytes(),
                        STRINGS),
                "is outside the strings block");
        assertBad(
                blob(
                        new Struct()
                                .begin("")
                                .prop(0x7fffffff, new byte[0])
                                .end()
                                .finish()
                                .bytes(),
                        STRINGS),
                "is outside the strings block");
        assertBad(
                blob(new Struct().begin("").prop(0, new byte[0]).end().finish().bytes(), "abc".getBytes()),
                "no NUL before the end of the strings block");
        // a property header cut by the end of the struct block
        assertBad(blob(new Struct().begin("").word(FdtFormat.PROP).word(0).bytes(), STRINGS), "runs past the end");
        // value fits but its padding does not: the next tag cannot be read
        assertBad(
                blob(
                        new Struct()
                                .begin("")
                                .word(FdtFormat.PROP)
                                .word(1)
                                .word(0)
                                .raw(new byte[] {1})
                                .bytes(),
                        STRINGS),
                "runs past the end");
    }

    @Test
    void nodeNamesAndStructure() {
        assertBad(
                blob(
                        new Struct()
                                .word(FdtFormat.BEGIN_NODE)
                                .raw("abcdefg".getBytes())
                                .bytes(),
                        STRINGS),
                "unterminated node name");
        assertBad(blob(new Struct().begin("").end().bytes(), STRINGS), "without FDT_END");
        assertBad(blob(new Struct().begin("").bytes(), STRINGS), "without FDT_END");
        assertBad(blob(new Struct().begin("").finish().bytes(), STRINGS), "FDT_END at struct offset 0x8 inside node /");
        assertBad(blob(new Struct().begin("").begin("a").end().finish().bytes(), STRINGS), "inside node /");
        assertBad(blob(new Struct().end().finish().bytes(), STRINGS), "FDT_END_NODE outside any node");
        assertBad(blob(new Struct().finish().bytes(), STRINGS), "has no root node");
        assertBad(blob(new Struct().begin("").end().begin("").end().finish().bytes(), STRINGS), "second root node");
        assertBad(blob(new Struct().prop(0, new byte[0]).finish().bytes(), STRINGS), "property outside any node");
        assertBad(
                blob(new Struct().begin("").end().prop(0, new byte[0]).finish().bytes(), STRINGS),
                "property outside any node");
        assertBad(
                blob(new Struct().begin("").word(0x77).end().finish().bytes(), STRINGS),
                "unknown tag 0x00000077 at struct offset 0x8");
        assertBad(
                blob(
                        new Struct()
                                .begin("")
                                .begin("a")
                                .end()
                                .prop(0, new byte[0])
                                .end()
                                .finish()
                                .bytes(),
                        STRINGS),
                "property \"reg\" after subnodes in /");
        assertBad(
                blob(
                        new Struct()
                                .begin("")
                                .prop(0, new byte[0])
                                .prop(0, new byte[1])
                                .end()
                                .finish()
                                .bytes(),
                        STRINGS),
                "duplicate property \"reg\" in /");
        assertBad(
                blob(
                        new Struct()
                                .begin("")
                                .begin("a")
                                .end()
                                .begin("a")
                                .end()
                                .end()
                                .finish()
                                .bytes(),
                        STRINGS),
                "duplicate node /a");
    }

    @Test
    void namesATreeCannotHold() {
        assertBad(
                blob(
                        new Struct()
                                .begin("")
                                .begin("cpus")
                                .begin("PowerPC/POWER9@1")
                                .end()
                                .end()
                                .end()
                                .finish()
                                .bytes(),
                        STRINGS),
                "node at struct offset 0x14 under /cpus is named \"PowerPC/POWER9@1\"");
        assertBad(
                blob(new Struct().begin("").begin("").end().end().finish().bytes(), STRINGS), "under / is named \"\"");
        // an empty property name: the offset of the NUL that ends "reg"
        assertBad(
                blob(new Struct().begin("").prop(3, new byte[0]).end().finish().bytes(), STRINGS),
                "property at struct offset 0x8 in / has an empty name (name offset 0x3)");
        // the root alone goes without a name, and a property name may still end another
        Fdt ok = Fdt.parse(
                blob(new Struct().begin("").prop(1, new byte[0]).end().finish().bytes(), STRINGS), SOURCE);
        assertTrue(ok.root().hasProperty("eg"));
    }

    @Test
    void deepNesting() {
        Struct s = new Struct().begin("");
        for (int i = 0; i < 100_000; i++) {
            s.begin("n");
        }
        assertBad(blob(s.bytes(), STRINGS), "nested deeper than 64 levels");
        Struct ok = new Struct().begin("");
        for (int i = 1; i < FdtFormat.MAX_DEPTH; i++) {
            ok.begin("n");
        }
        for (int i = 0; i < FdtFormat.MAX_DEPTH; i++) {
            ok.end();
        }
        Fdt deepest = Fdt.parse(blob(ok.finish().bytes(), STRINGS), SOURCE);
        FdtNode leaf = deepest.root().descendants().get(FdtFormat.MAX_DEPTH - 1);
        assertTrue(leaf.children().isEmpty());
        assertTrue(leaf.path().length() > 100);
        JkexecException e =
                org.junit.jupiter.api.Assertions.assertThrows(JkexecException.class, () -> leaf.addChild("too-deep"));
        assertEquals(FdtException.Code.BADDEPTH, ((FdtException) e).code());
    }

    @Test
    void hugeCountsStayLinear() {
        // a million NOPs: legal, and parsed quickly
        Struct s = new Struct().begin("");
        byte[] nops = new byte[4_000_000];
        for (int i = 0; i < nops.length; i += 4) {
            FdtFormat.putInt(nops, i, FdtFormat.NOP);
        }
        s.raw(nops).end().finish();
        byte[] blob = blob(s.bytes(), STRINGS);
        Fdt fdt = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Fdt.parse(blob, SOURCE));
        assertEquals(1_000_000, fdt.root().trailingPropNops);
        assertEquals(blob.length, fdt.toBlobInPlace(blob.length).length);

        // 100k properties whose names all start inside one 200 KB string: names overlap, and
        // decoding them all would take 10 GB
        byte[] longString = new byte[200_001];
        Arrays.fill(longString, 0, 200_000, (byte) 'a');
        Struct many = new Struct().begin("");
        for (int i = 0; i < 100_000; i++) {
            many.prop(i, new byte[0]);
        }
        byte[] hostile = blob(many.end().finish().bytes(), longString);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertBad(hostile, "overlap"));
    }

    @Test
    void randomGarbageAfterAValidHeader() {
        java.util.Random r = new java.util.Random(7);
        byte[] ok = valid();
        for (int i = 0; i < 2000; i++) {
            byte[] b = ok.clone();
            for (int j = 40; j < b.length; j++) {
                if (r.nextInt(8) == 0) {
                    b[j] = (byte) r.nextInt(256);
                }
            }
            try {
                Fdt.parse(b, SOURCE).toDts();
            } catch (JkexecException e) {
                assertTrue(e.getMessage().startsWith(SOURCE + ": "));
            }
        }
    }

    @Test
    void directoryReaderRefusesSpecialFilesAndHugeProperties(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.write(tree.resolve("compatible"), "x\0".getBytes());
        Files.createDirectory(tree.resolve("node@1"));
        Files.write(tree.resolve("node@1").resolve("reg"), new byte[] {0, 0, 0, 1});
        Fdt fdt = Fdt.readDirectory(tree);
        assertEquals(1L, fdt.node("/node@1").orElseThrow().u32("reg").orElseThrow());

        Files.createSymbolicLink(tree.resolve("link"), tree.resolve("compatible"));
        JkexecException e =
                org.junit.jupiter.api.Assertions.assertThrows(JkexecException.class, () -> Fdt.readDirectory(tree));
        assertTrue(
                e.getMessage().contains("link") && e.getMessage().contains("neither a regular file"), e.getMessage());
        // the nodes of no blob are read with the same checks
        assertEquals(
                e.getMessage(),
                org.junit.jupiter.api.Assertions.assertThrows(JkexecException.class, () -> Fdt.readDirectoryNodes(tree))
                        .getMessage());
        Files.delete(tree.resolve("link"));

        Path big = tree.resolve("big");
        try (var ch = Files.newByteChannel(
                big, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.position((16 << 20));
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1})); // sparse: 16 MiB + 1
        }
        e = org.junit.jupiter.api.Assertions.assertThrows(JkexecException.class, () -> Fdt.readDirectory(tree));
        assertTrue(e.getMessage().contains("big") && e.getMessage().contains("16 MiB"), e.getMessage());
        Files.delete(big);

        e = org.junit.jupiter.api.Assertions.assertThrows(
                JkexecException.class, () -> Fdt.readDirectory(tree.resolve("compatible")));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    /**
     * A tree of the default file system is listed through java.io, one of another file system
     * (the fuzz targets' in-memory one) through a DirectoryStream: the same tree either way, and
     * a directory that cannot be listed is refused with the DirectoryStream's reason.
     */
    @Test
    void aTreeIsTheSameWhicheverFileSystemHoldsIt(@TempDir Path dir) throws Exception {
        try (java.nio.file.FileSystem memory =
                com.google.common.jimfs.Jimfs.newFileSystem(com.google.common.jimfs.Configuration.unix())) {
            for (Path tree : new Path[] {dir.resolve("tree"), memory.getPath("/tree")}) {
                Files.createDirectories(tree.resolve("cpus/cpu@0"));
                Files.write(tree.resolve("compatible"), "x\0".getBytes());
                Files.write(tree.resolve("model"), "m\0".getBytes());
                Files.write(tree.resolve("cpus/#size-cells"), new byte[4]);
                Files.write(tree.resolve("cpus/cpu@0/reg"), new byte[] {0, 0, 0, 7});
                Files.createDirectories(tree.resolve("chosen"));
            }
            assertArrayEquals(
                    Fdt.readDirectory(dir.resolve("tree")).toBlob(),
                    Fdt.readDirectory(memory.getPath("/tree")).toBlob());
            assertEquals(
                    List.of("chosen", "compatible", "cpus", "model"),
                    sorted(DirectoryReader.names(memory.getPath("/tree"))));
            assertEquals(
                    List.of("chosen", "compatible", "cpus", "model"),
                    sorted(DirectoryReader.names(dir.resolve("tree"))));
        }
        JkexecException e = org.junit.jupiter.api.Assertions.assertThrows(
                JkexecException.class, () -> DirectoryReader.names(dir.resolve("gone")));
        assertTrue(e.getMessage().contains("gone") && e.getMessage().contains("cannot list directory"), e.getMessage());
    }

    private static List<String> sorted(List<String> names) {
        List<String> s = new java.util.ArrayList<>(names);
        java.util.Collections.sort(s);
        return s;
    }
}
