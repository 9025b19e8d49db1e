package org.jkexec.ppc64;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.fdt.FdtProperty;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;

/**
 * Builds the next kernel's device tree (a kdump kernel's, or a regular kexec's: the same edits
 * without the crash-only ones) from the boot FDT, with the edits of
 * drivers/of/kexec.c {@code of_kexec_alloc_and_setup_fdt} and arch/powerpc
 * {@code setup_new_fdt_ppc64}, in the kernel's order (docs/ppc64-kdump.md#kdump-fdt). Edits go through the fdt
 * package's libfdt-compatible operations so properties, nodes, strings and reserve entries
 * land where the kernel puts them.
 */
public final class KdumpFdt {
    /** FDT_EXTRA_SPACE of drivers/of/kexec.c. */
    public static final int EXTRA_SPACE = 0x1000;
    /** Size of the rng-seed property (RNG_SEED_SIZE). */
    public static final int RNG_SEED_SIZE = 128;

    static final String DIRECT64_PROPNAME = "linux,direct64-ddr-window-info";
    static final String DMA64_PROPNAME = "linux,dma64-ddr-window-info";

    /**
     * What the FDT needs from the rest of the plan.
     *
     * @param crash a kdump kernel's FDT: adds the ELF core header and usable-memory properties,
     *              the crash reservations; false for a regular kexec (those fields are unused)
     * @param cmdline the bootargs, or null to delete /chosen/bootargs (a load without a command line)
     */
    public record Inputs(
            long initrdAddr,
            long initrdLen,
            long elfcorehdrAddr,
            long elfcorehdrSize,
            long backupStart,
            long backupSize,
            String cmdline,
            Long kaslrSeed,
            byte[] rngSeed,
            MemRanges usable,
            MemRanges reserved,
            boolean crash) {

        /** A kdump kernel's inputs. */
        public Inputs(
                long initrdAddr,
                long initrdLen,
                long elfcorehdrAddr,
                long elfcorehdrSize,
                long backupStart,
                long backupSize,
                String cmdline,
                Long kaslrSeed,
                byte[] rngSeed,
                MemRanges usable,
                MemRanges reserved) {
            this(
                    initrdAddr,
                    initrdLen,
                    elfcorehdrAddr,
                    elfcorehdrSize,
                    backupStart,
                    backupSize,
                    cmdline,
                    kaslrSeed,
                    rngSeed,
                    usable,
                    reserved,
                    true);
        }

        /** A regular kexec image's inputs: no ELF core header, no backup, no usable-memory limits. */
        public static Inputs forRegularImage(
                long initrdAddr, long initrdLen, String cmdline, Long kaslrSeed, byte[] rngSeed, MemRanges reserved) {
            return new Inputs(initrdAddr, initrdLen, 0, 0, 0, 0, cmdline, kaslrSeed, rngSeed, null, reserved, false);
        }
    }

    private final Ppc64Machine machine;
    private final boolean lmbEntriesAsRead;
    private boolean kernelsLmbEntriesMisread;
    /** The live tree's LMBs, parsed once per plan (262,144 of them on the largest machines); null until needed. */
    private Optional<DrconfMemory> lmbs;

    public KdumpFdt(Ppc64Machine machine) {
        this(machine, null);
    }

    public KdumpFdt(Ppc64Machine machine, Optional<DrconfMemory> lmbs) {
        this(machine, lmbs, false);
    }

    /**
     * @param lmbEntriesAsRead where the kdump kernel would misread the kernel's
     *     linux,drconf-usable-memory, write it as the kdump kernel reads it (jkexec's placement)
     */
    public KdumpFdt(Ppc64Machine machine, Optional<DrconfMemory> lmbs, boolean lmbEntriesAsRead) {
        this.machine = machine;
        this.lmbs = lmbs;
        this.lmbEntriesAsRead = lmbEntriesAsRead;
    }

    /**
     * Whether the kdump kernel would read the kernel's linux,drconf-usable-memory as other
     * memory than it describes (an unassigned or reserved LMB before assigned ones shifts every
     * later LMB onto its neighbour's entry, docs/ppc64-kdump.md#usable-memory): known once
     * {@link #build} ran. With lmbEntriesAsRead the FDT then holds the value as read instead.
     */
    public boolean kernelsLmbEntriesMisread() {
        return kernelsLmbEntriesMisread;
    }

    private Optional<DrconfMemory> lmbs() {
        if (lmbs == null) {
            lmbs = DrconfMemory.of(machine.liveTree());
        }
        return lmbs;
    }

