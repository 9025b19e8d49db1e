package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkexec.capture.MachineCapture;
import org.jkexec.capture.RecordedRequest;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.elf.VmcoreView;
import org.jkexec.fdt.Fdt;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.PurgatoryProvider;
import org.jkexec.memory.MemRange;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test against what Linux 7.3's kexec_file_load (built with CONFIG_CMA) gave a
 * real kdump kernel on a QEMU pseries guest (4 GiB, 2 CPUs) booted with
 * {@code crashkernel=512M crashkernel=128M,cma}: the kernel reserved crashkernel at 512 MiB and
 * one CMA area at 0xf2000000 (reference/pseries-4g-2cpu-crash512m-cma128m). The planner, fed the
 * first kernel's facts (captures/pseries-4g-2cpu-crash512m-cma128m-linux7.3, made from them by
 * scripts/make-reference-capture), must produce the kernel's FDT, ELF core header and command
 * line byte for byte: the area usable by the kdump kernel, left out of the dump.
 */
class Linux73CmaReferenceTest {
    static final String M = Reference.MACHINE_CMA;
    static final String REF = Reference.KERNEL_73;
    /** The kaslr-seed the kernel drew (read back from k2-fdt.bin, so the FDTs can be compared). */
    static final long KASLR_SEED = 0x0db9d5e5ae96a31aL;

    static final MemRange CRASHKERNEL = new MemRange(0x20000000L, 0x3fffffffL);
    static final MemRange CMA = new MemRange(0xf2000000L, 0xf9ffffffL);

    static Ppc64Machine machine;
    static KdumpPlan plan;

    @BeforeAll
    static void plan() throws Exception {
        Path capture = Reference.capture(Reference.CAPTURE_CMA);
        machine = MachineCapture.read(capture);
        RecordedRequest recorded = RecordedRequest.read(capture);
        KdumpRequest req = new KdumpRequest(
                ElfFile.parse(Files.readAllBytes(capture.resolve("kdump/vmlinux-phdrs")), "vmlinux"),
                Files.readAllBytes(capture.resolve("kdump/initrd-zeros")),
                recorded.append().orElseThrow());
        PlanOptions opt = PlanOptions.linux612().withSeeds(KASLR_SEED, new byte[128]);
        plan = new Ppc64KdumpPlanner(PurgatoryProvider.placeholder(4096)).plan(machine, req, opt);
    }

    @Test
    void theCaptureHoldsTheKernelsRegionAndCmaArea() throws Exception {
        Path c = Reference.capture(Reference.CAPTURE_CMA);
        assertArrayEquals(Reference.bytes(M, REF, "k1-fdt.bin"), Files.readAllBytes(c.resolve("sys/firmware/fdt")));
        assertArrayEquals(
                Reference.bytes(M, REF, "k1-crashcma.txt"),
                Files.readAllBytes(c.resolve("sys/kernel/kexec_crash_cma_ranges")));
        // ppc64 lists no Crash kernel in /proc/iomem: the region comes from /chosen
        assertTrue(!Reference.text(M, REF, "k1-iomem.txt").contains("Crash kernel"));
        assertEquals(CRASHKERNEL, machine.crashkernel());
        assertEquals(List.of(CMA), machine.crashkernelCma());
        assertTrue(Reference.text(M, REF, "k1-cmdline.txt").contains("crashkernel=512M "));
        assertTrue(Reference.text(M, REF, "k1-cmdline.txt").contains("crashkernel=128M,cma"));
    }

    @Test
    void commandLineIsTheKdumpKernels() {
        assertEquals(Reference.text(M, REF, "k2-cmdline.txt").strip(), plan.cmdline());
        assertEquals(0x20980000L, plan.elfcorehdrAddr());
    }

