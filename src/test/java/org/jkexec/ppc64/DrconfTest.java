package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.testutil.MachineEdits;
import org.junit.jupiter.api.Test;

/** LMBs of ibm,dynamic-reconfiguration-memory and the usable-memory properties built from them. */
class DrconfTest {
    static final long LMB = 256L << 20;

    static SyntheticMachine machine(int version, int unassignedEvery) {
        return new SyntheticMachine(16L << 30, LMB, 16, 8, version, 1L << 30, unassignedEvery);
    }

    @Test
    void v1AndV2DescribeTheSameLmbs() {
        DrconfMemory v1 = DrconfMemory.of(machine(1, 5).tree()).orElseThrow();
        DrconfMemory v2 = DrconfMemory.of(machine(2, 5).tree()).orElseThrow();
        assertEquals(64, v1.count());
        assertEquals(v1.count(), v2.count());
        for (int i = 0; i < v1.count(); i++) {
            assertEquals(v1.base(i), v2.base(i));
            assertEquals(v1.drcIndex(i), v2.drcIndex(i));
            assertEquals(v1.flags(i), v2.flags(i));
            assertEquals(i * LMB, v1.base(i));
        }
        assertEquals(16L << 30, v1.memoryMax());
    }

    @Test
    void drconfUsableMemoryHasACountPerLmbAndPairsInsideIt() {
        // usable: [0, 0x4fffffff] (crashkernel 1 GiB at 128 MiB ends at 0x47ffffff) plus RTAS
        MemRanges usable = MemRanges.of(List.of(new MemRange(0, 0x47ffffffL)));
        DrconfMemory lmbs = DrconfMemory.of(machine(1, 0).tree()).orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(UsableMemory.drconfUsableMemory(lmbs, usable));
        for (int i = 0; i < lmbs.count(); i++) {
            long count = b.getLong();
            long lmbStart = i * LMB;
            if (lmbStart <= 0x47ffffffL) {
                assertEquals(1, count, "LMB " + i);
                long base = b.getLong();
                long size = b.getLong();
                assertEquals(lmbStart, base);
                assertEquals(Math.min(LMB, 0x48000000L - lmbStart), size);
            } else {
                assertEquals(0, count, "LMB " + i + " is outside the usable memory");
            }
        }
        assertEquals(0, b.remaining());
    }

    @Test
    void strictOverlapDropsARangeTouchingAnLmbAtOneByte() {
        // the kernel's add_usable_mem: [b, e] vs [lb, le] strictly overlapping, or contained
        MemRanges usable = MemRanges.of(List.of(new MemRange(LMB - 1, LMB - 1 + 0x1000)));
        UsableMemory.U64Buffer out = new UsableMemory.U64Buffer();
        UsableMemory.addUsable(out, usable, LMB, 2 * LMB - 1);
        assertEquals(2, out.size(), "overlaps the LMB by 0x1000 bytes: clipped");
        UsableMemory.U64Buffer edge = new UsableMemory.U64Buffer();
        UsableMemory.addUsable(edge, MemRanges.of(List.of(new MemRange(0, LMB))), LMB, 2 * LMB - 1);
        assertEquals(0, edge.size(), "shares only the byte at LMB: dropped, as the kernel does");
    }

    /**
     * 4 GiB in 16 LMBs, every 5th unassigned (3 of them): the kdump kernel reads the 13 assigned
     * LMBs' entries from the first 13, so the kernel's entry for crashkernel in LMB 13 is never read.
     */
    static KdumpPlan misreadPlan(boolean bareMetal, PlanOptions.Placement placement) {
        Ppc64Machine m = new SyntheticMachine(4L << 30, LMB, 2, 1, 2, LMB, 5).machine();
        m = MachineEdits.withCrashkernel(m, MemRange.ofSize(13 * LMB, LMB));
        if (bareMetal) {
            // without RTAS and a hypervisor the kdump kernel needs no low memory: nothing else to refuse
            Fdt tree = Fdt.parse(m.liveTree().toBlob(), "test");
            tree.root().deleteChild(tree.node("/rtas").orElseThrow());
            m = MachineEdits.onBareMetal(MachineEdits.withLiveTree(m, tree));
        }
        return new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(
                        m,
                        new KdumpRequest(
                                ElfFile.parse(SyntheticKernel.ppc64le(0x2000000, 0x10000), "k"),
                                new byte[1 << 20],
                                // a kdump kernel never runs KVM guests: KVM's area would be the problem otherwise
                                bareMetal ? "quiet kvm_cma_resv_ratio=0" : "quiet"),
                        PlanOptions.linux612().withSeeds(1L, new byte[128]).withPlacement(placement));
    }

    @Test
    void entriesTheKdumpKernelWouldMisreadAreWrittenAsItReadsThem() {
        for (boolean bareMetal : new boolean[] {false, true}) {
            KdumpPlan plan = misreadPlan(bareMetal, PlanOptions.Placement.JKEXEC);
            assertTrue(plan.bootProblem().isEmpty(), plan.bootProblem().toString());
            assertTrue(
                    plan.notes().stream()
                            .anyMatch(n ->
                                    n.startsWith("linux,drconf-usable-memory written as the kdump kernel reads it")),
                    plan.notes().toString());
            DrconfMemory lmbs = DrconfMemory.of(plan.kdumpFdt()).orElseThrow();
            byte[] prop = plan.kdumpFdt()
                    .node(DrconfMemory.NODE)
                    .orElseThrow()
                    .value("linux,drconf-usable-memory")
                    .orElseThrow();
            assertArrayEquals(UsableMemory.drconfUsableMemoryAsRead(lmbs, plan.usableRanges()), prop);
            MemRange ck = MemRange.ofSize(13 * LMB, LMB);
            assertTrue(UsableMemory.readByKdumpKernel(lmbs, prop).orElseThrow().covers(ck));
            // the kernel's value, read by the kdump kernel, leaves crashkernel out
            byte[] kernels = UsableMemory.drconfUsableMemory(lmbs, plan.usableRanges());
            assertTrue(
                    !UsableMemory.readByKdumpKernel(lmbs, kernels).orElseThrow().covers(ck));
        }
    }

