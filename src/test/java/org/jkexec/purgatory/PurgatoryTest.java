package org.jkexec.purgatory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.jkexec.JkexecException;
import org.junit.jupiter.api.Test;

class PurgatoryTest {
    private static final long LOAD = 0x228a_0000L;

    private static PurgatoryParams sample(boolean runAtLoad) {
        return new PurgatoryParams(
                0x2000_0000L,
                0x2ffe_0000L,
                0x2288_0000L,
                0x3000_0000_0000L,
                0x3000_0000_1230L,
                runAtLoad,
                PurgatoryExecutionTest.kernelHead());
    }

    @Test
    void sizeIsFixedAndKnownBeforeAnyAddress() {
        int size = Purgatory.size();
        assertEquals(size, Purgatory.build(sample(true), LOAD).length);
        assertEquals(size, Purgatory.build(new PurgatoryParams(0, 0, 0, 0, 0, false, new byte[256]), 0).length);
        assertTrue(size < 0x1000, "fits in one small page: " + size);
        assertEquals(0, size % 8);
    }

    @Test
    void enteredAtTheHead() {
        assertEquals(0, Purgatory.entryOffset());
    }

    @Test
    void everyFieldLandsAtItsOffset() {
        PurgatoryLayout l = Purgatory.layout();
        byte[] image = Purgatory.build(sample(true), LOAD);
        assertEquals(0x2000_0000L, Purgatory.getLe(image, l.kernelOffset(), 8));
        assertEquals(0x2ffe_0000L, Purgatory.getLe(image, l.dtOffsetOffset(), 8));
        assertEquals(0x2288_0000L, Purgatory.getLe(image, l.backupStartOffset(), 8));
        assertEquals(0x3000_0000_0000L, Purgatory.getLe(image, l.opalBaseOffset(), 8));
        assertEquals(0x3000_0000_1230L, Purgatory.getLe(image, l.opalEntryOffset(), 8));
        assertEquals(0x10000 / 8, Purgatory.getLe(image, l.backupDwordsOffset(), 8), "the kernel's 64 KiB by default");
        assertEquals(1, Purgatory.getLe(image, PurgatoryLayout.RUN_AT_LOAD_OFFSET, 4));
        assertEquals(
                PurgatoryLayout.MAGIC,
                new String(image, l.magicOffset(), 8, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void fieldsAreAlignedDistinctAndAfterTheCode() {
        PurgatoryLayout l = Purgatory.layout();
        List<Integer> fields = List.of(
                l.magicOffset(),
                l.kernelOffset(),
                l.dtOffsetOffset(),
                l.backupStartOffset(),
                l.opalBaseOffset(),
                l.opalEntryOffset(),
                l.backupDwordsOffset());
        for (int i = 0; i < fields.size(); i++) {
            assertEquals(0, fields.get(i) % 8, "aligned");
            assertTrue(fields.get(i) > l.masterOffset(), "after the code");
            if (i > 0) {
                assertEquals(fields.get(i - 1) + 8, fields.get(i), "packed in order");
            }
        }
        assertEquals(l.size(), l.backupDwordsOffset() + 8);
        assertEquals(PurgatoryLayout.HEAD_SIZE, l.masterOffset());
    }

    @Test
    void headIsTheKernelsExceptOurBranchInWordZero() {
        byte[] kernelHead = PurgatoryExecutionTest.kernelHead();
        byte[] image = Purgatory.build(sample(false), LOAD);
        int word0 = (int) Purgatory.getLe(image, 0, 4);
        assertEquals(Ppc64Encoder.b(Purgatory.layout().masterOffset(), false), word0, "b master");
        assertFalse(Arrays.equals(kernelHead, 0, 4, image, 0, 4));
        assertArrayEquals(Arrays.copyOfRange(kernelHead, 4, 256), Arrays.copyOfRange(image, 4, 256));
    }

    @Test
    void runAtLoadOverridesOnlyTheWordAt0x5c() {
        byte[] kernelHead = PurgatoryExecutionTest.kernelHead();
        byte[] image = Purgatory.build(sample(true), LOAD);
        assertEquals(1, Purgatory.getLe(image, 0x5c, 4));
        assertArrayEquals(Arrays.copyOfRange(kernelHead, 4, 0x5c), Arrays.copyOfRange(image, 4, 0x5c));
        assertArrayEquals(Arrays.copyOfRange(kernelHead, 0x60, 0x100), Arrays.copyOfRange(image, 0x60, 0x100));
    }

    @Test
    void codeDoesNotDependOnTheParameters() {
        PurgatoryLayout l = Purgatory.layout();
        byte[] a = Purgatory.build(sample(true), LOAD);
        byte[] b = Purgatory.build(new PurgatoryParams(0x4000_0000L, 0x5000_0000L, 0, 0, 0, false, new byte[256]), 0);
        assertArrayEquals(Arrays.copyOfRange(a, 0x100, l.magicOffset()), Arrays.copyOfRange(b, 0x100, l.magicOffset()));
    }

    @Test
    void inspectorReadsBackWhatWasBuilt() {
        PurgatoryParams p = sample(true);
        PurgatoryInspector.Contents c = PurgatoryInspector.decode(Purgatory.build(p, LOAD), "segment 3");
        assertEquals(p.kernelLoadAddr(), c.kernelLoadAddr());
        assertEquals(p.fdtAddr(), c.fdtAddr());
        assertEquals(p.backupStart(), c.backupStart());
        assertEquals(p.opalBase(), c.opalBase());
        assertEquals(p.opalEntry(), c.opalEntry());
        assertTrue(c.runAtLoad());
        assertArrayEquals(
                Arrays.copyOfRange(p.kernelHead256(), 0x60, 0x100), Arrays.copyOfRange(c.head(), 0x60, 0x100));

        PurgatoryInspector.Contents regular = PurgatoryInspector.decode(Purgatory.build(sample(false), LOAD), "x");
        assertFalse(regular.runAtLoad());
        assertEquals(0x72756e30, regular.runAtLoadWord());
    }

    @Test
    void inspectorRejectsForeignImages() {
        byte[] good = Purgatory.build(sample(true), LOAD);
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> PurgatoryInspector.decode(Arrays.copyOf(good, good.length + 8), "purgatory.bin"));
        assertTrue(e.getMessage().startsWith("purgatory.bin: "), e.getMessage());

        byte[] noMagic = good.clone();
        noMagic[Purgatory.layout().magicOffset()] ^= 1;
        assertThrows(JkexecException.class, () -> PurgatoryInspector.decode(noMagic, "x"));

        byte[] patchedCode = good.clone();
        patchedCode[0x104] ^= 1;
        assertThrows(JkexecException.class, () -> PurgatoryInspector.decode(patchedCode, "x"));
    }

    @Test
    void refusesAShortKernelHead() {
        JkexecException e =
                assertThrows(JkexecException.class, () -> new PurgatoryParams(0, 0, 0, 0, 0, true, new byte[200]));
        assertTrue(e.getMessage().contains("256"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void refusesMisalignedAddresses() {
        assertThrows(IllegalArgumentException.class, () -> Purgatory.build(sample(true), LOAD + 0x80));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PurgatoryParams(0x2000_0002L, 0, 0, 0, 0, true, new byte[256]));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PurgatoryParams(0, 0, 0x2288_0004L, 0, 0, true, new byte[256]));
    }

    @Test
    void paramsCopyTheHead() {
        byte[] head = new byte[256];
        PurgatoryParams p = new PurgatoryParams(0, 0, 0, 0, 0, true, head);
        head[10] = 1;
        assertEquals(0, p.kernelHead256()[10]);
        assertEquals(p, new PurgatoryParams(0, 0, 0, 0, 0, true, new byte[256]));
    }
}
