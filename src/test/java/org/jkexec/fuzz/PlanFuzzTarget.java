package org.jkexec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.fdt.FdtProperty;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.memory.HoleFinder;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.testutil.PlanInvariants;

/**
 * The whole plan under fuzzing: the real captured machine with its device tree edited
 * through the tree API (property values replaced by fuzzed bytes or numbers, properties
 * removed, reserve entries added), its facts replaced (RAM, crashkernel, the kernel's end,
 * page size) and the kernel's program headers corrupted. The contract: a JkexecException, or
 * a plan that satisfies {@link PlanInvariants}.
 */
public final class PlanFuzzTarget {
    private static Ppc64Machine base;
    private static byte[] kernel;

    private PlanFuzzTarget() {}

    static synchronized void setUp() {
        if (base == null) {
            base = MachineCapture.read(CaptureFuzzTarget.SOURCE);
            kernel = SyntheticKernel.vmlinuxLike();
        }
    }

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        setUp();
        Fdt tree = base.liveTree().copy();
        List<FdtNode> nodes = tree.root().descendants();
        int edits = data.consumeInt(0, 4);
        for (int i = 0; i < edits; i++) {
            FdtNode n = nodes.get(data.consumeInt(0, nodes.size() - 1));
            List<FdtProperty> props = n.properties();
            if (props.isEmpty()) {
                continue;
            }
            String name = props.get(data.consumeInt(0, props.size() - 1)).name();
            switch (data.consumeInt(0, 4)) {
                case 0 -> n.setProperty(name, data.consumeBytes(data.consumeInt(0, 64)));
                case 1 -> n.setU64(name, data.consumeLong());
                case 2 -> n.setProperty(name, new byte[] {0, 0, 0, 0, (byte) data.consumeInt(), 0, 0, 0});
                case 3 -> n.deleteProperty(name);
                default -> {
                    long address = data.consumeLong();
                    long size = data.consumeLong();
                    if (size != 0) { // size 0 ends a reserve map: the tree API refuses it
                        tree.reserveMap().add(new ReserveEntry(address, size));
                    }
                }
            }
        }
        List<MemRange> ram = base.systemRam();
        if (data.consumeBoolean()) {
            ram = new ArrayList<>();
            int n = data.consumeInt(1, 3);
            for (int i = 0; i < n; i++) {
                long s = data.consumeLong();
                long e = data.consumeLong();
                ram.add(Long.compareUnsigned(s, e) <= 0 ? new MemRange(s, e) : new MemRange(e, s));
            }
            ram.sort(null);
        }
        MemRange ck = base.crashkernel();
        if (data.consumeBoolean()) {
            long b = data.consumeLong(0, 1L << 34) & ~0xffffL;
            long size = data.consumeLong(1, 1L << 31) & ~0xffffL;
            ck = size == 0 ? ck : new MemRange(b, b + size - 1);
        }
        long kernelEnd = data.consumeBoolean() ? base.kernelEnd() : data.consumeLong(0, 1L << 32);
        long page = data.consumeBoolean() ? 65536 : 4096;
        byte[] k = kernel.clone();
        int flips = data.consumeInt(0, 3);
        for (int i = 0; i < flips; i++) {
            k[data.consumeInt(0, Math.min(k.length, 64 + 56 * 4) - 1)] = data.consumeByte();
        }
        Ppc64Machine m = new Ppc64Machine(
                base.source(),
                tree,
                base.bootFdtSize(),
                tree.copy(),
                ram,
                ck,
                kernelEnd,
                base.cmdline(),
                base.crashNotes(),
                base.vmcoreinfo(),
                page,
                base.rmaSize(),
                OptionalLong.empty(),
                base.lpar(),
                base.threadsPerCore(),
                List.of());
        PlanOptions opt = PlanOptions.linux612()
                .withSeeds(1L, new byte[128])
                .withHoleSearch(data.consumeBoolean() ? HoleFinder.Strategy.KERNEL_6_12 : HoleFinder.Strategy.MAINLINE);
        KdumpPlan plan;
        try {
            KdumpRequest req = new KdumpRequest(
                    ElfFile.parse(k, "vmlinux"),
                    data.consumeBoolean() ? null : new byte[data.consumeInt(0, 1 << 20)],
                    data.consumeAsciiString(64));
            plan = new Ppc64KdumpPlanner(Purgatories.standard()).plan(m, req, opt);
        } catch (JkexecException expected) {
            return;
        }
        PlanInvariants.check(m, plan);
    }
}