    /** ehdr and phdrs as the kernel wrote them: the CMA area cut out of the RAM above crashkernel. */
    @Test
    void elfCoreHeaderEqualsTheKernelsByteForByte() {
        byte[] kernels = Reference.bytes(M, REF, "k2-elfcorehdr.bin");
        byte[] ours = plan.elfCoreHeader();
        assertArrayEquals(kernels, Arrays.copyOf(ours, kernels.length));
        for (int i = kernels.length; i < ours.length; i++) {
            assertEquals(0, ours[i], "zero tail at " + i);
        }
        List<MemRange> loads = new ArrayList<>();
        for (ProgramHeader p : ElfFile.parse(ours, "elfcorehdr").programHeaders()) {
            if (p.isLoad()) {
                loads.add(MemRange.ofSize(p.paddr(), p.memsz()));
            }
        }
        assertTrue(loads.contains(new MemRange(0x40000000L, 0xf1ffffffL)), loads.toString());
        assertTrue(loads.contains(new MemRange(0xfa000000L, 0xffffffffL)), loads.toString());
        assertTrue(loads.stream().noneMatch(l -> l.intersects(CMA)), loads.toString());
    }

    /**
     * Byte for byte up to the end of the strings block, with the two edits made after the load
     * (the purgatory writes the crashing CPU into boot_cpuid_phys; the kdump kernel overwrites
     * rng-seed with FDT_NOPs): among them linux,usable-memory of memory@0 and
     * /chosen/linux,usable-memory-range, both with the CMA area after crashkernel.
     */
    @Test
    void fdtBlobEqualsTheKernelsUpToItsFreeSpace() {
        byte[] theirs = Reference.bytes(M, REF, "k2-fdt.bin");
        byte[] ours = plan.kdumpFdtBlob().clone();
        ByteBuffer t = ByteBuffer.wrap(theirs);
        ByteBuffer o = ByteBuffer.wrap(ours);
        assertEquals(t.getInt(4), o.getInt(4), "totalsize");
        o.putInt(28, t.getInt(28));
        Linux612ReferenceTest.nopProperty(o, "rng-seed");
        int contentEnd = t.getInt(12) + t.getInt(32);
        assertArrayEquals(Arrays.copyOf(theirs, contentEnd), Arrays.copyOf(ours, contentEnd));

        Fdt kernels = Fdt.parse(theirs, "k2-fdt.bin");
        byte[] usable = kernels.node("/memory@0")
                .orElseThrow()
                .value("linux,usable-memory")
                .orElseThrow();
        assertArrayEquals(
                concat(Cells.addressRange(2, 2, 0, 0x40000000L), Cells.addressRange(2, 2, CMA.start(), CMA.size())),
                usable);
        byte[] range = kernels.node("/chosen")
                .orElseThrow()
                .value("linux,usable-memory-range")
                .orElseThrow();
        assertArrayEquals(
                concat(
                        Cells.addressRange(2, 2, CRASHKERNEL.start(), CRASHKERNEL.size()),
                        Cells.addressRange(2, 2, CMA.start(), CMA.size())),
                range);
    }

    /** /proc/vmcore as the kdump kernel presented it: headers byte for byte, and its size. */
    @Test
    void vmcoreHeaderAndSizeArePredicted() {
        byte[] seen = Reference.bytes(M, REF, "k2-vmcorehdr.bin");
        List<Long> notes = List.of(
                VmcoreView.PPC64_PRSTATUS_NOTE,
                VmcoreView.PPC64_PRSTATUS_NOTE,
                VmcoreView.vmcoreinfoNoteSize(vmcoreinfoLength(seen)));
        VmcoreView v = VmcoreView.of(plan.elfCoreHeader(), notes, 4096, 4);
        assertArrayEquals(Arrays.copyOf(seen, 4096), v.header());
        Matcher m = Pattern.compile("\\s(\\d{6,})\\s").matcher(Reference.text(M, REF, "k2-vmcoresize.txt"));
        assertTrue(m.find());
        assertEquals(Long.parseLong(m.group(1)), v.size());
        assertEquals(Long.parseLong(m.group(1)), plan.vmcoreSize());
    }

    /** The VMCOREINFO note's data length in /proc/vmcore's merged PT_NOTE (only the kdump kernel knows it). */
    static long vmcoreinfoLength(byte[] vmcore) {
        ElfFile e = ElfFile.parse(vmcore, "k2-vmcorehdr.bin");
        ProgramHeader note = e.programHeaders().stream()
                .filter(p -> p.type() == 4)
                .findFirst()
                .orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(vmcore).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int o = (int) note.offset();
        long last = -1;
        while (o < note.offset() + note.filesz()) {
            int namesz = b.getInt(o);
            int descsz = b.getInt(o + 4);
            last = descsz;
            o += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3);
        }
        return last;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
