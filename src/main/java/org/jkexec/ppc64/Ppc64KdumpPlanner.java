package org.jkexec.ppc64;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.elf.ElfCoreHeader;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.elf.VmcoreView;
import org.jkexec.fdt.Fdt;
import org.jkexec.kexec.BackupRegion;
import org.jkexec.kexec.BootProblem;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.PurgatoryProvider;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.kexec.SegmentPlacer;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.units.ByteSize;
import org.jkexec.units.Hex;

/**
 * Plans a ppc64 kdump load as arch/powerpc/kexec/elf_64.c does for kexec_file_load
 * (docs/ppc64-kdump.md#placement): kernel PT_LOADs, purgatory, backup region, ELF core header, initrd, FDT, placed in
 * that order inside crashkernel. A pure function of the machine, the request and the options.
 */
public final class Ppc64KdumpPlanner {
    /** COMMAND_LINE_SIZE on powerpc. */
    public static final int COMMAND_LINE_SIZE = 2048;
    /** ELF e_machine of ppc64. */
    private static final int EM_PPC64 = 21;

    private final PurgatoryProvider purgatory;

    /** The kernel's estimate of the kdump FDT is too small: kexec_file_load would fail. */
    public static final class FdtEstimateShort extends JkexecException {
        private static final long serialVersionUID = 1L;

        FdtEstimateShort(String message) {
            super(message);
        }
    }

    public Ppc64KdumpPlanner(PurgatoryProvider purgatory) {
        this.purgatory = purgatory;
    }

