package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.VmcoreView;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.fdt.FdtProperty;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.PurgatoryProvider;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.HoleFinder;
import org.jkexec.memory.MemRange;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test against what Linux 6.12's kexec_file_load gave a real kdump kernel on a
 * QEMU pseries guest (4 GiB, 2 CPUs, crashkernel=512M): the planner, fed the first kernel's
 * facts, must produce the same placement, FDT, reserve map and ELF core header.
 */
class Linux612ReferenceTest {
    static final String REF = Reference.KERNEL_612;
    /** The kaslr-seed the kernel drew (random; read back from k2-fdt.bin so the FDTs can be compared). */
    static final long KASLR_SEED = 0xe8ceea4deb8acf31L;

    static Ppc64Machine machine;
    static KdumpPlan plan;

    /** The kdump kernel and initrd of the reference run (stand-ins of the same sizes) with a command line. */
    static KdumpRequest referenceRequest(String cmdline) throws Exception {
        byte[] kernel = Files.readAllBytes(Reference.capture(Reference.MACHINE).resolve("kdump/vmlinux-phdrs"));
        byte[] initrd = new byte
                [Integer.parseInt(Reference.text(REF, "kdump-initrd.size.txt").strip())];
        return new KdumpRequest(ElfFile.parse(kernel, "vmlinux"), initrd, cmdline);
    }

    @BeforeAll
    static void plan() throws Exception {
        machine = MachineCapture.read(Reference.capture(Reference.MACHINE));
        KdumpRequest req = referenceRequest("console=hvc0 maxcpus=1 kdmode=none");
        PlanOptions opt = PlanOptions.linux612().withSeeds(KASLR_SEED, new byte[128]);
        plan = new Ppc64KdumpPlanner(PurgatoryProvider.placeholder(4096)).plan(machine, req, opt);
    }

    @Test
    void bundledCaptureIsTheReferenceData() throws Exception {
        Path c = Reference.capture(Reference.MACHINE);
        assertArrayEquals(Reference.bytes(REF, "k1-fdt.bin"), Files.readAllBytes(c.resolve("sys/firmware/fdt")));
        assertArrayEquals(Reference.bytes(REF, "k1-iomem.txt"), Files.readAllBytes(c.resolve("proc/iomem")));
        assertEquals(new MemRange(0x20000000L, 0x3fffffffL), machine.crashkernel());
        assertEquals(0x7de000L, machine.kernelEnd());
        assertEquals(2, machine.possibleCpus());
    }

    /** Segment placements as k1-dmesgkexec.txt shows them added to the exclude list. */
    @Test
    void segmentsArePlacedWhereTheKernelPlacedThem() {
        List<String> got = plan.segments().stream()
                .map(s -> String.format("%s 0x%x-0x%x", s.kind(), s.mem(), s.end()))
                .toList();
        assertEquals(
                List.of(
                        "kernel 0x20000000-0x207ddfff",
                        "purgatory 0x3ffff000-0x3fffffff",
                        "backup 0x207e0000-0x207effff",
                        "elfcorehdr 0x207f0000-0x20860fff",
                        "initrd 0x20861000-0x20b3efff",
                        "fdt 0x3fff6000-0x3fffefff"),
                got);
        // and each placement matches a line "Added memory range [a - b]" of the kernel's log
        List<MemRange> added = addedRanges();
        for (Segment s : plan.segments()) {
            assertTrue(added.contains(new MemRange(s.mem(), s.end())), s.kind() + " not in the kernel's log");
        }
    }

    @Test
    void rangeListsEqualTheKernelsLog() {
        String log = Reference.text(REF, "k1-dmesgkexec.txt");
        List<List<MemRange>> blocks = memoryRangeBlocks(log);
        // block 0: exclude list before any segment (kernel [0,_end), RTAS)
        assertEquals(blocks.get(0), List.of(new MemRange(0, 0x7ddfff), new MemRange(0x2ffff000L, 0x2ffff83bL)));
        assertEquals(blocks.get(0), plan.excludeRanges().toList());
        // block 4: the crash memory ranges, one PT_LOAD each
        assertEquals(blocks.get(4), plan.crashRanges().toList());
    }

    @Test
    void commandLineIsTheKdumpKernels() {
        assertEquals(Reference.text(REF, "k2-cmdline.txt").strip(), plan.cmdline());
        assertEquals(0x207f0000L, plan.elfcorehdrAddr());
    }