    /**
     * kexec_extra_fdt_size_ppc64 for a kdump image (docs/ppc64-kdump.md#kdump-fdt), with the 2024 reserve-map and
     * CPU-node terms and the crash-hotplug possible-CPU budget. 32-bit arithmetic, as the kernel's.
     */
    public long extraSize(MemRanges reserved, boolean crashHotplug) {
        return extraSize(reserved, crashHotplug, true);
    }

    /**
     * kexec_extra_fdt_size_ppc64 for either image: a regular image gets only the CPU-node and
     * reserve-map terms (the usable-memory and possible-CPU budgets are for kdump kernels).
     */
    public long extraSize(MemRanges reserved, boolean crashHotplug, boolean crash) {
        long extra = 0;
        int cpuNodes = CpuNodes.of(machine.liveTree()).size();
        int bootCpuNodes = CpuNodes.of(machine.bootFdt()).size();
        if (cpuNodes > bootCpuNodes) {
            extra += (long) (cpuNodes - bootCpuNodes) * cpuNodeSize();
        }
        extra += reserved.size() * 16L;
        if (!crash) {
            return extra & 0xffffffffL;
        }
        Optional<DrconfMemory> lmbs = lmbs();
        if (lmbs.isPresent()) {
            long lmb = lmbs.get().lmbSize();
            long usmEntries = Long.divideUnsigned(memoryHotplugMax(lmbs), lmb)
                    + 2 * Long.divideUnsigned(machine.crashkernel().size(), lmb);
            extra += (usmEntries * 8) & 0xffffffffL;
        }
        if (crashHotplug) {
            extra += cpuHotplugRoom(cpuNodes);
        }
        return extra & 0xffffffffL;
    }

    /**
     * Room the kernel leaves in a crash-hotplug kdump FDT for CPU nodes not yet present: one
     * cpu_node_size per possible core beyond the live CPU nodes (it rewrites /cpus in place
     * when a CPU is added).
     */
    public long cpuHotplugRoom() {
        return cpuHotplugRoom(CpuNodes.of(machine.liveTree()).size());
    }

    private long cpuHotplugRoom(int cpuNodes) {
        int possibleCpuNodes = machine.possibleCpus() / Math.max(1, machine.threadsPerCore());
        return possibleCpuNodes > cpuNodes ? (long) (possibleCpuNodes - cpuNodes) * cpuNodeSize() : 0;
    }

    /** Allocation the kernel makes for the new FDT: boot size + cmdline + 0x1000 + extra. */
    public long allocationSize(String cmdline, MemRanges reserved, boolean crashHotplug) {
        return allocationSize(cmdline, reserved, crashHotplug, true);
    }

    /** The allocation for either image; a null command line counts as empty. */
    public long allocationSize(String cmdline, MemRanges reserved, boolean crashHotplug, boolean crash) {
        int cmdlineLen = cmdline == null ? 0 : cmdline.getBytes(StandardCharsets.UTF_8).length;
        return machine.bootFdtSize() + cmdlineLen + EXTRA_SPACE + extraSize(reserved, crashHotplug, crash);
    }

    /** memory_hotplug_max(): max of /rtas ibm,lrdr-capacity (else the last LMB end) and the end of RAM. */
    long memoryHotplugMax(Optional<DrconfMemory> lmbs) {
        long drconfMax = 0;
        Optional<byte[]> lrdr = machine.liveTree().node("/rtas").flatMap(n -> n.value("ibm,lrdr-capacity"));
        if (lrdr.isPresent() && lrdr.get().length >= 8) {
            drconfMax = Cells.u64(lrdr.get(), 0);
        } else if (lmbs.isPresent()) {
            drconfMax = lmbs.get().memoryMax();
        }
        long ramEnd = 0;
        for (MemRange r : machine.systemRam()) {
            ramEnd = Long.compareUnsigned(r.end() + 1, ramEnd) > 0 ? r.end() + 1 : ramEnd;
        }
        return Long.compareUnsigned(drconfMax, ramEnd) > 0 ? drconfMax : ramEnd;
    }

    /** cpu_node_size(): name length + 5 + the names and values of the first live CPU node's properties. */
    int cpuNodeSize() {
        List<FdtNode> cpus = CpuNodes.of(machine.liveTree());
        if (cpus.isEmpty()) {
            return 0;
        }
        FdtNode dn = cpus.get(0);
        int size = baseName(dn.name()).length() + 5;
        for (FdtProperty p : dn.properties()) {
            size += p.name().length() + p.length();
        }
        return size;
    }