    /**
     * The plan for a kdump load. Linux 6.12's plan whenever the kdump kernel can boot from it;
     * where it cannot (crashkernel leaves the kdump kernel no memory below a limit its early
     * boot needs, see {@link LowMemory}), jkexec's rule: enlarge the backup region, the low
     * memory the purgatory saves and the kdump kernel may use, until those needs fit. With
     * {@link PlanOptions.Placement#KERNEL} the kernel's plan is kept and its problem reported.
     * A plan that still cannot boot carries a {@link BootProblem}: never to be loaded;
     * so does one whose kdump kernel lies where a 32-bit RTAS cannot return to ({@link RtasReach}).
     * Where KVM's area would take too much of crashkernel ({@link KvmArea}) the kdump kernel's
     * command line gets {@code kvm_cma_resv_ratio=0}, unless it names a ratio already or the
     * kernel's placement is asked for: then the plan carries the problem.
     */
    public KdumpPlan plan(Ppc64Machine m, KdumpRequest req, PlanOptions opt) {
        List<LowMemory.Need> needs = LowMemory.needs(m);
        refuseAboveTheRealModeArea(m, needs);
        KdumpPlan kernels = plan(m, req, opt, LowMemory.KERNEL_BACKUP_SIZE, true);
        Optional<BootProblem> rtas = RtasReach.problem(m, kernels.segments());
        if (rtas.isPresent()) {
            // the kdump kernel runs where it is loaded: no placement inside crashkernel helps,
            // so jkexec's rule lets it run at 0 instead (kernelAtZero)
            if (opt.placement() == PlanOptions.Placement.KERNEL) {
                return kernels.withBootProblem(BootProblem.keptKernelsPlacement(
                        rtas.get().unmet(), rtas.get().fix()));
            }
            return kernelAtZero(m, req, opt, needs, kernels, rtas.get());
        }
        Optional<BootProblem> kvm = KvmArea.problem(m, req.cmdline());
        if (kvm.isPresent()) {
            // jkexec's rule: a kdump kernel never runs KVM guests, so where KVM's area would starve
            // it the area is turned off, unless the kernel's placement is asked for or the command
            // line already chose a ratio (the user's word stands, and the plan is refused)
            if (opt.placement() == PlanOptions.Placement.KERNEL || KvmArea.ratioGiven(req.cmdline())) {
                return kernels.withBootProblem(kvm.get());
            }
            KdumpRequest turnedOff = new KdumpRequest(req.kernel(), req.initrd(), KvmArea.turnedOff(req.cmdline()));
            return plan(m, turnedOff, opt).withNote(KvmArea.turnedOffNote(m));
        }
        Optional<LowMemory.Need> unmet =
                LowMemory.unmet(m, kernels.usableRanges(), kernels.kdumpFdt().reserveMap(), kernels.segments(), needs);
        if (unmet.isEmpty()) {
            return kernels;
        }
        MemRange ck = m.crashkernel();
        String problem = LowMemory.describe(ck, unmet.get());
        Optional<String> fix = LowMemory.suggestion(m, needs);
        if (opt.placement() == PlanOptions.Placement.KERNEL) {
            return kernels.withBootProblem(BootProblem.keptKernelsPlacement(problem, fix));
        }
        long backup = LowMemory.enlargedBackupSize(needs);
        long firstRamEnd = firstRamEnd(m);
        if (Long.compareUnsigned(backup, ck.start()) > 0
                || Long.compareUnsigned(backup, firstRamEnd) > 0
                || Long.compareUnsigned(backup, needs.get(0).limit()) > 0) {
            return kernels.withBootProblem(BootProblem.remedyFailed(
                    problem,
                    ", and a backup region of "
                            + ByteSize.text(backup) + " to make room would not fit below crashkernel and "
                            + ByteSize.text(needs.get(0).limit()),
                    fix));
        }
        KdumpPlan enlarged;
        try {
            enlarged = plan(m, req, opt, backup, true);
        } catch (JkexecException e) {
            return kernels.withBootProblem(BootProblem.remedyFailed(
                    problem,
                    ", and with a backup region of " + ByteSize.text(backup) + " to make room: " + e.getMessage(),
                    fix));
        }
        Optional<LowMemory.Need> still = LowMemory.unmet(
                m, enlarged.usableRanges(), enlarged.kdumpFdt().reserveMap(), enlarged.segments(), needs);
        if (still.isPresent()) {
            return enlarged.withBootProblem(BootProblem.remedyFailed(
                    LowMemory.describe(ck, still.get()),
                    ", even with a backup region of " + ByteSize.text(backup),
                    fix));
        }
        return enlarged.withNote("backup region enlarged from 64 KiB to " + ByteSize.text(backup) + ": with the "
                + "kernel's placement " + problem + "; the purgatory saves [0, " + ByteSize.text(backup)
                + ") to " + Hex.hex(enlarged.backupStart()) + ", the dump reads it from there, and the kdump "
                + "kernel gets that low memory (--placement kernel keeps the kernel's plan)");
    }

