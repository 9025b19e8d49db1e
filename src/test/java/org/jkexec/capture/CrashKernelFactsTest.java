package org.jkexec.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.memory.MemRange;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one crashkernel rule: /proc/iomem first, a shrink honoured, the tree as fallback, contradictions refused. */
class CrashKernelFactsTest {
    static final long M512 = 512L << 20;
    static final Path ROOT = Path.of("/machine");
    static final Optional<MemRange> IOMEM = Optional.of(MemRange.ofSize(M512, M512));

    static CrashKernelFacts facts(
            Optional<MemRange> iomem, OptionalLong crashSize, OptionalLong base, OptionalLong size) {
        return new CrashKernelFacts(iomem, crashSize, base, size, ROOT);
    }

    static MemRange region(CrashKernelFacts f) {
        return f.region().orElseThrow().range();
    }

    @Test
    void iomemIsAuthoritative() {
        CrashKernelFacts f = facts(IOMEM, OptionalLong.of(M512), OptionalLong.of(M512), OptionalLong.of(M512));
        assertEquals(MemRange.ofSize(M512, M512), region(f));
        assertEquals("/machine/proc/iomem", f.region().orElseThrow().source());
    }

    @Test
    void aShrinkGivesTheTopBack() {
        // the tree keeps the boot-time size; iomem and kexec_crash_size follow the shrink
        CrashKernelFacts shrunkIomem = facts(
                Optional.of(MemRange.ofSize(M512, 256L << 20)),
                OptionalLong.of(256L << 20),
                OptionalLong.of(M512),
                OptionalLong.of(M512));
        assertEquals(MemRange.ofSize(M512, 256L << 20), region(shrunkIomem));
        CrashKernelFacts sizeOnly =
                facts(IOMEM, OptionalLong.of(128L << 20), OptionalLong.empty(), OptionalLong.empty());
        assertEquals(MemRange.ofSize(M512, 128L << 20), region(sizeOnly));
        assertTrue(sizeOnly.region().orElseThrow().source().contains("kexec_crash_size"));
    }

    @Test
    void theTreeIsTheFallbackAndAShrinkAppliesToIt() {
        assertEquals(
                MemRange.ofSize(M512, M512),
                region(facts(Optional.empty(), OptionalLong.empty(), OptionalLong.of(M512), OptionalLong.of(M512))));
        // /proc/iomem read without privileges shows zeros
        Optional<MemRange> zeros = Optional.of(new MemRange(0, 0));
        assertEquals(
                MemRange.ofSize(M512, 64L << 20),
                region(facts(zeros, OptionalLong.of(64L << 20), OptionalLong.of(M512), OptionalLong.of(M512))));
    }

    @Test
    void nothingReservedIsEmptyAndRequiredSaysHowToReserve() {
        CrashKernelFacts none =
                facts(Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
        assertTrue(none.region().isEmpty());
        assertTrue(facts(IOMEM, OptionalLong.of(0), OptionalLong.empty(), OptionalLong.empty())
                .region()
                .isEmpty());
        JkexecException e = assertThrows(JkexecException.class, none::required);
        assertTrue(e.getMessage().contains("crashkernel=SIZE"), e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void aTreeStartingElsewhereIsAContradictionNamingTheFiles() {
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> facts(IOMEM, OptionalLong.of(M512), OptionalLong.of(2 * M512), OptionalLong.of(M512))
                        .region());
        assertTrue(e.getMessage().startsWith("/machine/proc/iomem"), e.getMessage());
        assertTrue(e.getMessage().contains("linux,crashkernel-base"), e.getMessage());
        assertTrue(e.getMessage().contains("0x20000000-0x3fffffff"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(2, e.exitCode());
    }

    @Test
    void aTreeSmallerThanIomemIsAContradiction() {
        assertThrows(
                JkexecException.class,
                () -> facts(IOMEM, OptionalLong.empty(), OptionalLong.of(M512), OptionalLong.of(256L << 20))
                        .region());
    }

    @Test
    void aCrashSizeLargerThanTheRegionIsAContradiction() {
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> facts(IOMEM, OptionalLong.of(2 * M512), OptionalLong.empty(), OptionalLong.empty())
                        .region());
        assertTrue(e.getMessage().startsWith("/machine/sys/kernel/kexec_crash_size"), e.getMessage());
    }

    @Test
    void readsTheFilesOfARoot(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("proc/device-tree/chosen"));
        Files.createDirectories(dir.resolve("sys/kernel"));
        Files.writeString(
                dir.resolve("proc/iomem"), "00000000-ffffffff : System RAM\n  20000000-3fffffff : Crash kernel\n");
        Files.writeString(dir.resolve("sys/kernel/kexec_crash_size"), "268435456\n");
        Files.write(
                dir.resolve("proc/device-tree/chosen/linux,crashkernel-base"), new byte[] {0, 0, 0, 0, 0x20, 0, 0, 0});
        Files.write(dir.resolve("proc/device-tree/chosen/linux,crashkernel-size"), new byte[] {0x20, 0, 0, 0});
        assertEquals(
                MemRange.ofSize(M512, 256L << 20),
                CrashKernelFacts.read(dir).region().orElseThrow().range());
        Files.write(dir.resolve("proc/device-tree/chosen/linux,crashkernel-size"), new byte[] {1, 2, 3});
        JkexecException e = assertThrows(JkexecException.class, () -> CrashKernelFacts.read(dir));
        assertTrue(e.getMessage().contains("linux,crashkernel-size"), e.getMessage());
    }

    @Test
    void aCaptureWhoseIomemContradictsItsTreeIsRefused(@TempDir Path dir) throws Exception {
        Path cap = dir.resolve("cap");
        copy(Reference.capture(Reference.MACHINE), cap);
        Files.writeString(
                cap.resolve("proc/iomem"), "00000000-ffffffff : System RAM\n  30000000-3fffffff : Crash kernel\n");
        JkexecException e = assertThrows(JkexecException.class, () -> MachineCapture.read(cap));
        assertTrue(
                e.getMessage().contains("proc/iomem") && e.getMessage().contains("crashkernel-base"), e.getMessage());
    }

    static void copy(Path from, Path to) throws Exception {
        org.jkexec.testutil.Trees.copy(from, to);
    }

    /** A bare blob (plan --dtb) is read by the same rule: its /chosen properties, named as the blob's. */
    @Test
    void aBlobsChosenPropertiesByTheSameRule() {
        Fdt tree = Fdt.empty();
        FdtNode chosen = tree.root().addChild("chosen");
        assertEquals(Optional.empty(), CrashKernelFacts.ofBlob("x.dtb", tree).region());
        chosen.setU64("linux,crashkernel-base", M512).setU64("linux,crashkernel-size", 0);
        assertEquals(Optional.empty(), CrashKernelFacts.ofBlob("x.dtb", tree).region(), "size 0: none reserved");
        chosen.setU64("linux,crashkernel-size", M512);
        CrashKernelRegion r = CrashKernelFacts.ofBlob("x.dtb", tree).region().orElseThrow();
        assertEquals(MemRange.ofSize(M512, M512), r.range());
        assertEquals("x.dtb /chosen/linux,crashkernel-base", r.source());
        chosen.setU64("linux,crashkernel-base", -M512 + 1);
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> CrashKernelFacts.ofBlob("x.dtb", tree).region());
        assertTrue(e.getMessage().startsWith("x.dtb /chosen/linux,crashkernel-base and -size: "), e.getMessage());
    }
}