    static String baseName(String nodeName) {
        int at = nodeName.indexOf('@');
        return at < 0 ? nodeName : nodeName.substring(0, at);
    }

    /** Applies every edit to a copy of the boot FDT and returns it. */
    public Fdt build(Inputs in) {
        Fdt fdt = machine.bootFdt().copy();
        setupGeneric(fdt, in);
        setupPpc64(fdt, in);
        return fdt;
    }

    /** of_kexec_alloc_and_setup_fdt. */
    private void setupGeneric(Fdt fdt, Inputs in) {
        machine.bootFdtAddress().ifPresent(pa -> fdt.removeReserveEntry(pa, machine.bootFdtSize()));
        FdtNode root = fdt.root();
        FdtNode chosen = fdt.node("/chosen").orElseGet(() -> root.addChild("chosen"));
        chosen.deleteProperty("linux,elfcorehdr");
        chosen.deleteProperty("linux,usable-memory-range");

        if (chosen.hasProperty("linux,initrd-start")) {
            ChosenInitrd old = ChosenInitrd.of(chosen)
                    .orElseThrow(() -> JkexecException.badInput(
                            "boot FDT /chosen", "has linux,initrd-start but no linux,initrd-end"));
            long start = old.start();
            long size = old.end() - start;
            if (!fdt.removeReserveEntry(start, size)) {
                long rounded = (size + machine.pageSize() - 1) & -machine.pageSize();
                fdt.removeReserveEntry(start, rounded);
            }
        }
        if (in.initrdAddr() != 0) {
            chosen.setU64("linux,initrd-start", in.initrdAddr());
            chosen.setU64("linux,initrd-end", in.initrdAddr() + in.initrdLen());
            fdt.reserveMap().add(new ReserveEntry(in.initrdAddr(), in.initrdLen()));
        } else {
            chosen.deleteProperty("linux,initrd-start");
            chosen.deleteProperty("linux,initrd-end");
        }

        int ac = Cells.addressCells(root);
        int sc = Cells.sizeCells(root);
        if (in.crash()) {
            chosen.appendProperty(
                    "linux,elfcorehdr", Cells.addressRange(ac, sc, in.elfcorehdrAddr(), in.elfcorehdrSize()));
            fdt.reserveMap().add(new ReserveEntry(in.elfcorehdrAddr(), in.elfcorehdrSize()));
            // crashkernel, then each crashkernel=SIZE,cma area (of_kexec_alloc_and_setup_fdt, Linux 6.17 and later)
            List<MemRange> usableRange = new ArrayList<>();
            usableRange.add(machine.crashkernel());
            usableRange.addAll(machine.crashkernelCma());
            for (MemRange r : usableRange) {
                chosen.appendProperty("linux,usable-memory-range", Cells.addressRange(ac, sc, r.start(), r.size()));
            }
        }

        if (in.cmdline() != null) {
            chosen.setString("bootargs", in.cmdline());
        } else {
            chosen.deleteProperty("bootargs");
        }
        chosen.deleteProperty("kaslr-seed");
        if (in.kaslrSeed() != null) {
            chosen.setU64("kaslr-seed", in.kaslrSeed());
        }
        if (in.rngSeed() != null) {
            if (in.rngSeed().length != RNG_SEED_SIZE) {
                throw new IllegalArgumentException("rng-seed must be " + RNG_SEED_SIZE + " bytes");
            }
            chosen.setProperty("rng-seed", in.rngSeed().clone());
        }
        chosen.setProperty("linux,booted-from-kexec", new byte[0]);
        // remove_ima_buffer: a stale IMA buffer of the running kernel is not handed on
        chosen.value("linux,ima-kexec-buffer").ifPresent(v -> {
            if (v.length >= (ac + sc) * 4) {
                fdt.removeReserveEntry(Cells.read(v, 0, ac), Cells.read(v, ac * 4, sc));
            }
            chosen.deleteProperty("linux,ima-kexec-buffer");
        });
    }

    /** setup_new_fdt_ppc64: the crash-only edits first, then those both images get. */
    private void setupPpc64(Fdt fdt, Inputs in) {
        if (in.crash()) {
            updateUsableMemory(fdt, in.usable());
            long crashStart = machine.crashkernel().start();
            // the crashed kernel's memory below crashkernel stays untouched, except the backup
            // region: saved by the purgatory, it is the kdump kernel's low memory
            fdt.reserveMap().add(new ReserveEntry(in.backupSize(), crashStart - in.backupSize()));
            fdt.reserveMap().add(new ReserveEntry(in.backupStart(), in.backupSize()));
        }
        updateCpus(fdt);
        if (machine.lpar()) {
            updatePciDmaNodes(fdt, DIRECT64_PROPNAME);
            updatePciDmaNodes(fdt, DMA64_PROPNAME);
        }
        for (int i = 0; i < in.reserved().size(); i++) {
            fdt.reserveMap()
                    .add(new ReserveEntry(
                            in.reserved().start(i), in.reserved().get(i).size()));
        }
    }