    /**
     * jkexec's rule where crashkernel puts the kdump kernel above 4 GiB and the machine's RTAS
     * is 32-bit (docs/ppc64-kdump.md#the-kdump-kernel-below-4-gib): the kdump kernel is left to
     * do what it does on every plain kexec, copy itself to physical 0 and run there (its
     * run_at_load word keeps the kernel's own value, not 1). The backup region then covers the
     * whole kernel and room for its early allocations above it: the purgatory saves that much
     * of the crashed kernel's low memory before the kdump kernel overwrites it, the dump reads
     * it from the copy, and the kdump kernel gets it as its own.
     */
    private KdumpPlan kernelAtZero(
            Ppc64Machine m,
            KdumpRequest req,
            PlanOptions opt,
            List<LowMemory.Need> needs,
            KdumpPlan kernels,
            BootProblem rtas) {
        // the kernel copies itself from where it was loaded up to _end: the span of its PT_LOADs
        // (a plan with an RTAS problem has a kernel segment)
        MemRange loadedAt = RtasReach.kernelSpan(kernels.segments()).orElseThrow();
        long lowest = loadedAt.start();
        MemRange runsAt = new MemRange(0, loadedAt.end() - lowest);
        long backup = LowMemory.backupSizeAbove(runsAt.size(), needs);
        long below = RtasReach.LIMIT;
        String belowWhat = "4 GiB";
        if (!needs.isEmpty() && Long.compareUnsigned(needs.get(0).limit(), below) < 0) {
            below = needs.get(0).limit();
            belowWhat = ByteSize.text(below);
        }
        long firstRamEnd = firstRamEnd(m);
        String tried = ", and running the kdump kernel at 0 needs a backup region of " + ByteSize.text(backup);
        if (Long.compareUnsigned(backup, m.crashkernel().start()) > 0
                || Long.compareUnsigned(backup, firstRamEnd) > 0
                || Long.compareUnsigned(backup, below) > 0) {
            return kernels.withBootProblem(BootProblem.remedyFailed(
                    rtas.unmet(),
                    tried + ", which would not fit in the first RAM below crashkernel and " + belowWhat,
                    rtas.fix()));
        }
        KdumpPlan atZero;
        try {
            atZero = plan(m, req, opt, backup, false);
        } catch (JkexecException e) {
            return kernels.withBootProblem(
                    BootProblem.remedyFailed(rtas.unmet(), tried + ": " + e.getMessage(), rtas.fix()));
        }
        Optional<LowMemory.Need> still = LowMemory.unmet(
                m, atZero.usableRanges(), atZero.kdumpFdt().reserveMap(), atZero.segments(), needs, List.of(runsAt));
        if (still.isPresent()) {
            return atZero.withBootProblem(
                    BootProblem.remedyFailed(LowMemory.describe(m.crashkernel(), still.get()), tried, rtas.fix()));
        }
        return atZero.withNote("the kdump kernel runs at 0: loaded in crashkernel at " + Hex.hex(lowest)
                + ", above 4 GiB, where this machine's 32-bit RTAS could not return to it, it copies itself to "
                + "[0, " + Hex.hex(runsAt.end() + 1)
                + ") as on a plain kexec; the backup region is enlarged from 64 KiB "
                + "to " + ByteSize.text(backup) + " to hold it and its early allocations: the purgatory saves [0, "
                + ByteSize.text(backup) + ") to " + Hex.hex(atZero.backupStart()) + " and the dump reads it from there "
                + "(--placement kernel keeps the kernel's plan)");
    }

    /** Where the RAM block starting at 0 ends (0 when none starts there): the backup region must lie in it. */
    private static long firstRamEnd(Ppc64Machine m) {
        return m.systemRam().isEmpty() || m.systemRam().get(0).start() != 0
                ? 0
                : m.systemRam().get(0).end() + 1;
    }

    /**
     * With the hash MMU the purgatory and the kdump kernel start in real mode, where only the
     * real-mode area is addressable: the kernel places every segment below it, and a
     * crashkernel wholly above it leaves no place at all (the kernel's kexec_file_load fails
     * with EADDRNOTAVAIL; kexec-tools finds no free area). Said here, with a crashkernel= that
     * would work, rather than as a segment without room.
     */
    private static void refuseAboveTheRealModeArea(Ppc64Machine m, List<LowMemory.Need> needs) {
        long rma = m.rmaSize();
        MemRange ck = m.crashkernel();
        if (rma == -1 || Long.compareUnsigned(ck.start(), rma) < 0) {
            return;
        }
        String fix = LowMemory.suggestion(m, needs)
                .map(x -> "; " + x + " would work")
                .orElse("; reserve a crashkernel that fits below it");
        throw new JkexecException("crashkernel " + ck + " lies above the real-mode area (it ends at "
                + Hex.hex(rma) + "): with the hash MMU the purgatory and the kdump kernel start in real mode, "
                + "so every segment must lie below it and none can be placed (the kernel would fail with "
                + "EADDRNOTAVAIL)" + fix);
    }

