package org.jkexec.fdt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Follows, edit by edit, what libfdt's buffer would hold beyond the tree itself, so that
 * {@link Fdt#toBlobInPlace} can give the exact bytes libfdt would.
 *
 * <p>libfdt edits a blob with {@code fdt_splice_}: memmove everything from the edit point to the
 * end of the data (end of the strings block) by the size change. Three things follow from that,
 * which a tree alone does not know:
 * <ul>
 *   <li>Growing opens a gap that keeps the bytes that were there; libfdt then writes only the
 *       tag, length, name offset and value, so a new or grown property's padding bytes are
 *       stale bytes of the old stream (see {@link FdtNode}; Linux's kdump FDT shows them).</li>
 *   <li>Shrinking leaves the old last bytes of the data behind the new end; a later image shows
 *       them unless growth overwrote them again. {@link #shrinking} records them.</li>
 *   <li>Every splice fails with FDT_ERR_NOSPACE when the data would pass the buffer size, so the
 *       buffer must hold the largest size the data ever had ({@link #highWater}).</li>
 * </ul>
 * Positions here are absolute offsets in the in-place image.
 */
final class InPlaceTracker {
    private final Fdt fdt;
    /** End of the strings block in the in-place image (libfdt's fdt_data_size_). */
    private long dataSize;

    private long highWater;
    /**
     * Bytes left behind by shrinking, as (position, bytes) chunks in the order they were left:
     * a later chunk covers an earlier one. Only [dataSize, highWater) is meaningful. Chunks,
     * not an image-sized array: a tree of megabytes loses a few hundred bytes per deleted node.
     */
    private List<Chunk> stale = new ArrayList<>();

    private record Chunk(long start, byte[] bytes) {
        long end() {
            return start + bytes.length;
        }
    }

    InPlaceTracker(Fdt fdt) {
        this.fdt = fdt;
    }

    InPlaceTracker copyFor(Fdt other) {
        InPlaceTracker t = new InPlaceTracker(other);
        t.dataSize = dataSize;
        t.highWater = highWater;
        t.stale = new ArrayList<>(stale);
        return t;
    }

    /** Starts tracking from a freshly opened image whose data ends at {@code size}. */
    void start(long size) {
        dataSize = size;
        highWater = size;
        stale = new ArrayList<>();
    }

    long dataSize() {
        return dataSize;
    }

    /** Largest data size so far: the smallest buffer in which every splice succeeded. */
    long highWater() {
        return highWater;
    }

    void grew(long n) {
        dataSize += n;
        highWater = Math.max(highWater, dataSize);
    }

    /**
     * Called before the tree loses {@code d} bytes of data: memmove leaves the current last
     * {@code d} bytes of the data where they are, now behind the end.
     */
    void shrinking(long d) {
        if (d <= 0) {
            return;
        }
        long end = dataSize;
        long start = end - d;
        stale.add(new Chunk(start, lastDataBytes((int) d)));
        dataSize = start;
    }

    private byte[] lastDataBytes(int d) {
        StringTable strings = fdt.strings;
        if (d <= strings.size()) {
            return Arrays.copyOfRange(strings.rawBytes(), strings.size() - d, strings.size());
        }
        byte[] out = new byte[d];
        StreamEmitter.Window w = new StreamEmitter.Window(fdt.layout.reserveMapOffset, dataSize - d, dataSize, out, 0);
        StreamEmitter.inPlace(fdt, w).data();
        return out;
    }

    /** The image byte at absolute position {@code abs} >= dataSize. */
    byte tailByte(long abs) {
        if (abs < highWater) {
            for (int i = stale.size() - 1; i >= 0; i--) {
                Chunk c = stale.get(i);
                if (abs >= c.start() && abs < c.end()) {
                    return c.bytes()[(int) (abs - c.start())];
                }
            }
        }
        byte[] bg = fdt.layout.background;
        return bg != null && abs < bg.length ? bg[(int) abs] : 0;
    }

    /** Copies the stale bytes in [dataSize, min(highWater, totalSize)) into an image. */
    void writeStaleTail(byte[] image) {
        long from = dataSize;
        long to = Math.min(highWater, image.length);
        for (Chunk c : stale) {
            long a = Math.max(from, c.start());
            long b = Math.min(to, c.end());
            if (a < b) {
                System.arraycopy(c.bytes(), (int) (a - c.start()), image, (int) a, (int) (b - a));
            }
        }
    }

    /**
     * Bytes [from, to) of the current image counted from the start of {@code node}'s content
     * (just after its BEGIN_NODE header), running on past the data into the tail; null if empty.
     */
    byte[] staleStreamAtNodeContent(FdtNode node, int from, int to) {
        return streamAfter(node, 0, from, to);
    }

    /** Bytes [from, to) of the current image counted from the end of property {@code index}. */
    byte[] staleStreamAfterProperty(FdtNode node, int index, int from, int to) {
        return streamAfter(node, index + 1, from, to);
    }

    private byte[] streamAfter(FdtNode node, int firstProp, int from, int to) {
        if (from >= to) {
            return null;
        }
        byte[] out = new byte[to - from];
        StreamEmitter e = StreamEmitter.inPlace(fdt, new StreamEmitter.Window(0, from, to, out, 0));
        e.nodeBody(node, firstProp);
        e.afterNode(node);
        e.afterStruct();
        e.tail();
        return out;
    }
}
