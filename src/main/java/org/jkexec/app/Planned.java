package org.jkexec.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.ppc64.Ppc64Machine;

/**
 * A plan and the machine it was made for, with the kernel and initrd files it was made from
 * (null when not read from files) and the files whose bytes its device tree and command line
 * hold ({@code textSources}: the boot FDT, the machine's command line, a recorded request):
 * bytes copied from them keep their privacy when written.
 */
public record Planned(Ppc64Machine machine, KdumpPlan plan, Path kernelFile, Path initrdFile, List<Path> textSources) {
    public Planned {
        textSources = List.copyOf(textSources);
    }

    public Planned(Ppc64Machine machine, KdumpPlan plan, Path kernelFile, Path initrdFile) {
        this(machine, plan, kernelFile, initrdFile, List.of());
    }

    public Planned(Ppc64Machine machine, KdumpPlan plan) {
        this(machine, plan, null, null);
    }

    /** This plan, made from {@code more} files too (nulls ignored). */
    public Planned withTextSources(Path... more) {
        List<Path> all = new ArrayList<>(textSources);
        for (Path p : more) {
            if (p != null) {
                all.add(p);
            }
        }
        return new Planned(machine, plan, kernelFile, initrdFile, all);
    }
}
