package org.jkexec.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Cells;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.ppc64.RamLayout;

/**
 * A drconf v1 machine on which Linux 6.12's kdump FDT estimate is short: its LMB array reaches
 * past both ibm,lrdr-capacity and the end of RAM (the upper half of the LMBs unassigned). The
 * kernel budgets linux,drconf-usable-memory only up to the larger of those two, but the
 * property has an entry for every LMB of the array.
 */
public final class ShortEstimateMachine {
    private ShortEstimateMachine() {}

    public static Fdt tree(SyntheticMachine s) {
        if (s.drconfVersion() != 1) {
            throw new IllegalArgumentException("drconf v1 only");
        }
        Fdt t = s.tree();
        long half = s.memory() / 2;
        t.node("/rtas").orElseThrow().setProperty("ibm,lrdr-capacity", Cells.encode(2, half));
        FdtNode drconf = t.node("/ibm,dynamic-reconfiguration-memory").orElseThrow();
        byte[] lmbs = drconf.value("ibm,dynamic-memory").orElseThrow().clone();
        for (int i = s.lmbCount() / 2; i < s.lmbCount(); i++) {
            Cells.putU32(lmbs, 4 + i * 24 + 20, 0); // not assigned
        }
        drconf.setProperty("ibm,dynamic-memory", lmbs);
        return t;
    }

    /** The machine as the planner sees it (live tree equal to the boot FDT), as {@link SyntheticMachine#machine}. */
    public static Ppc64Machine machine(SyntheticMachine s) {
        Fdt t = tree(s);
        byte[] blob = t.toBlob();
        Ppc64Machine m = s.machine();
        return new Ppc64Machine(
                "short-estimate " + s.describe(),
                Fdt.parse(blob, "short-estimate fdt"),
                blob.length,
                t,
                RamLayout.fromTree(t),
                m.crashkernel(),
                m.kernelEnd(),
                m.cmdline(),
                m.crashNotes(),
                m.vmcoreinfo(),
                m.pageSize(),
                m.rmaSize(),
                m.bootFdtAddress(),
                m.lpar(),
                m.threadsPerCore(),
                List.of());
    }

    /** The machine as a capture directory: the synthetic one with this tree and its RAM. */
    public static void writeCapture(SyntheticMachine s, Path dir) {
        s.writeCapture(dir);
        Fdt t = tree(s);
        StringBuilder iomem = new StringBuilder();
        for (MemRange r : RamLayout.fromTree(t)) {
            iomem.append(String.format("%08x-%08x : System RAM%n", r.start(), r.end()));
        }
        try {
            Files.write(dir.resolve("sys/firmware/fdt"), t.toBlob());
            Files.writeString(dir.resolve("proc/iomem"), iomem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