    @Test
    void theKernelsPlacementWithMisreadEntriesIsNeverLoaded() {
        KdumpPlan plan = misreadPlan(true, PlanOptions.Placement.KERNEL);
        String problem = plan.bootProblem().map(b -> b.text()).orElse("");
        assertTrue(
                problem.startsWith("the kdump kernel would read the kernel's linux,drconf-usable-memory as other "
                        + "memory than it describes (LMB 5 (0x50000000) is unassigned"),
                problem);
    }

    @Test
    void aValueEndingBeforeTheLastAssignedLmbIsNotReadAsMemory() {
        DrconfMemory lmbs = DrconfMemory.of(machine(2, 7).tree()).orElseThrow();
        // one zero count, for the first of many assigned LMBs
        assertTrue(UsableMemory.readByKdumpKernel(lmbs, new byte[8]).isEmpty());
        // a count of 9 pairs (big-endian) with no pair after it
        assertTrue(UsableMemory.readByKdumpKernel(lmbs, new byte[] {0, 0, 0, 0, 0, 0, 0, 9})
                .isEmpty());
        // a zero count for every LMB: read whole, no memory
        assertTrue(UsableMemory.readByKdumpKernel(lmbs, new byte[8 * lmbs.count()])
                .orElseThrow()
                .isEmpty());
    }

    @Test
    void plannedFdtOfASyntheticLparConfinesTheKdumpKernel() {
        SyntheticMachine sm = machine(2, 7);
        Ppc64Machine m = sm.machine();
        KdumpPlan plan = new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(
                        m,
                        new KdumpRequest(
                                ElfFile.parse(SyntheticKernel.ppc64le(0x2000000, 0x10000), "k"),
                                new byte[1 << 20],
                                "quiet"),
                        PlanOptions.linux612().withSeeds(1L, new byte[128]));
        Fdt fdt = plan.kdumpFdt();
        FdtNode drconf = fdt.node(DrconfMemory.NODE).orElseThrow();
        byte[] prop = drconf.value("linux,drconf-usable-memory").orElseThrow();
        DrconfMemory lmbs = DrconfMemory.of(m.liveTree()).orElseThrow();
        assertArrayEquals(UsableMemory.drconfUsableMemory(lmbs, plan.usableRanges()), prop);
        assertArrayEquals(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0},
                fdt.node("/memory@0").orElseThrow().value("linux,usable-memory").orElseThrow(),
                "memory@0 holds the first LMB, all usable");
        // every 7th LMB unassigned: the kdump kernel reads later LMBs' neighbours' entries, but
        // the memory it adds is the same, so the kernel's value stands
        assertEquals(
                UsableMemory.readByKdumpKernel(lmbs, UsableMemory.drconfUsableMemoryAsRead(lmbs, plan.usableRanges())),
                UsableMemory.readByKdumpKernel(lmbs, prop));
        assertTrue(plan.notes().isEmpty(), plan.notes().toString());
        // every segment inside crashkernel
        MemRange ck = m.crashkernel();
        plan.segments()
                .forEach(s -> assertTrue(
                        ck.contains(new MemRange(s.mem(), s.end())), s.kind().label()));
        // the FDT's size estimate covered the usable-memory property
        assertTrue(plan.kdumpFdtBlob().length >= fdt.inPlaceMinimumSize());
    }

    @Test
    void hostileLmbCountsAreRefused() {
        Fdt t = machine(1, 0).tree();
        FdtNode n = t.node(DrconfMemory.NODE).orElseThrow();
        byte[] v = n.value("ibm,dynamic-memory").orElseThrow().clone();
        Cells.putU32(v, 0, 0x7fffffffL);
        n.setProperty("ibm,dynamic-memory", v);
        JkexecException e = assertThrows(JkexecException.class, () -> DrconfMemory.of(t));
        assertTrue(e.getMessage().contains("claims 2147483647 LMBs"), e.getMessage());

        Fdt t2 = machine(2, 0).tree();
        FdtNode n2 = t2.node(DrconfMemory.NODE).orElseThrow();
        byte[] v2 = n2.value("ibm,dynamic-memory-v2").orElseThrow().clone();
        Cells.putU32(v2, 4, 0xffffffffL); // seq_lmbs of the first set
        n2.setProperty("ibm,dynamic-memory-v2", v2);
        assertThrows(JkexecException.class, () -> DrconfMemory.of(t2));

        Fdt t3 = machine(1, 0).tree();
        t3.node(DrconfMemory.NODE).orElseThrow().setProperty("ibm,lmb-size", Cells.encode(2, 3));
        assertThrows(JkexecException.class, () -> DrconfMemory.of(t3));
    }

    @Test
    void aKernelBootedAsKdumpCannotLoadKdump() {
        SyntheticMachine sm = machine(1, 0);
        Ppc64Machine m = sm.machine();
        m.liveTree().node(DrconfMemory.NODE).orElseThrow().setProperty("linux,drconf-usable-memory", new byte[8]);
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> new Ppc64KdumpPlanner(Purgatories.standard())
                        .plan(
                                m,
                                new KdumpRequest(
                                        ElfFile.parse(SyntheticKernel.ppc64le(0x2000000, 0x10000), "k"),
                                        (byte[]) null,
                                        ""),
                                PlanOptions.linux612()));
        assertTrue(e.getMessage().contains("linux,drconf-usable-memory"));
    }
}
