package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.jkexec.JkexecException;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.memory.HoleFinder;
import org.jkexec.memory.MemRange;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.testutil.MachineEdits;
import org.jkexec.testutil.PlanInvariants;

/**
 * Every plan that succeeds satisfies the plan invariants (segments page-aligned, inside
 * crashkernel, apart, clear of every excluded range; the dump's PT_LOADs in RAM and out of
 * crashkernel but for the backup and firmware; the added reserved ranges sorted and in the
 * reserve map; the kdump FDT parses back), over synthetic PowerVM-like machines of random
 * size, LMB size, drconf version, SMT, unassigned LMBs, crashkernel size and placement,
 * kernel and initrd sizes, page size and hole search.
 */
class PlanInvariantProperties {
    record Case(
            SyntheticMachine machine,
            long crashBase,
            long kernelSize,
            int initrdSize,
            boolean smallPages,
            boolean mainline) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Long> lmb = Arbitraries.of(256L << 20, 512L << 20, 1L << 30);
        Arbitrary<Integer> gib = Arbitraries.integers().between(4, 96);
        Arbitrary<Integer> threads = Arbitraries.of(1, 2, 4, 8);
        Arbitrary<Integer> cores = Arbitraries.integers().between(1, 24);
        Arbitrary<Integer> drconf = Arbitraries.of(1, 2);
        Arbitrary<Long> crash = Arbitraries.integers().between(2, 48).map(n -> n * (64L << 20));
        Arbitrary<Integer> unassigned = Arbitraries.of(0, 0, 3, 7);
        Arbitrary<SyntheticMachine> machines = Combinators.combine(lmb, gib, threads, cores, drconf, crash, unassigned)
                .as((l, g, t, c, d, ck, u) ->
                        new SyntheticMachine(Math.max(2 * l, ((long) g << 30) / l * l), l, t * c, t, d, ck, u));
        // crashkernel where the kernel would put it (128 MiB) or anywhere 16 MiB-aligned in the first 8 GiB
        Arbitrary<Long> base = Arbitraries.oneOf(
                Arbitraries.just(128L << 20),
                Arbitraries.longs().between(3, 512).map(n -> n * (16L << 20)));
        return Combinators.combine(
                        machines,
                        base,
                        Arbitraries.longs().between(1, 64).map(n -> n << 20),
                        Arbitraries.integers().between(0, 64 << 20),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as(Case::new);
    }

    @Property(tries = 120)
    void everySuccessfulPlanSatisfiesTheInvariants(@ForAll("cases") Case c) {
        Ppc64Machine m = machine(c);
        planUnlessRefused(m, c).ifPresent(plan -> PlanInvariants.check(m, plan));
    }

    /** The plan, or empty when the planner refuses the case; the outcome counted either way. */
    static Optional<KdumpPlan> planUnlessRefused(Ppc64Machine m, Case c) {
        try {
            KdumpPlan plan = plan(m, c);
            Statistics.label("outcome").collect("planned");
            return Optional.of(plan);
        } catch (JkexecException refused) {
            Statistics.label("outcome").collect("refused");
            return Optional.empty();
        }
    }

    /** Not vacuous: with crashkernel where the kernel puts it and room to spare, the plan is made and holds. */
    @Property(tries = 40)
    void aRoomyCrashkernelAtItsDefaultPlacePlans(@ForAll("cases") Case c) {
        SyntheticMachine s = c.machine();
        SyntheticMachine roomy = new SyntheticMachine(
                Math.max(s.memory(), 4L << 30), s.lmbSize(), s.cpus(), s.threads(), s.drconfVersion(), 1L << 30, 0);
        Case d = new Case(
                roomy,
                128L << 20,
                Math.min(c.kernelSize(), 48L << 20),
                Math.min(c.initrdSize(), 32 << 20),
                c.smallPages(),
                c.mainline());
        Ppc64Machine m = machine(d);
        KdumpPlan plan = plan(m, d);
        PlanInvariants.check(m, plan);
        assertTrue(plan.segments().size() >= 5);
    }

