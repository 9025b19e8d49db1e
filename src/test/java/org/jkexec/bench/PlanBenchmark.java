package org.jkexec.bench;

import java.util.concurrent.TimeUnit;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.elf.ElfFile;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.purgatory.Purgatories;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole kdump plan (ranges, placement, usable-memory properties, FDT, core header) on
 * synthetic PowerVM machines from 1 TiB to 64 TiB, 256 MiB LMBs. Run with scripts/bench.
 * Linear cost in LMBs shows as time proportional to the lmbs parameter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlanBenchmark {
    /** Terabytes of RAM; 64 TiB is 262,144 LMBs of 256 MiB. */
    @Param({"4", "16", "64"})
    int tib;

    @Param({"1", "2"})
    int drconf;

    Ppc64Machine machine;
    KdumpRequest request;
    Ppc64KdumpPlanner planner;

    @Setup(Level.Trial)
    public void setup() {
        SyntheticMachine m = new SyntheticMachine((long) tib << 40, 256L << 20, 1920, 8, drconf, 4L << 30, 0);
        machine = m.machine();
        request = new KdumpRequest(
                ElfFile.parse(SyntheticKernel.ppc64le(0x2000000, 0x10000), "vmlinux"),
                new byte[16 << 20],
                "console=hvc0");
        planner = new Ppc64KdumpPlanner(Purgatories.standard());
    }

    @Benchmark
    public KdumpPlan plan() {
        return planner.plan(machine, request, PlanOptions.linux612().withSeeds(1L, new byte[128]));
    }
}
