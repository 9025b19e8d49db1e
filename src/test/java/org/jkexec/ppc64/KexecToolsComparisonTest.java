package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jkexec.capture.MachineCapture;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jkexec (the kernel's kexec_file_load rules) against kexec-tools 2.0.25 on the same machine
 * (Debian's Linux 6.1, 64 KiB pages). Where they differ, the test pins the difference so the
 * README's account of it stays true; where the dump must agree (what memory it holds), it checks
 * agreement.
 */
class KexecToolsComparisonTest {
    static final String REF = Reference.KEXEC_TOOLS;
    static Ppc64Machine machine;
    static KdumpPlan ours;
    static Fdt theirsFdt;
    static ElfFile theirsVmcore;

    @BeforeAll
    static void plan() {
        machine = MachineCapture.read(Reference.capture(Reference.MACHINE + "-linux6.1"));
        // the Debian 6.1 vmlinux's one PT_LOAD (kdump-kernel.readelf.txt): memsz 0x287c918, 64 KiB aligned
        byte[] kernel = SyntheticKernel.ppc64le(0x287c918L, 0x10000);
        int initrd =
                Integer.parseInt(Reference.text(REF, "kdump-initrd.size.txt").strip());
        ours = new org.jkexec.ppc64.Ppc64KdumpPlanner(Purgatories.standard())
                .plan(
                        machine,
                        new KdumpRequest(
                                ElfFile.parse(kernel, "vmlinux-6.1"),
                                new byte[initrd],
                                "console=hvc0 maxcpus=1 kdmode=none"),
                        PlanOptions.linux612().withSeeds(1L, new byte[128]));
        theirsFdt = Fdt.parse(Reference.bytes(REF, "k2-fdt.bin"), "k2-fdt.bin");
        theirsVmcore = ElfFile.parse(Reference.bytes(REF, "k2-vmcorehdr.bin"), "k2-vmcorehdr.bin");
    }

    @Test
    void bothPutTheKernelAtTheStartOfCrashkernel() {
        assertEquals(0x20000000L, ours.segment(SegmentKind.KERNEL).mem());
        assertEquals(
                List.of(new ReserveEntry(0x10000, 0x1fff0000)),
                theirsFdt.reserveMap().subList(0, 1));
        assertTrue(ours.kdumpFdt().reserveMap().contains(new ReserveEntry(0x10000, 0x1fff0000)));
    }

    /** kexec-tools appends elfcorehdr=<KiB>K; the kernel prepends elfcorehdr=0x<hex>. */
    @Test
    void commandLineConventionsDiffer() {
        String theirs = Reference.text(REF, "k2-cmdline.txt").strip();
        assertEquals("console=hvc0 maxcpus=1 kdmode=none elfcorehdr=565824K", theirs);
        assertEquals(
                "elfcorehdr=0x" + Long.toHexString(ours.elfcorehdrAddr()) + " console=hvc0 maxcpus=1 kdmode=none",
                ours.cmdline());
        assertEquals(565824L * 1024, 0x22890000L, "kexec-tools' header sits right after its backup segment");
    }

    /**
     * kexec-tools keeps every segment below the real-mode top (0x30000000 here) and the FDT at the
     * highest page below it; the kernel (and jkexec) use all of crashkernel under radix, with the
     * purgatory and FDT at its top.
     */
    @Test
    void placementDiffers() {
        assertEquals(0x3fff0000L, ours.segment(SegmentKind.PURGATORY).mem());
        assertTrue(ours.segment(SegmentKind.FDT).mem() > 0x30000000L);
        assertTrue(
                theirsFdt.reserveMap().contains(new ReserveEntry(0x2ffe0000L, 0x5dc0)), "their FDT below 0x30000000");
    }

    /** Both dumps hold the same memory: all RAM outside crashkernel, the first 64 KiB from a backup copy. */
    @Test
    void bothDumpTheSameMemoryExceptRtasRounding() {
        MemRanges theirs = new MemRanges();
        for (ProgramHeader p : theirsVmcore.loadSegments()) {
            theirs.add(p.paddr(), p.memsz());
        }
        theirs.sort(true);
        MemRanges mine = MemRanges.of(ours.crashRanges().toList());
        mine.sort(true);
        List<MemRange> expected =
                new ArrayList<>(List.of(new MemRange(0, 0x1fffffff), new MemRange(0x40000000L, 0xffffffffL)));
        // RTAS inside crashkernel: kexec-tools rounds it out to a 64 KiB page, the kernel exports it exactly
        expected.add(1, new MemRange(0x2fff0000L, 0x2fffffffL));
        assertEquals(expected, theirs.toList());
        assertEquals(
                List.of(
                        new MemRange(0, 0x1fffffff),
                        new MemRange(0x2fff0000L, 0x2fff083bL),
                        new MemRange(0x40000000L, 0xffffffffL)),
                mine.toList());
        Segment backup = ours.segment(SegmentKind.BACKUP);
        assertEquals(0x20000000L + 0x2880000L, backup.mem(), "ours: right after the kernel, like theirs");
    }
}