    @Test
    void elfCoreHeaderEqualsTheKernelsByteForByte() {
        byte[] kernels = Reference.bytes(REF, "k2-elfcorehdr.bin");
        byte[] ours = plan.elfCoreHeader();
        assertEquals(4096, ours.length);
        assertArrayEquals(kernels, Arrays.copyOf(ours, kernels.length));
        for (int i = kernels.length; i < ours.length; i++) {
            assertEquals(0, ours[i], "zero tail at " + i);
        }
        assertEquals(
                0x71000,
                plan.segment(SegmentKind.ELFCOREHDR).memsz(),
                "hotplug slack: (8192 - 4) * 56 + 4096, page aligned");
    }

    /** /proc/vmcore as the kdump kernel presented it: headers byte for byte, and its size. */
    @Test
    void vmcoreHeaderAndSizeArePredicted() {
        long vmcoreinfoLen = 0xdad; // length of the vmcoreinfo text in that run (only the kdump kernel sees it)
        List<Long> notes = List.of(
                VmcoreView.PPC64_PRSTATUS_NOTE,
                VmcoreView.PPC64_PRSTATUS_NOTE,
                VmcoreView.vmcoreinfoNoteSize(vmcoreinfoLen));
        VmcoreView v = VmcoreView.of(plan.elfCoreHeader(), notes, 4096, 4);
        byte[] seen = Reference.bytes(REF, "k2-vmcorehdr.bin");
        assertArrayEquals(Arrays.copyOf(seen, 4096), v.header());
        String ls = Reference.text(REF, "k2-vmcoresize.txt");
        Matcher m = Pattern.compile("\\s(\\d{6,})\\s").matcher(ls);
        assertTrue(m.find());
        assertEquals(Long.parseLong(m.group(1)), v.size());
        // the plan's own prediction, without the vmcoreinfo length: an upper bound that holds here
        assertEquals(Long.parseLong(m.group(1)), plan.vmcoreSize());
        assertFalse(plan.vmcoreSizeExact(), "with 4 KiB pages the vmcoreinfo length can change the page count");
    }

    @Test
    void fdtEqualsTheKernelsPropertyByProperty() {
        Fdt kernels = Fdt.parse(Reference.bytes(REF, "k2-fdt.bin"), "k2-fdt.bin");
        Fdt ours = plan.kdumpFdt();
        assertEquals(kernels.reserveMap(), ours.reserveMap());
        List<String> diffs = new ArrayList<>();
        compare(kernels.root(), ours.root(), diffs);
        // rng-seed: the kdump kernel consumed it and overwrote it with NOPs (drivers/of/fdt.c)
        assertEquals(List.of("/chosen: rng-seed only in ours"), diffs);
        assertEquals(
                Reference.bytes(REF, "k2-fdt.bin").length,
                plan.kdumpFdtBlob().length,
                "totalsize: boot 0x7000 + cmdline 56 + 0x1000 + 16 for one reserved range, unpacked");
    }

    /**
     * Byte for byte: our blob, with the two edits made after the load (the purgatory writes the
     * crashing CPU into boot_cpuid_phys; the kdump kernel overwrites rng-seed with FDT_NOPs),
     * equals what the kdump kernel held, up to the end of its strings block. The rest is the
     * kernel's free space, which it never initialised.
     */
    @Test
    void fdtBlobEqualsTheKernelsUpToItsFreeSpace() {
        byte[] theirs = Reference.bytes(REF, "k2-fdt.bin");
        byte[] ours = plan.kdumpFdtBlob().clone();
        ByteBuffer t = ByteBuffer.wrap(theirs);
        ByteBuffer o = ByteBuffer.wrap(ours);
        o.putInt(28, t.getInt(28)); // boot_cpuid_phys: CPU 1 crashed
        nopProperty(o, "rng-seed");
        int contentEnd = t.getInt(12) + t.getInt(32); // off_dt_strings + size_dt_strings
        assertArrayEquals(Arrays.copyOf(theirs, contentEnd), Arrays.copyOf(ours, contentEnd));
    }

    /** Overwrites a property with FDT_NOP tags, as libfdt's fdt_nop_property does. */
    static void nopProperty(ByteBuffer b, String name) {
        int off = b.getInt(8);
        int strings = b.getInt(12);
        while (true) {
            int tag = b.getInt(off);
            if (tag == 1) {
                int e = off + 4;
                while (b.get(e) != 0) {
                    e++;
                }
                off = (e + 1 + 3) & ~3;
            } else if (tag == 3) {
                int len = b.getInt(off + 4);
                int nameOff = b.getInt(off + 8);
                int end = off + 12 + ((len + 3) & ~3);
                StringBuilder n = new StringBuilder();
                for (int i = strings + nameOff; b.get(i) != 0; i++) {
                    n.append((char) b.get(i));
                }
                if (n.toString().equals(name)) {
                    for (int i = off; i < end; i += 4) {
                        b.putInt(i, 4);
                    }
                }
                off = end;
            } else if (tag == 2 || tag == 4) {
                off += 4;
            } else {
                return;
            }
        }
    }

