package org.jkexec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jkexec.OutputFiles;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.capture.SyntheticMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jkexec synth}: write a synthetic PowerVM-like machine capture (for tests and benchmarks). */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = "Write a synthetic machine capture: RAM as LMBs of ibm,dynamic-reconfiguration-memory.")
final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path out;

    @Option(
            names = "--memory",
            defaultValue = "64T",
            converter = SizeConverter.class,
            description = "RAM (default 64T).")
    long memory;

    @Option(
            names = "--lmb-size",
            defaultValue = "256M",
            converter = SizeConverter.class,
            description = "LMB size (default 256M).")
    long lmbSize;

    @Option(names = "--cpus", defaultValue = "1920", description = "Logical CPUs (default 1920).")
    int cpus;

    @Option(names = "--threads", defaultValue = "8", description = "SMT threads per core (default 8).")
    int threads;

    @Option(names = "--drconf", defaultValue = "2", description = "ibm,dynamic-memory version, 1 or 2 (default 2).")
    int drconf;

    @Option(
            names = "--crashkernel",
            defaultValue = "4G",
            converter = SizeConverter.class,
            description = "crashkernel size (default 4G).")
    long crash;

    @Option(
            names = "--crashkernel-cma",
            defaultValue = "0",
            converter = SizeConverter.class,
            description = "crashkernel=SIZE,cma: one CMA area of this size at the top of RAM (default none).")
    long cma;

    @Option(names = "--unassigned-every", defaultValue = "0", description = "Leave every N-th LMB unassigned.")
    int unassignedEvery;

    @Option(
            names = "--kernel",
            paramLabel = "FILE",
            description = "Also write a kdump kernel to plan with: an 8 KiB ELF shaped like a ppc64le vmlinux.")
    Path kernel;

    @Option(
            names = "--live-tree",
            description = "Also write the tree unpacked as proc/device-tree, as the running kernel shows it.")
    boolean liveTree;

    @Override
    public Integer call() {
        SyntheticMachine m = new SyntheticMachine(memory, lmbSize, cpus, threads, drconf, crash, unassignedEvery, cma);
        m.writeCapture(out, liveTree);
        if (kernel != null) {
            OutputFiles.writeFile(kernel, "kernel", SyntheticKernel.vmlinuxLike(), OutputFiles.READABLE, true);
        }
        spec.commandLine().getOut().println("wrote " + out + ": " + m.describe());
        return 0;
    }
}