    /** The kernel's linux,drconf-usable-memory, or where the kdump kernel would misread it and it may, the value as read. */
    private byte[] drconfUsableMemory(MemRanges usable) {
        DrconfMemory d = lmbs().orElseThrow();
        byte[] kernels = UsableMemory.drconfUsableMemory(d, usable);
        if (d.firstUnusableBeforeUsable() < 0) {
            return kernels;
        }
        byte[] asRead = UsableMemory.drconfUsableMemoryAsRead(d, usable);
        kernelsLmbEntriesMisread =
                !UsableMemory.readByKdumpKernel(d, kernels).equals(UsableMemory.readByKdumpKernel(d, asRead));
        return kernelsLmbEntriesMisread && lmbEntriesAsRead ? asRead : kernels;
    }

    /** update_usable_mem_fdt: drconf property first, then every memory node in live-tree order. */
    private void updateUsableMemory(Fdt fdt, MemRanges usable) {
        Fdt live = machine.liveTree();
        Optional<FdtNode> fdtDrconf = fdt.node(DrconfMemory.NODE);
        Optional<FdtNode> liveDrconf = live.node(DrconfMemory.NODE);
        if (liveDrconf.isPresent()) {
            if (liveDrconf.get().hasProperty("linux,drconf-usable-memory")) {
                throw JkexecException.badInput(
                        DrconfMemory.NODE,
                        "already has linux,drconf-usable-memory: "
                                + "a kdump load is not supported from a kernel that was itself booted as a kdump kernel");
            }
            if (fdtDrconf.isPresent()) {
                fdtDrconf.get().setProperty("linux,drconf-usable-memory", drconfUsableMemory(usable));
            }
        }
        for (FdtNode mem : live.root().descendants()) {
            if (!"memory".equals(mem.string("device_type").orElse(null))) {
                continue;
            }
            if (mem.path().length() > 255) {
                throw JkexecException.badInput(mem.path(), "memory node path longer than 255 characters");
            }
            byte[] value = UsableMemory.nodeUsableMemory(mem, usable);
            if (value == null) {
                continue;
            }
            FdtNode target = fdt.node(mem.path())
                    .orElseThrow(() -> JkexecException.badInput(
                            mem.path(), "memory node of the live tree is missing from the boot FDT"));
            target.setProperty("linux,usable-memory", value);
        }
    }

    /**
     * update_cpus_node after "fix cpus node update to FDT": replace only the cpu-type children
     * of /cpus with the live ones (each added in front, its properties copied in live order).
     */
    private void updateCpus(Fdt fdt) {
        Optional<FdtNode> cpus = fdt.node("/cpus");
        if (cpus.isEmpty()) {
            return; // the kernel does nothing without /cpus in the FDT
        }
        for (FdtNode child : new ArrayList<>(cpus.get().children())) {
            if (CpuNodes.isCpu(child)) {
                cpus.get().deleteChild(child);
            }
        }
        if (machine.liveTree().node("/cpus").isEmpty()) {
            throw JkexecException.badInput("live device tree", "has no /cpus node");
        }
        for (FdtNode cpu : CpuNodes.of(machine.liveTree())) {
            FdtNode copy = cpus.get().addChild(cpu.name());
            for (FdtProperty p : cpu.properties()) {
                copy.setProperty(p.name(), p.value().clone());
            }
        }
    }

    /** update_pci_dma_nodes: refresh a root-level node's DMA window properties from the live tree (LPAR only). */
    private void updatePciDmaNodes(Fdt fdt, String dmaProp) {
        for (FdtNode dn : machine.liveTree().root().descendants()) {
            if (!dn.hasProperty(dmaProp)) {
                continue;
            }
            Optional<FdtNode> target = fdt.root().child(dn.name());
            if (target.isEmpty()) {
                continue;
            }
            copyProperty(target.get(), dn, "ibm,dma-window");
            copyProperty(target.get(), dn, dmaProp);
        }
    }

    private static void copyProperty(FdtNode target, FdtNode live, String name) {
        Optional<byte[]> v = live.value(name);
        if (v.isPresent()) {
            target.setProperty(name, v.get().clone());
        } else {
            target.deleteProperty(name);
        }
    }
}