    static void compare(FdtNode theirs, FdtNode ours, List<String> diffs) {
        List<String> tp = theirs.properties().stream().map(FdtProperty::name).toList();
        List<String> op = ours.properties().stream()
                .map(FdtProperty::name)
                .filter(n -> !n.equals("rng-seed"))
                .toList();
        if (ours.hasProperty("rng-seed") && !theirs.hasProperty("rng-seed")) {
            diffs.add(ours.path() + ": rng-seed only in ours");
        }
        if (!tp.equals(op)) {
            diffs.add(ours.path() + ": properties " + tp + " vs " + op);
        } else {
            for (String n : tp) {
                if (!Arrays.equals(theirs.value(n).orElseThrow(), ours.value(n).orElseThrow())) {
                    diffs.add(ours.path() + "/" + n + " differs");
                }
            }
        }
        List<String> tc = theirs.children().stream().map(FdtNode::name).toList();
        List<String> oc = ours.children().stream().map(FdtNode::name).toList();
        if (!tc.equals(oc)) {
            diffs.add(ours.path() + ": children " + tc + " vs " + oc);
            return;
        }
        for (int i = 0; i < tc.size(); i++) {
            compare(theirs.children().get(i), ours.children().get(i), diffs);
        }
    }

    /** Without crash hotplug the kernel packs the FDT and adds no elfcorehdr slack. */
    @Test
    void withoutCrashHotplugTheFdtIsPackedAndTheHeaderHasNoSlack() throws Exception {
        KdumpRequest req = referenceRequest("console=hvc0");
        KdumpPlan packed = new Ppc64KdumpPlanner(PurgatoryProvider.placeholder(4096))
                .plan(
                        machine,
                        req,
                        PlanOptions.linux612().withCrashHotplug(false).withSeeds(KASLR_SEED, new byte[128]));
        assertEquals(0x1000, packed.segment(SegmentKind.ELFCOREHDR).memsz());
        assertEquals(0x1000, packed.elfcorehdrSize());
        Fdt reparsed = Fdt.parse(packed.kdumpFdtBlob(), "packed");
        assertEquals(
                packed.kdumpFdtBlob().length,
                ByteBuffer.wrap(packed.kdumpFdtBlob()).getInt(4),
                "totalsize is the blob");
        int stringsEnd = ByteBuffer.wrap(packed.kdumpFdtBlob()).getInt(12)
                + ByteBuffer.wrap(packed.kdumpFdtBlob()).getInt(32);
        assertEquals(packed.kdumpFdtBlob().length, stringsEnd, "no free space after the strings");
        assertEquals(java.util.Optional.empty(), packed.kdumpFdt().firstDifference(reparsed));
    }

    @Test
    void mainlineHoleSearchPlacesTheSameWayHere() throws Exception {
        KdumpRequest req = referenceRequest("console=hvc0");
        KdumpPlan mainline = new Ppc64KdumpPlanner(PurgatoryProvider.placeholder(4096))
                .plan(machine, req, PlanOptions.linux612().withHoleSearch(HoleFinder.Strategy.MAINLINE));
        assertEquals(
                plan.segments().stream().map(Segment::mem).toList(),
                mainline.segments().stream().map(Segment::mem).toList());
    }

    static List<MemRange> addedRanges() {
        List<MemRange> out = new ArrayList<>();
        Matcher m = Pattern.compile("Added memory range \\[0x([0-9a-f]+) - 0x([0-9a-f]+)\\]")
                .matcher(Reference.text(REF, "k1-dmesgkexec.txt"));
        while (m.find()) {
            out.add(new MemRange(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)));
        }
        return out;
    }

    static List<List<MemRange>> memoryRangeBlocks(String log) {
        List<List<MemRange>> blocks = new ArrayList<>();
        List<MemRange> cur = null;
        Pattern entry = Pattern.compile("\\[\\d+\\]\\[0x([0-9a-f]+) - 0x([0-9a-f]+)\\]");
        for (String line : log.split("\n")) {
            if (line.contains("Memory ranges:")) {
                cur = new ArrayList<>();
                blocks.add(cur);
                continue;
            }
            Matcher m = entry.matcher(line);
            if (m.find() && cur != null) {
                cur.add(new MemRange(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)));
            } else {
                cur = null;
            }
        }
        return blocks;
    }
}
