package org.jkexec.fdt;

import java.util.Arrays;
import java.util.Map;

/**
 * Writes the byte stream of a tree: the struct block and, for the in-place image, the whole data
 * area (reserve map, gaps, struct block, strings) and what lies past it.
 *
 * <p>One emitter serves three purposes, so they cannot disagree about a single byte:
 * <ul>
 *   <li>the compact writer (fresh name offsets, zero padding, no NOPs);</li>
 *   <li>the in-place writer (the tree's own name offsets, padding bytes and NOPs);</li>
 *   <li>reading a few bytes of the current in-place image at some point of the stream, which
 *       libfdt-exact editing needs (see {@link InPlaceTracker}); the emitter then starts in the
 *       middle of a node and stops as soon as the window it must fill is full, so the cost is
 *       proportional to the bytes skipped, not to the tree.</li>
 * </ul>
 */
final class StreamEmitter {

    /** Receives the stream; positions count from wherever the emitter starts. */
    interface Sink {
        void write(byte[] b, int off, int len);

        /** {@code count} copies of the big-endian int {@code v}. */
        void writeRepeated(int v, long count);

        void writeZeros(int n);

        /** True once nothing more is wanted (the emitter then stops early). */
        boolean full();

        default void writeInt(int v) {
            writeRepeated(v, 1);
        }

