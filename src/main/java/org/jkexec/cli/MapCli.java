package org.jkexec.cli;

import org.jkexec.map.MapCommand;
import org.jkexec.map.MemoryMapModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jkexec map}: the map command fed by the same machine and kdump inputs as {@code plan}. */
@Command(name = "map")
final class MapCli extends MapCommand {
    @Mixin
    PlanInputs inputs;

    @Override
    protected MemoryMapModel model() {
        PlanInputs.Planned p = inputs.plan();
        return MemoryMapModel.from(p.machine(), p.plan());
    }
}