    /**
     * One kdump load in the kernel's phases (elf64_load, then setup_new_fdt_ppc64 and
     * setup_purgatory_ppc64), with {@code backupSize} bytes of low memory saved by the purgatory;
     * {@code runAtLoad} false lets the kdump kernel copy itself to 0 (see kernelAtZero).
     */
    private KdumpPlan plan(Ppc64Machine m, KdumpRequest req, PlanOptions opt, long backupSize, boolean runAtLoad) {
        checkKernel(req.kernel());
        KdumpRanges ranges = new KdumpRanges(m, backupSize);
        // parsed once: 262,144 LMBs on the largest machines
        Optional<DrconfMemory> lmbs = DrconfMemory.of(m.liveTree());
        MachineChecks.validate(m, ranges.regions(), lmbs);
        Load load = new Load(m, opt, ranges, lmbs);
        long kernelLoadAddr = load.kernelSegments(req.kernel());
        Segment purg = load.purgatorySegment();
        Segment backup = load.backupSegment(backupSize);
        Segment elfcorehdr = load.elfcorehdrSegment(backup);
        String cmdline = kdumpCmdline(elfcorehdr.mem(), req.cmdline());
        Optional<Segment> initrd = load.initrdSegment(req.initrd());
        Fdt fdt = load.kdumpFdt(initrd, elfcorehdr, backup, backupSize, cmdline);
        Segment fdtSeg = load.fdtSegment(fdt, cmdline);
        load.setupPurgatory(req.kernel(), purg, kernelLoadAddr, fdtSeg, backup, backupSize, runAtLoad);
        KdumpPlan plan = load.plan(purg, kernelLoadAddr, backup, backupSize, elfcorehdr, fdt, cmdline);
        if (!load.fdtBuilder.kernelsLmbEntriesMisread()) {
            return plan;
        }
        DrconfMemory d = lmbs.orElseThrow();
        int lmb = d.firstUnusableBeforeUsable();
        String why = String.format(
                "LMB %d (0x%x) is unassigned or reserved but precedes assigned LMBs, and the kdump kernel skips "
                        + "such LMBs' linux,drconf-usable-memory entries while the kernel's writer emits one for "
                        + "every LMB",
                lmb, d.base(lmb));
        // jkexec's rule (docs/ppc64-kdump.md#usable-memory): the value as the kdump kernel reads it
        if (opt.placement() == PlanOptions.Placement.KERNEL) {
            return plan.withBootProblem(BootProblem.keptKernelsPlacement(
                    "the kdump kernel would read the kernel's linux,drconf-usable-memory as other memory than "
                            + "it describes (" + why + "): it would run without crashkernel's memory or in the "
                            + "crashed kernel's",
                    Optional.empty()));
        }
        return plan.withNote("linux,drconf-usable-memory written as the kdump kernel reads it, an entry for each "
                + "assigned LMB only: " + why + ", so with the kernel's value it would have read other memory than "
                + "crashkernel (--placement kernel keeps the kernel's value)");
    }

    /** The state of one load while its segments are placed, phase by phase. */
    private final class Load {
        final Ppc64Machine m;
        final PlanOptions opt;
        final KdumpRanges ranges;
        final MemRanges exclude;
        final MemRanges crash;
        final MemRanges usable;
        final MemRanges reserved;
        final SegmentPlacer placer;
        final long page;
        /** kbuf/pbuf of elf64_load: for kdump, [crashk.start, min(crashk.end, ppc64_rma_size - 1)]. */
        final long bufMax;

        final List<String> warnings = new ArrayList<>();
        /** kbuf keeps the last kernel PT_LOAD's alignment for the backup and elfcorehdr segments. */
        long lastAlign;

        final Optional<DrconfMemory> lmbs;
        KdumpFdt fdtBuilder;
        byte[] header;
        long elfcorehdrSize;
        byte[] fdtBlob;

        Load(Ppc64Machine m, PlanOptions opt, KdumpRanges ranges, Optional<DrconfMemory> lmbs) {
            this.m = m;
            this.lmbs = lmbs;
            this.opt = opt;
            this.ranges = ranges;
            this.exclude = ranges.exclude();
            this.crash = ranges.crash();
            this.usable = ranges.usable();
            this.reserved = ranges.reserved();
            this.page = m.pageSize();
            this.lastAlign = page;
            MemRange ck = m.crashkernel();
            this.placer = new SegmentPlacer(opt.holeSearch(), m.systemRam(), exclude, ck, page);
            this.bufMax = Long.compareUnsigned(ck.end(), m.rmaSize() - 1) < 0 ? ck.end() : m.rmaSize() - 1;
        }

