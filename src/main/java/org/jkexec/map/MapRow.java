package org.jkexec.map;

/** The horizontal tracks of every panel, top to bottom. */
public enum MapRow {
    /** What the kdump load places: segments and the backup source. Labels go above. */
    KEXEC("kexec"),
    /** The crashkernel reservation. */
    CRASHKERNEL("crashkernel"),
    /** System RAM: memory nodes and LMB runs, assigned or not. */
    RAM("RAM"),
    /** Regions the placement must avoid. Labels go below. */
    EXCLUDED("excluded");

    private final String title;

    MapRow(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** True when this row's labels go in the band above the rows (false: below). */
    boolean labelsAbove() {
        return this == KEXEC || this == CRASHKERNEL;
    }
}