        default void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }
    }

    /** Copies the part of the stream that falls into [from, to) to dst[dstBase...]. */
    static final class Window implements Sink {
        private long pos;
        private final long from;
        private final long to;
        private final byte[] dst;
        private final int dstBase;
        private final byte[] word = new byte[4];

        Window(long start, long from, long to, byte[] dst, int dstBase) {
            this.pos = start;
            this.from = from;
            this.to = to;
            this.dst = dst;
            this.dstBase = dstBase;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            long s = Math.max(pos, from);
            long e = Math.min(pos + len, to);
            if (s < e) {
                System.arraycopy(b, off + (int) (s - pos), dst, dstBase + (int) (s - from), (int) (e - s));
            }
            pos += len;
        }

        @Override
        public void writeRepeated(int v, long count) {
            // skip the copies before the window, write those inside, skip the rest
            long before = Math.max(0, Math.min(count, (from - pos) / 4));
            pos += before * 4;
            FdtFormat.putInt(word, 0, v);
            long i = before;
            for (; i < count && pos < to; i++) {
                write(word, 0, 4);
            }
            pos += (count - i) * 4;
        }

        @Override
        public void writeZeros(int n) {
            long s = Math.max(pos, from);
            long e = Math.min(pos + n, to);
            if (s < e) {
                Arrays.fill(dst, dstBase + (int) (s - from), dstBase + (int) (e - from), (byte) 0);
            }
            pos += n;
        }

        @Override
        public boolean full() {
            return pos >= to;
        }

        long position() {
            return pos;
        }
    }

    /** Only counts bytes. */
    static final class Counter implements Sink {
        long count;

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }

        @Override
        public void writeRepeated(int v, long n) {
            count += 4 * n;
        }

        @Override
        public void writeZeros(int n) {
            count += n;
        }

        @Override
        public boolean full() {
            return false;
        }
    }

    private final Fdt fdt;
    private final Sink out;
    /** Name → offset in the fresh string table for the compact form; null for the in-place form. */
    private final Map<String, Integer> compactNameOffsets;

    private StreamEmitter(Fdt fdt, Sink out, Map<String, Integer> compactNameOffsets) {
        this.fdt = fdt;
        this.out = out;
        this.compactNameOffsets = compactNameOffsets;
    }

    static StreamEmitter inPlace(Fdt fdt, Sink out) {
        return new StreamEmitter(fdt, out, null);
    }

    static StreamEmitter compact(Fdt fdt, Sink out, Map<String, Integer> nameOffsets) {
        return new StreamEmitter(fdt, out, nameOffsets);
    }

    private boolean inPlace() {
        return compactNameOffsets == null;
    }

    /** In-place data area: reserve map, gap, struct block, gap, strings. */
    void data() {
        reserveMap();
        if (inPlace()) {
            write(fdt.layout.gapAfterReserveMap);
        }
        structBlock();
        afterStruct();
    }

    void reserveMap() {
        for (ReserveEntry e : fdt.reserveMap()) {
            if (out.full()) {
                return;
            }
            out.writeLong(e.address());
            out.writeLong(e.size());
        }
        // libfdt ends the map at the first entry of size 0 and ignores its address; keep it
        out.writeLong(inPlace() ? fdt.reserveTerminatorAddress : 0);
        out.writeLong(0);
    }

    void structBlock() {
        nops(fdt.leadingNops);
        node(fdt.root());
        afterNode(fdt.root());
    }

    /** BEGIN_NODE, the name, then everything up to and including the node's END_NODE. */
    void node(FdtNode n) {
        if (out.full()) {
            return;
        }
        out.writeInt(FdtFormat.BEGIN_NODE);
        byte[] name = n.nameBytes();
        out.write(name, 0, name.length);
        out.writeZeros(1);
        if (inPlace() && n.namePad != null) {
            out.write(n.namePad, 0, n.namePad.length);
        } else {
            out.writeZeros(FdtFormat.align4(name.length + 1) - name.length - 1);
        }
        nodeBody(n, 0);
    }

    /** Node content from property {@code firstProp} on (with its NOPs), the children, END_NODE. */
    void nodeBody(FdtNode n, int firstProp) {
        for (int i = firstProp; i < n.props.size(); i++) {
            if (out.full()) {
                return;
            }
            FdtProperty p = n.props.get(i);
            nops(p.nopsBefore);
            property(p);
        }
        nops(n.trailingPropNops);
        for (FdtNode k : n.kids) {
            if (out.full()) {
                return;
            }
            node(k);
            nops(k.nopsAfter);
        }
        out.writeInt(FdtFormat.END_NODE);
    }

    /** The rest of the struct block after node {@code n}'s END_NODE, through FDT_END. */
    void afterNode(FdtNode n) {
        FdtNode cur = n;
        while (true) {
            if (out.full()) {
                return;
            }
            nops(cur.nopsAfter);
            FdtNode parent = cur.parentOrNull();
            if (parent == null) {
                break;
            }
            for (int j = parent.indexOfChild(cur) + 1; j < parent.kids.size(); j++) {
                if (out.full()) {
                    return;
                }
                FdtNode sibling = parent.kids.get(j);
                node(sibling);
                nops(sibling.nopsAfter);
            }
            out.writeInt(FdtFormat.END_NODE);
            cur = parent;
        }
        out.writeInt(FdtFormat.END);
        if (inPlace()) {
            write(fdt.layout.structTrailer);
        }
    }

    /** In-place: the gap between struct and strings blocks, then the strings. */
    void afterStruct() {
        if (out.full()) {
            return;
        }
        write(fdt.layout.gapAfterStruct);
        out.write(fdt.strings.rawBytes(), 0, fdt.strings.size());
    }

    /** In-place: the bytes past the end of the data (stale or background), until the sink is full. */
    void tail() {
        long abs = fdt.tracker.dataSize();
        byte[] one = new byte[1];
        while (!out.full()) {
            one[0] = fdt.tracker.tailByte(abs++);
            out.write(one, 0, 1);
        }
    }

    private void property(FdtProperty p) {
        out.writeInt(FdtFormat.PROP);
        out.writeInt(p.length());
        out.writeInt(inPlace() ? p.nameOffset : compactNameOffsets.get(p.name()));
        out.write(p.array(), p.arrayOffset(), p.length());
        byte[] pad = p.pad();
        if (inPlace() && pad != null) {
            out.write(pad, 0, pad.length);
        } else {
            out.writeZeros(FdtFormat.align4(p.length()) - p.length());
        }
    }

    private void nops(int count) {
        if (count > 0 && inPlace()) {
            out.writeRepeated(FdtFormat.NOP, count);
        }
    }

    private void write(byte[] b) {
        out.write(b, 0, b.length);
    }
}