        /** The kernel's PT_LOADs: buf_min = p_paddr, align = p_align, bottom-up. Returns the lowest placement. */
        long kernelSegments(ElfFile k) {
            long kernelLoadAddr = -1;
            for (ProgramHeader ph : k.loadSegments()) {
                Segment s = placer.place(
                        SegmentKind.KERNEL, k.segmentView(ph), ph.memsz(), ph.align(), ph.paddr(), bufMax, false);
                lastAlign = ph.align();
                if (Long.compareUnsigned(s.mem(), kernelLoadAddr) < 0) {
                    kernelLoadAddr = s.mem();
                }
            }
            return kernelLoadAddr;
        }

        /** The purgatory: top-down in the same window; its contents come last, once every address is known. */
        Segment purgatorySegment() {
            long purgatoryAlign = Math.max(purgatory.alignment(), page);
            return placer.place(
                    SegmentKind.PURGATORY,
                    new byte[purgatory.size()],
                    purgatory.size(),
                    purgatoryAlign,
                    m.crashkernel().start(),
                    bufMax,
                    true);
        }

        /**
         * load_backup_segment: bottom-up. The purgatory fills it at crash time; the kernel hands
         * over a zero buffer of 64 KiB, an enlarged region is handed over empty (kexec_load
         * zero-fills memsz).
         */
        Segment backupSegment(long backupSize) {
            byte[] buffer = new byte[backupSize == LowMemory.KERNEL_BACKUP_SIZE ? (int) backupSize : 0];
            return placer.place(SegmentKind.BACKUP, buffer, backupSize, lastAlign, 0, bufMax, false);
        }

        /** load_elfcorehdr_segment: the ELF core header, its backup PT_LOAD pointed at the copy, bottom-up. */
        Segment elfcorehdrSegment(Segment backup) {
            header = ElfCoreHeader.build(
                    m.crashNotes(), m.vmcoreinfo(), crash.toList(), Ppc64Machine.PAGE_OFFSET, ByteOrder.LITTLE_ENDIAN);
            ElfCoreHeader.redirectLoad(header, BackupRegion.SOURCE.start(), backup.mem(), ByteOrder.LITTLE_ENDIAN);
            long headerMemsz = header.length + elfcorehdrSlack(crash.size(), opt, warnings);
            Segment elfcorehdr = placer.place(SegmentKind.ELFCOREHDR, header, headerMemsz, lastAlign, 0, bufMax, false);
            // with crash hotplug the kdump kernel is told the whole slot (it may be rewritten in place)
            elfcorehdrSize = opt.crashHotplug() && opt.memoryHotplug() ? elfcorehdr.memsz() : header.length;
            return elfcorehdr;
        }

        /** The initrd, if any: bottom-up, page aligned. */
        Optional<Segment> initrdSegment(ByteBuffer initrd) {
            return initrd == null
                    ? Optional.empty()
                    : Optional.of(placer.place(SegmentKind.INITRD, initrd, initrd.capacity(), page, 0, bufMax, false));
        }

        /** of_kexec_alloc_and_setup_fdt and setup_new_fdt_ppc64: the boot FDT edited for the kdump kernel. */
        Fdt kdumpFdt(Optional<Segment> initrd, Segment elfcorehdr, Segment backup, long backupSize, String cmdline) {
            fdtBuilder = new KdumpFdt(m, lmbs, opt.placement() != PlanOptions.Placement.KERNEL);
            return fdtBuilder.build(new KdumpFdt.Inputs(
                    initrd.map(Segment::mem).orElse(0L),
                    initrd.map(Segment::bufsz).orElse(0L),
                    elfcorehdr.mem(),
                    elfcorehdrSize,
                    backup.mem(),
                    backupSize,
                    cmdline,
                    opt.kaslrSeed(),
                    opt.rngSeed(),
                    usable,
                    reserved));
        }

