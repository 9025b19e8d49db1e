package org.jkexec.bench;

import java.util.concurrent.TimeUnit;
import org.jkexec.fdt.Fdt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Parsing and writing a 1 MB device tree (4,000 nodes). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FdtBenchmark {
    byte[] blob;
    Fdt tree;

    @Setup
    public void setup() {
        tree = org.jkexec.fdt.FdtBenchmarkTrees.megabyteTree();
        blob = tree.toBlob();
    }

    @Benchmark
    public Fdt parse() {
        return Fdt.parse(blob, "bench");
    }

    @Benchmark
    public byte[] toBlob() {
        return tree.toBlob();
    }

    @Benchmark
    public byte[] toBlobInPlace() {
        return tree.toBlobInPlace(blob.length + 4096);
    }
}
