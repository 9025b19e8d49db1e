package org.jkexec.app;

import java.nio.file.Path;

import org.jkexec.kexec.KdumpPlan;
import org.jkexec.ppc64.Ppc64Machine;

/**
 * A plan and the machine it was made for, with the kernel and initrd files it was made from
 * (null when not read from files): bytes copied from them keep their privacy when written.
 */
public record Planned(Ppc64Machine machine, KdumpPlan plan, Path kernelFile, Path initrdFile) {
    public Planned(Ppc64Machine machine, KdumpPlan plan) {
        this(machine, plan, null, null);
    }
}