        /** The FDT's blob in the kernel's buffer, placed top-down. */
        Segment fdtSegment(Fdt fdt, String cmdline) {
            fdtBlob = fdtBlob(
                    fdt,
                    fdtBuilder.allocationSize(cmdline, reserved, opt.crashHotplug()),
                    opt.crashHotplug() ? fdtBuilder.cpuHotplugRoom() : 0,
                    opt,
                    warnings);
            return placer.place(SegmentKind.FDT, fdtBlob, fdtBlob.length, page, 0, bufMax, true);
        }

        /** setup_purgatory_ppc64: the purgatory's contents, now that every address is known. */
        void setupPurgatory(
                ElfFile k,
                Segment purg,
                long kernelLoadAddr,
                Segment fdtSeg,
                Segment backup,
                long backupSize,
                boolean runAtLoad) {
            long[] opal = ranges.regions().opalBaseAndEntry().orElse(new long[] {0, 0});
            byte[] purgBytes = purgatory.build(
                    new PurgatoryProvider.Params(
                            kernelLoadAddr,
                            fdtSeg.mem(),
                            backup.mem(),
                            backupSize,
                            opal[0],
                            opal[1],
                            runAtLoad,
                            kernelHead(k)),
                    purg.mem());
            placer.replaceBuffer(SegmentKind.PURGATORY, purgBytes);
        }

        KdumpPlan plan(
                Segment purg,
                long kernelLoadAddr,
                Segment backup,
                long backupSize,
                Segment elfcorehdr,
                Fdt fdt,
                String cmdline) {
            long[] vmcore = vmcoreSize(m, header);
            return KdumpPlan.builder()
                    .segments(placer.segments())
                    .entry(purg.mem())
                    .kernelLoadAddr(kernelLoadAddr)
                    .backupStart(backup.mem())
                    .backupSize(backupSize)
                    .elfcorehdrAddr(elfcorehdr.mem())
                    .elfcorehdrSize(elfcorehdrSize)
                    .elfCoreHeader(header)
                    .kdumpFdt(fdt)
                    .kdumpFdtBlob(fdtBlob)
                    .cmdline(cmdline)
                    .excludeRanges(exclude)
                    .usableRanges(usable)
                    .crashRanges(crash)
                    .reservedRanges(reserved)
                    .vmcoreSize(vmcore[1])
                    .vmcoreSizeExact(vmcore[0] == vmcore[1])
                    .warnings(warnings)
                    .build();
        }
    }

    /**
     * The kdump FDT's blob. The kernel edits the boot FDT in a buffer of its estimate's size
     * ({@code estimate}); where that suffices the blob is the kernel's, byte for byte. Where it
     * is short the kernel's load fails (libfdt's FDT_ERR_NOSPACE on an edit; the syscall then
     * returns that small number or EINVAL as its errno, not ENOSPC):
     * in {@link PlanOptions.FdtSizing#KERNEL_ESTIMATE} this plan fails the same way; otherwise
     * the buffer is what the edits needed plus {@code hotplugRoom}, and a warning says that
     * kexec_file_load would fail on this machine.
     */
    static byte[] fdtBlob(Fdt fdt, long estimate, long hotplugRoom, PlanOptions opt, List<String> warnings) {
        long needed = fdt.inPlaceMinimumSize();
        long size = estimate;
        if (estimate < needed || estimate > Integer.MAX_VALUE) {
            String what = "the kdump FDT needs " + needed + " bytes (" + Hex.hex(needed)
                    + "), Linux 6.12's estimate gives it " + estimate + " (" + Hex.hex(estimate) + ")";
            if (opt.fdtSizing() == PlanOptions.FdtSizing.KERNEL_ESTIMATE) {
                throw new FdtEstimateShort("kexec_file_load would fail, out of FDT space (FDT_ERR_NOSPACE): " + what);
            }
            warnings.add(what + ": kexec_file_load (--file) would fail, out of FDT space (FDT_ERR_NOSPACE); this plan"
                    + " sizes the FDT to fit");
            size = needed + hotplugRoom;
            if (size > Integer.MAX_VALUE) {
                throw new JkexecException("kdump FDT of " + size + " bytes is too large for a device tree blob");
            }
        }
        if (opt.crashHotplug()) {
            // kept unpacked with its free space so CPUs can be added in place (crash hotplug)
            return fdt.toBlobInPlace((int) size);
        }
        return packedBlob(fdt, (int) size);
    }

