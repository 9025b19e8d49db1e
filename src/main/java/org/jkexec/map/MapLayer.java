package org.jkexec.map;

import org.jkexec.kexec.SegmentKind;
import org.jkexec.ppc64.RegionKind;

/**
 * What a region of the map is: its row, legend text, colours and the character that stands for
 * it in the text map. The order is the legend's and the drawing order (later is on top).
 */
public enum MapLayer {
    RAM(MapRow.RAM, "System RAM", '=', "#dcefd8", "#86b37e", null, false),
    RAM_UNASSIGNED(MapRow.RAM, "unassigned LMBs (not in memblock)", '-', "#f4f4f4", "#9a9a9a", "#b4b4b4", false),
    /** Several RAM runs too narrow to draw apart, some assigned and some not (layouts only). */
    RAM_MIXED(
            MapRow.RAM,
            "RAM runs too small to draw apart, some unassigned",
            '%',
            "#dcefd8",
            "#6f8f69",
            "#8a8a8a",
            false),
    CRASHKERNEL(MapRow.CRASHKERNEL, "crashkernel reservation", '~', "#fff1c4", "#c9981a", null, false),
    CRASHKERNEL_CMA(
            MapRow.CRASHKERNEL,
            "crashkernel=SIZE,cma area: the kdump kernel's too, not dumped",
            'c',
            "#fffaf0",
            "#c9981a",
            "#e3c46a",
            false),
    KERNEL(MapRow.EXCLUDED, "excluded: running kernel [0, _end)", 'k', "#9db5dd", "#4a6aa5", null, false),
    RTAS(MapRow.EXCLUDED, "excluded: RTAS", 'r', "#e8a3a3", "#b34a4a", null, false),
    OPAL(MapRow.EXCLUDED, "excluded: OPAL", 'o', "#cfb0e3", "#7e4ea3", null, false),
    TCE(MapRow.EXCLUDED, "excluded: TCE table", 't', "#a3dcd6", "#3f9b92", null, false),
    HTAB(MapRow.EXCLUDED, "excluded: hash page table", 'h', "#efc99d", "#b0772f", null, false),
    RETAINED_INITRD(MapRow.EXCLUDED, "excluded: retained initrd", 'i', "#c6e2a0", "#6c9a2f", null, false),
    RESERVED_RANGES(MapRow.EXCLUDED, "excluded: firmware reserved-ranges", 'x', "#c8c8c8", "#6d6d6d", null, false),
    BACKUP_SOURCE(
            MapRow.KEXEC,
            "backup source [0, 64 KiB), copied by purgatory",
            'b',
            "#f1e6fb",
            "#7b4fb0",
            "#a57fd0",
            false),
    SEG_KERNEL(MapRow.KEXEC, "segment: kdump kernel", 'K', "#3b73b9", "#1f4f8a", null, true),
    SEG_PURGATORY(MapRow.KEXEC, "segment: purgatory", 'P', "#d64541", "#9c2421", null, true),
    SEG_BACKUP(MapRow.KEXEC, "segment: backup (the copy)", 'B', "#8e5cc4", "#5f3590", null, true),
    SEG_ELFCOREHDR(MapRow.KEXEC, "segment: elfcorehdr", 'E', "#f08c2e", "#b55d0c", null, true),
    SEG_INITRD(MapRow.KEXEC, "segment: initrd", 'I', "#3ea34a", "#23722c", null, true),
    SEG_FDT(MapRow.KEXEC, "segment: fdt", 'F', "#1fa5b5", "#11808d", null, true);

    private final MapRow row;
    private final String legend;
    private final char symbol;
    private final String fill;
    private final String stroke;
    private final String hatch;
    private final boolean dark;

    MapLayer(MapRow row, String legend, char symbol, String fill, String stroke, String hatch, boolean dark) {
        this.row = row;
        this.legend = legend;
        this.symbol = symbol;
        this.fill = fill;
        this.stroke = stroke;
        this.hatch = hatch;
        this.dark = dark;
    }

    public MapRow row() {
        return row;
    }

    /** Legend text. */
    public String legend() {
        return legend;
    }

    /** The character of the text map. */
    public char symbol() {
        return symbol;
    }

    /** Fill colour, #rrggbb. */
    public String fill() {
        return fill;
    }

    /** Outline (and leader line) colour, #rrggbb. */
    public String stroke() {
        return stroke;
    }

    /** Colour of diagonal hatching over the fill, or null for a plain fill. */
    public String hatch() {
        return hatch;
    }

    /** True when the fill is dark (text inside it is white). */
    public boolean dark() {
        return dark;
    }

    /** A region that gets a label (every layer but plain RAM runs). */
    public boolean labelled() {
        return row != MapRow.RAM;
    }

    /** The layer of a kexec segment of this kind. */
    public static MapLayer forSegment(SegmentKind kind) {
        return switch (kind) {
            case KERNEL -> SEG_KERNEL;
            case PURGATORY -> SEG_PURGATORY;
            case BACKUP -> SEG_BACKUP;
            case ELFCOREHDR -> SEG_ELFCOREHDR;
            case INITRD -> SEG_INITRD;
            case FDT -> SEG_FDT;
        };
    }

    /** The layer of a special region of the ppc64 lists. */
    public static MapLayer forRegion(RegionKind kind) {
        return switch (kind) {
            case KERNEL -> KERNEL;
            case RTAS -> RTAS;
            case OPAL -> OPAL;
            case TCE -> TCE;
            case HTAB -> HTAB;
            case INITRD -> RETAINED_INITRD;
            case RESERVED_RANGES -> RESERVED_RANGES;
            case CRASHKERNEL -> CRASHKERNEL;
        };
    }
}
