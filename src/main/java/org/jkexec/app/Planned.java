package org.jkexec.app;

import org.jkexec.kexec.KdumpPlan;
import org.jkexec.ppc64.Ppc64Machine;

/** A plan and the machine it was made for. */
public record Planned(Ppc64Machine machine, KdumpPlan plan) {
}