    /**
     * The FDT edited in a buffer of {@code size} bytes (FDT_ERR_NOSPACE if too small), then
     * fdt_pack: the content without the free space after it.
     */
    static byte[] packedBlob(Fdt fdt, int size) {
        byte[] inBuffer = fdt.toBlobInPlace(size);
        int used = fdt.inPlaceContentSize();
        byte[] packed = Arrays.copyOf(inBuffer, used);
        Cells.putU32(packed, 4, used); // totalsize
        return packed;
    }

    /**
     * /proc/vmcore's size as the kdump kernel will compute it (fs/proc/vmcore.c), for the
     * smallest and the largest vmcoreinfo text: {lower, upper}. Each CPU note is one ppc64
     * NT_PRSTATUS; the notes area is rounded to a page, so the two usually agree.
     */
    static long[] vmcoreSize(Ppc64Machine m, byte[] header) {
        List<Long> low = new ArrayList<>();
        List<Long> high = new ArrayList<>();
        for (int i = 0; i < m.crashNotes().size(); i++) {
            low.add(VmcoreView.PPC64_PRSTATUS_NOTE);
            high.add(VmcoreView.PPC64_PRSTATUS_NOTE);
        }
        low.add(VmcoreView.vmcoreinfoNoteSize(0));
        high.add(Math.max(VmcoreView.vmcoreinfoNoteSize(0), m.vmcoreinfo().size()));
        long notesAlign = 4;
        return new long[] {
            VmcoreView.of(header, low, m.pageSize(), notesAlign).size(),
            VmcoreView.of(header, high, m.pageSize(), notesAlign).size()
        };
    }

    /** Extra elfcorehdr room for crash hotplug: CRASH_MAX_MEMORY_RANGES - nr_ranges more PT_LOADs (docs/ppc64-kdump.md#elf-core-header). */
    static long elfcorehdrSlack(int nrRanges, PlanOptions opt, List<String> warnings) {
        if (!(opt.crashHotplug() && opt.memoryHotplug())) {
            return 0;
        }
        int max = opt.crashMaxMemoryRanges();
        if (max > 0xffff) {
            warnings.add("CRASH_MAX_MEMORY_RANGES " + max + " exceeds PN_XNUM: no elfcorehdr slack for memory hotplug");
            return 0;
        }
        if (nrRanges >= max) {
            warnings.add(nrRanges + " crash memory ranges reach CRASH_MAX_MEMORY_RANGES " + max
                    + ": memory hot-add after this load cannot be reflected in the dump");
            return 0;
        }
        return (long) (max - nrRanges) * ProgramHeader.SIZE;
    }

    /** setup_kdump_cmdline: "elfcorehdr=0x%lx " prepended; too long for COMMAND_LINE_SIZE is refused. */
    public static String kdumpCmdline(long elfcorehdrAddr, String user) {
        int nul = user.indexOf('\0');
        if (nul >= 0) {
            throw JkexecException.badInput(
                    "kdump command line",
                    "holds a NUL byte at " + nul + ": the kdump kernel would see only what precedes it");
        }
        String prefix = "elfcorehdr=" + Hex.hex(elfcorehdrAddr) + " ";
        int userLen = user.getBytes(StandardCharsets.UTF_8).length + 1; // with its NUL, as kexec_file passes it
        if (prefix.length() + userLen > COMMAND_LINE_SIZE) {
            throw new JkexecException(
                    String.format(
                            "kdump command line too long: %d bytes with the "
                                    + "elfcorehdr= prefix, at most %d (COMMAND_LINE_SIZE)",
                            prefix.length() + userLen - 1, COMMAND_LINE_SIZE - 1),
                    2,
                    null);
        }
        return prefix + user;
    }

