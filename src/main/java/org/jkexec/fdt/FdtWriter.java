package org.jkexec.fdt;

import java.util.HashMap;
import java.util.Map;
import org.jkexec.units.Hex;

/** Serialises a tree as a compact blob (dtc's layout) or as libfdt's in-place image. */
final class FdtWriter {
    private FdtWriter() {}

    /**
     * header (40) | reserve map | struct | strings, totalsize exact, version 17 / last
     * compatible 16. Names get a fresh table in order of first use with the suffix reuse rule
     * dtc's stringtable_insert and libfdt share, so the result is what {@code dtc -O dtb} writes
     * for the same tree. NOPs, padding garbage and unused strings are dropped.
     */
    static byte[] compact(Fdt fdt) {
        StringTable strings = new StringTable();
        Map<String, Integer> nameOffsets = new HashMap<>();
        for (FdtNode n : fdt.root().descendants()) {
            for (FdtProperty p : n.props) {
                nameOffsets.computeIfAbsent(p.name(), strings::findOrAppend);
            }
        }
        StreamEmitter.Counter counter = new StreamEmitter.Counter();
        StreamEmitter.compact(fdt, counter, nameOffsets).structBlock();
        long structSize = counter.count;
        long reserveSize = (long) (fdt.reserveMap().size() + 1) * FdtFormat.RESERVE_ENTRY_SIZE;
        long structOffset = FdtFormat.RESERVE_MAP_OFFSET + reserveSize;
        long stringsOffset = structOffset + structSize;
        long total = stringsOffset + strings.size();
        checkSize(total);

        byte[] out = new byte[(int) total];
        StreamEmitter.Window w = new StreamEmitter.Window(
                FdtFormat.RESERVE_MAP_OFFSET,
                FdtFormat.RESERVE_MAP_OFFSET,
                stringsOffset,
                out,
                FdtFormat.RESERVE_MAP_OFFSET);
        StreamEmitter e = StreamEmitter.compact(fdt, w, nameOffsets);
        e.reserveMap();
        e.structBlock();
        System.arraycopy(strings.rawBytes(), 0, out, (int) stringsOffset, strings.size());
        writeHeader(
                out,
                (int) total,
                (int) structOffset,
                (int) stringsOffset,
                FdtFormat.RESERVE_MAP_OFFSET,
                FdtFormat.LAST_COMP_VERSION,
                fdt.bootCpuidPhys(),
                strings.size(),
                (int) structSize);
        return out;
    }

    /** libfdt's buffer after fdt_open_into(source, buf, totalSize) and the tree's edits. */
    static byte[] inPlace(Fdt fdt, int totalSize) {
        long needed = fdt.minimumInPlaceSize();
        if (totalSize < needed) {
            throw FdtException.failed(
                    FdtException.Code.NOSPACE,
                    "the device tree needs a buffer of " + needed + " bytes (" + Hex.hex(needed) + "), " + totalSize
                            + " given");
        }
        byte[] out = new byte[totalSize];
        SourceLayout layout = fdt.layout;
        if (layout.background != null) {
            System.arraycopy(layout.background, 0, out, 0, Math.min(layout.background.length, totalSize));
        }
        fdt.tracker.writeStaleTail(out);

        long dataSize = fdt.tracker.dataSize();
        StreamEmitter.Window w = new StreamEmitter.Window(
                layout.reserveMapOffset, layout.reserveMapOffset, dataSize, out, layout.reserveMapOffset);
        StreamEmitter.inPlace(fdt, w).data();
        if (w.position() != dataSize) {
            // the tracker and the tree disagree: a bug here, never an input problem
            throw new IllegalStateException("in-place data is " + w.position() + " bytes, tracked " + dataSize);
        }
        long structOffset = fdt.structOffset();
        long stringsOffset = dataSize - fdt.strings.size();
        long structSize = stringsOffset - layout.gapAfterStruct.length - structOffset;
        writeHeader(
                out,
                totalSize,
                (int) structOffset,
                (int) stringsOffset,
                layout.reserveMapOffset,
                layout.lastCompVersion,
                fdt.bootCpuidPhys(),
                fdt.strings.size(),
                (int) structSize);
        return out;
    }

    private static void checkSize(long total) {
        if (total > Integer.MAX_VALUE - 8) {
            throw FdtException.failed(
                    FdtException.Code.NOSPACE, "device tree too large for a DTB: " + total + " bytes");
        }
    }

    private static void writeHeader(
            byte[] out,
            int totalSize,
            int structOffset,
            int stringsOffset,
            int reserveMapOffset,
            int lastCompVersion,
            int bootCpu,
            int stringsSize,
            int structSize) {
        FdtFormat.putInt(out, 0, FdtFormat.MAGIC);
        FdtFormat.putInt(out, 4, totalSize);
        FdtFormat.putInt(out, 8, structOffset);
        FdtFormat.putInt(out, 12, stringsOffset);
        FdtFormat.putInt(out, 16, reserveMapOffset);
        FdtFormat.putInt(out, 20, FdtFormat.VERSION);
        FdtFormat.putInt(out, 24, lastCompVersion);
        FdtFormat.putInt(out, 28, bootCpu);
        FdtFormat.putInt(out, 32, stringsSize);
        FdtFormat.putInt(out, 36, structSize);
    }
}