    /**
     * crashkernel=SIZE,cma: one to four areas (CRASHK_CMA_RANGES_MAX) anywhere in RAM outside the
     * running kernel and crashkernel, listed in any order: the plan gives each to the kdump
     * kernel, leaves each out of the dump, and still satisfies every invariant.
     */
    @Property(tries = 120)
    void plansWithCrashkernelCmaAreasHoldTheInvariants(
            @ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 4) int areas, @ForAll long seed) {
        Ppc64Machine plain = machine(c);
        List<MemRange> cma = cmaAreas(plain, areas, new Random(seed));
        Statistics.label("areas").collect(cma.size());
        Ppc64Machine m = MachineEdits.withCrashkernelCma(plain, cma);
        Optional<KdumpPlan> planned = planUnlessRefused(m, c);
        if (planned.isEmpty()) {
            return;
        }
        KdumpPlan plan = planned.get();
        PlanInvariants.check(m, plan);
        // the kernel's two lists, exactly: usable [0, crashkernel end] then the areas in their order;
        // crash RAM with crashkernel and every area cut out
        List<MemRange> usable = plan.usableRanges().toList();
        assertEquals(new MemRange(0, m.crashkernel().end()), usable.get(0));
        for (MemRange a : cma) {
            assertTrue(
                    usable.contains(a)
                            || Long.compareUnsigned(a.end(), m.crashkernel().end()) <= 0,
                    a + " " + usable);
        }
        // /chosen/linux,usable-memory-range: crashkernel, then every area in the same order
        java.io.ByteArrayOutputStream range = new java.io.ByteArrayOutputStream();
        range.writeBytes(Cells.addressRange(
                2, 2, m.crashkernel().start(), m.crashkernel().size()));
        for (MemRange a : cma) {
            range.writeBytes(Cells.addressRange(2, 2, a.start(), a.size()));
        }
        assertArrayEquals(
                range.toByteArray(),
                plan.kdumpFdt()
                        .node("/chosen")
                        .orElseThrow()
                        .value("linux,usable-memory-range")
                        .orElseThrow());
    }

    /**
     * Up to {@code n} areas, 64 KiB aligned, between the running kernel's end and the top of RAM,
     * clear of crashkernel and each other; shuffled, as reserve_crashkernel_cma lists them in the
     * order it got them.
     */
    static List<MemRange> cmaAreas(Ppc64Machine m, int n, Random rnd) {
        long align = 64L << 10;
        long top = m.systemRam().get(m.systemRam().size() - 1).end() + 1;
        long low = (m.kernelEnd() + align - 1) & -align;
        long slot = ((top - low) / n) & -align;
        List<MemRange> out = new ArrayList<>();
        for (int i = 0; i < n && slot >= 2 * align; i++) {
            long start = low + i * slot + (rnd.nextLong(slot / align / 2) * align);
            long size = (1 + rnd.nextLong((low + (i + 1) * slot - start) / align - 1)) * align;
            MemRange a = MemRange.ofSize(start, size);
            for (MemRange part : a.minus(m.crashkernel())) {
                for (MemRange ram : m.systemRam()) {
                    part.intersect(ram).filter(x -> out.size() < n).ifPresent(out::add);
                }
            }
        }
        java.util.Collections.shuffle(out, rnd);
        return out;
    }

    /** The synthetic machine with crashkernel moved to the case's base (in the tree too) and its page size. */
    static Ppc64Machine machine(Case c) {
        Ppc64Machine m = c.machine().machine();
        MemRange ck = new MemRange(c.crashBase(), c.crashBase() + c.machine().crashSize() - 1);
        Fdt live = m.liveTree().copy();
        Fdt boot = m.bootFdt().copy();
        for (Fdt t : new Fdt[] {live, boot}) {
            FdtNode chosen = t.node("/chosen").orElseThrow();
            chosen.setProperty("linux,crashkernel-base", Cells.encode(2, ck.start()));
        }
        Ppc64Machine trees = MachineEdits.withLiveTree(MachineEdits.withBootFdt(m, boot), live);
        return MachineEdits.withPageSize(MachineEdits.withCrashkernel(trees, ck), c.smallPages() ? 4096 : 65536);
    }

    static KdumpPlan plan(Ppc64Machine m, Case c) {
        KdumpRequest req = new KdumpRequest(
                ElfFile.parse(SyntheticKernel.ppc64le(c.kernelSize(), 0x10000), "vmlinux"),
                c.initrdSize() == 0 ? null : new byte[c.initrdSize()],
                "console=hvc0");
        PlanOptions opt = PlanOptions.linux612()
                .withSeeds(1L, new byte[128])
                .withHoleSearch(c.mainline() ? HoleFinder.Strategy.MAINLINE : HoleFinder.Strategy.KERNEL_6_12);
        return new Ppc64KdumpPlanner(Purgatories.standard()).plan(m, req, opt);
    }
}