    /** The first 256 bytes of the kernel's first program header's file data (the purgatory's slave-code copy). */
    static byte[] kernelHead(ElfFile k) {
        byte[] head = new byte[256];
        ProgramHeader first = k.programHeaders().get(0);
        byte[] data = k.bytes(first.offset(), (int) Math.min(256, k.segmentFileSize(first)));
        System.arraycopy(data, 0, head, 0, data.length);
        return head;
    }

    /** What kexec_elf_probe and elf_read_phdrs accept: a little-endian ELF64 ppc64 executable with PT_LOADs. */
    static void checkKernel(ElfFile k) {
        if (k.machine() != EM_PPC64) {
            throw JkexecException.badInput(k.source(), "not a ppc64 kernel (ELF machine " + k.machine() + ")");
        }
        if (!k.isLittleEndian()) {
            throw JkexecException.badInput(
                    k.source(), "big-endian kernel: a ppc64le kernel can only kexec a little-endian one");
        }
        if (k.type() != ElfFile.ET_EXEC && k.type() != ElfFile.ET_DYN) {
            throw JkexecException.badInput(k.source(), "not an executable ELF (type " + k.type() + ")");
        }
        if (k.loadSegments().isEmpty()) {
            throw JkexecException.badInput(k.source(), "has no PT_LOAD segment");
        }
        for (ProgramHeader ph : k.programHeaders()) {
            if (Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0 && ph.isLoad()) {
                throw JkexecException.badInput(
                        k.source(),
                        String.format(
                                "PT_LOAD at 0x%x has filesz 0x%x > memsz 0x%x", ph.paddr(), ph.filesz(), ph.memsz()));
            }
            // the kernel's segment check (mem + memsz - 1 must not be below mem) fails an empty
            // segment, and no range can be reserved for it
            if (ph.isLoad() && ph.memsz() == 0) {
                throw JkexecException.badInput(
                        k.source(),
                        String.format(
                                "PT_LOAD at p_paddr 0x%x has memsz 0: " + "an empty segment cannot be loaded",
                                ph.paddr()));
            }
            if (ph.isLoad() && ph.align() != 0 && Long.bitCount(ph.align()) != 1) {
                throw JkexecException.badInput(
                        k.source(), "PT_LOAD alignment " + Hex.hex(ph.align()) + " is not a power of two");
            }
            if (ph.isLoad() && Long.compareUnsigned(ph.memsz(), 1L << 40) > 0) {
                throw JkexecException.badInput(
                        k.source(), "PT_LOAD memsz " + Hex.hex(ph.memsz()) + " is not a kernel's");
            }
            // p_paddr is where the segment asks to be loaded: a kernel virtual address there
            // (0xc000...) or anything past what ppc64 can address can never be placed
            if (ph.isLoad()
                    && Long.compareUnsigned(
                                    MemRange.end(ph.paddr(), ph.memsz(), k.source() + " PT_LOAD"),
                                    MachineChecks.MAX_PHYSICAL)
                            > 0) {
                throw JkexecException.badInput(
                        k.source(),
                        String.format(
                                "PT_LOAD p_paddr 0x%x (memsz 0x%x) is not a "
                                        + "physical address a ppc64 kernel can be loaded at (below 2 PiB)%s",
                                ph.paddr(),
                                ph.memsz(),
                                Long.compareUnsigned(ph.paddr(), Ppc64Machine.PAGE_OFFSET) >= 0
                                        ? ": it is a kernel virtual address"
                                        : ""));
            }
        }
        // each PT_LOAD's bytes must be in the file (checked when read), and so must phdr[0]'s
        k.segmentFileSize(k.programHeaders().get(0));
    }
}
