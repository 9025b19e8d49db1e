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
        JkexecException e = assertThrows(JkexecException.class, () -> none.required("console=hvc0"));
        assertTrue(e.getMessage().contains("crashkernel=SIZE"), e.getMessage());
        assertEquals(2, e.exitCode());
    }

    /** Linux 7.3 on ppc64 reserves nothing for crashkernel=X,high: the refusal says so and names a form it honours. */
    @Test
    void nothingReservedForAHighWordSaysWhyAndWhatToBootWith() {
        CrashKernelFacts none = facts(Optional.empty(), OptionalLong.of(0), OptionalLong.empty(), OptionalLong.empty());
        JkexecException e =
                assertThrows(JkexecException.class, () -> none.required("console=hvc0 crashkernel=512M,high panic=5"));
        assertTrue(e.getMessage().startsWith("/machine: no crashkernel reserved"), e.getMessage());
        assertTrue(e.getMessage().contains("crashkernel=512M,high"), e.getMessage());
        assertTrue(e.getMessage().contains("boot with crashkernel=512M"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(2, e.exitCode());
    }

    static Path withCma(Path dir, String text) throws Exception {
        Files.createDirectories(dir.resolve("sys/kernel"));
        Files.writeString(dir.resolve("sys/kernel/kexec_crash_cma_ranges"), text);
        return dir;
    }

    @Test
    void cmaAreasAreReadInTheKernelsOrder(@TempDir Path dir) throws Exception {
        withCma(dir, "e0000000-e7ffffff\nc0000000-c3ffffff\n");
        assertEquals(
                java.util.List.of(new MemRange(0xe0000000L, 0xe7ffffffL), new MemRange(0xc0000000L, 0xc3ffffffL)),
                CrashKernelFacts.read(dir).cma());
        assertEquals(
                java.util.List.of(),
                CrashKernelFacts.read(dir.resolve("absent")).cma());
        withCma(dir, "");
        assertEquals(java.util.List.of(), CrashKernelFacts.read(dir).cma());
    }

    @Test
    void cmaFilesTheKernelCannotWriteAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        for (String bad : new String[] {
            "e0000000-e7ffffff\n\n", // a blank line
            "0xe0000000-0xe7ffffff\n", // the kernel prints no 0x
            "e7ffffff-e0000000\n", // ends before it starts
            "e0000000 e7ffffff\n",
            "10000000-1fffffff\n20000000-2fffffff\n30000000-3fffffff\n40000000-4fffffff\n50000000-5fffffff\n",
        }) {
            withCma(dir, bad);
            JkexecException e = assertThrows(
                    JkexecException.class, () -> CrashKernelFacts.read(dir).cma(), bad);
            assertTrue(
                    e.getMessage()
                            .startsWith(dir.resolve("sys/kernel/kexec_crash_cma_ranges")
                                    .toString()),
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertEquals(2, e.exitCode());
        }
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
