package org.jkexec.fdt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jkexec.JkexecException;
import org.jkexec.units.Hex;

/**
 * Reads a DTB (version 16 or 17, or a later version that declares itself compatible with 17).
 *
 * <p>The blob is untrusted: every header field, offset and length is checked against the bytes
 * actually there before it is used, with the same bounds libfdt's fdt_check_header and
 * fdt_next_tag enforce, plus a few that keep the tree well formed (properties before subnodes,
 * no duplicate names, one root, bounded depth). Every failure is a {@link JkexecException}
 * naming the source. Work and memory are linear in the blob size: the struct walk advances at
 * least 4 bytes per tag, and decoding names from the strings block is budgeted (a hostile
 * blob could otherwise point thousands of properties into one long run of the table).
 */
final class FdtParser {
    private final byte[] blob;
    private final String source;

    private int totalSize;
    private int structOffset;
    /** End (exclusive) of where struct tags may lie: off + size_dt_struct for v17, totalsize for v16. */
    private int structLimit;
    /** Offset just after the FDT_END tag. */
    private int structEnd;

    /** Values at least this long are kept as slices of an owned blob rather than copied. */
    static final int SHARED_VALUE_MIN = 4096;

    /** The caller gives up the blob: the tree may keep it (as libfdt's background) instead of a copy. */
    private final boolean owned;

    FdtParser(byte[] blob, String source) {
        this(blob, source, false);
    }

    FdtParser(byte[] blob, String source, boolean owned) {
        this.owned = owned;
        this.blob = blob;
        this.source = source;
    }

    private FdtException bad(String problem) {
        return bad(FdtException.Code.BADSTRUCTURE, problem);
    }

    private FdtException bad(FdtException.Code code, String problem) {
        return FdtException.badInput(code, source, problem);
    }

    /** Position in the struct block, as libfdt's offsets and dtc's messages count it. */
    private String at(long absolute) {
        return "struct offset " + Hex.hex(absolute - structOffset);
    }

    private long u32(int off) {
        return FdtFormat.getInt(blob, off) & 0xffffffffL;
    }

    Fdt parse() {
        if (blob == null) {
            throw bad(FdtException.Code.TRUNCATED, "no data");
        }
        if (blob.length < 4) {
            throw bad(
                    FdtException.Code.TRUNCATED,
                    "truncated: " + blob.length + " bytes, too short for a device tree header");
        }
        int magic = FdtFormat.getInt(blob, 0);
        if (magic != FdtFormat.MAGIC) {
            throw bad(
                    FdtException.Code.BADMAGIC,
                    String.format(
                            "not a flattened device tree (magic 0x%08x, expected 0x%08x)", magic, FdtFormat.MAGIC));
        }
        if (blob.length < 28) {
            throw bad(
                    FdtException.Code.TRUNCATED,
                    "truncated: " + blob.length + " bytes, too short for a device tree header");
        }
        long version = u32(20);
        long lastComp = u32(24);
        checkVersion(version, lastComp);
        boolean v17 = version >= 17;
        int headerSize = v17 ? FdtFormat.HEADER_SIZE : FdtFormat.V16_HEADER_SIZE;
        if (blob.length < headerSize) {
            throw bad(
                    FdtException.Code.TRUNCATED,
                    "truncated: " + blob.length + " bytes, the version " + version + " header needs " + headerSize);
        }
        long total = u32(4);
        if (total < headerSize) {
            throw bad(FdtException.Code.BADLAYOUT, "totalsize " + total + " is smaller than the header");
        }
        if (total > blob.length) {
            throw bad(
                    FdtException.Code.BADLAYOUT,
                    "totalsize " + total + " (" + Hex.hex(total) + ") exceeds the " + blob.length
                            + " bytes available: truncated blob");
        }
        totalSize = (int) total;
        long offStruct = u32(8);
        long offStrings = u32(12);
        long offRsv = u32(16);
        int bootCpu = FdtFormat.getInt(blob, 28);
        long sizeStrings = u32(32);
        long sizeStruct = v17 ? u32(36) : 0;

        checkOffset("off_mem_rsvmap", offRsv, headerSize);
        checkOffset("off_dt_struct", offStruct, headerSize);
        if (v17) {
            checkBlock("struct block", offStruct, sizeStruct, headerSize);
        }
        checkBlock("strings block", offStrings, sizeStrings, headerSize);
        structOffset = (int) offStruct;
        structLimit = v17 ? (int) (offStruct + sizeStruct) : totalSize;

        ReserveMap rsv = readReserveMap(
                offRsv, offStruct, v17 ? offStruct + sizeStruct : offStruct + 4, offStrings, offStrings + sizeStrings);
        StringTable strings = new StringTable(blob, (int) offStrings, (int) sizeStrings);
        Fdt fdt = readStruct(strings, version, rsv.entries(), bootCpu);
        fdt.reserveTerminatorAddress = rsv.terminatorAddress();
        fdt.layout = layoutForOpenInto(
                version,
                lastComp,
                offRsv,
                offStruct,
                sizeStruct,
                offStrings,
                sizeStrings,
                rsv.entries().size());
        fdt.tracker.start(fdt.computeDataSize());
        return fdt;
    }

    /**
     * Which of fdt_open_into's two paths the blob takes (see {@link SourceLayout}), with the
     * struct size libfdt uses: size_dt_struct for v17, the offset after FDT_END for v16.
     */
    private SourceLayout layoutForOpenInto(
            long version,
            long lastComp,
            long offRsv,
            long offStruct,
            long sizeStruct,
            long offStrings,
            long sizeStrings,
            int reserveEntries) {
        long structSize = version >= 17 ? sizeStruct : structEnd - offStruct;
        byte[] trailer = Arrays.copyOfRange(blob, structEnd, (int) (offStruct + structSize));
        long reserveSize = (long) (reserveEntries + 1) * FdtFormat.RESERVE_ENTRY_SIZE;
        boolean misordered = offRsv < FdtFormat.RESERVE_MAP_OFFSET
                || offStruct < offRsv + reserveSize
                || offStrings < offStruct + structSize
                || totalSize < offStrings + sizeStrings;
        if (misordered) {
            return SourceLayout.packed(trailer);
        }
        return SourceLayout.keptInPlace(
                (int) offRsv,
                Arrays.copyOfRange(blob, (int) (offRsv + reserveSize), (int) offStruct),
                Arrays.copyOfRange(blob, (int) (offStruct + structSize), (int) offStrings),
                trailer,
                owned && blob.length == totalSize ? blob : Arrays.copyOf(blob, totalSize),
                (int) lastComp);
    }

    /** Whether [a, aEnd) and [b, bEnd) share a byte. */
    private static boolean overlaps(long a, long aEnd, long b, long bEnd) {
        return a < bEnd && b < aEnd;
    }

    private void checkOffset(String what, long off, int headerSize) {
        if (off < headerSize || off > totalSize) {
            throw bad(
                    FdtException.Code.BADLAYOUT,
                    what + " " + Hex.hex(off) + " is outside the blob (header " + headerSize + " bytes, totalsize "
                            + Hex.hex(totalSize) + ")");
        }
    }

    private void checkBlock(String what, long off, long size, int headerSize) {
        if (off < headerSize || off > totalSize || off + size > totalSize) {
            throw bad(
                    FdtException.Code.BADLAYOUT,
                    what + " at " + Hex.hex(off) + " of size " + Hex.hex(size) + " does not fit in totalsize "
                            + Hex.hex(totalSize));
        }
    }

    /** One open node during the walk, with the names seen in it. */
    private static final class Open {
        final FdtNode node;
        final Set<String> propertyNames = new HashSet<>();
        final Set<String> childNames = new HashSet<>();

        Open(FdtNode node) {
            this.node = node;
        }
    }

    /**
     * Walks the struct block. NOP tags are counted and attached to the position they occupy
     * (before a property, after the last property, after a child) so the in-place image can
     * keep them where libfdt keeps them.
     */
    private Fdt readStruct(StringTable strings, long version, List<ReserveEntry> reserve, int bootCpu) {
        return new StructWalk(strings, version, reserve, bootCpu).run();
    }

    /** One walk of the struct block: the open nodes, the NOPs not yet attached, the caps' counters. */
    private final class StructWalk {
        final StringTable strings;
        final long version;
        final List<ReserveEntry> reserve;
        final int bootCpu;
        long nameBudget;
        final int[] decoded = new int[1];
        final Deque<Open> open = new ArrayDeque<>();
        Fdt fdt;
        int leadingNops;
        int pendingNops;
        int nodes;
        int properties;

        StructWalk(StringTable strings, long version, List<ReserveEntry> reserve, int bootCpu) {
            this.strings = strings;
            this.version = version;
            this.reserve = reserve;
            this.bootCpu = bootCpu;
            this.nameBudget = 16L * strings.size() + (1 << 20);
        }

        Fdt run() {
            int pos = structOffset;
            while (true) {
                if (pos + FdtFormat.TAG_SIZE > structLimit) {
                    throw bad("struct block ends at " + at(structLimit) + " without FDT_END");
                }
                int tagPos = pos;
                int tag = FdtFormat.getInt(blob, pos);
                pos += FdtFormat.TAG_SIZE;
                switch (tag) {
                    case FdtFormat.BEGIN_NODE -> pos = beginNode(tagPos, pos);
                    case FdtFormat.END_NODE -> endNode(tagPos);
                    case FdtFormat.PROP -> pos = property(tagPos, pos);
                    case FdtFormat.NOP -> pendingNops++; // at most blob.length / 4, no overflow
                    case FdtFormat.END -> {
                        return end(tagPos, pos);
                    }
                    default -> throw bad(String.format("unknown tag 0x%08x at %s", tag, at(tagPos)));
                }
            }
        }

        /** FDT_BEGIN_NODE at {@code tagPos}: a node under the open one (or the root); returns where the next tag is. */
        int beginNode(int tagPos, int pos) {
            int nul = pos;
            while (nul < structLimit && blob[nul] != 0) {
                nul++;
            }
            if (nul >= structLimit) {
                throw bad("unterminated node name at " + at(tagPos));
            }
            int next = alignedInStruct(nul + 1);
            if (next > structLimit) {
                throw bad(
                        FdtException.Code.TRUNCATED,
                        "node name at " + at(tagPos) + " runs past the end of the struct block");
            }
            String name = new String(blob, pos, nul - pos, FdtFormat.NAME_CHARSET);
            byte[] namePad = Arrays.copyOfRange(blob, nul + 1, next);
            if (++nodes > FdtFormat.MAX_NODES) {
                throw bad(
                        "more than " + FdtFormat.MAX_NODES + " nodes (at " + at(tagPos) + "): not a real device tree");
            }
            FdtNode node;
            if (open.isEmpty()) {
                if (fdt != null) {
                    throw bad("second root node at " + at(tagPos));
                }
                leadingNops = pendingNops;
                fdt = new Fdt((int) version, name, namePad, strings, SourceLayout.packed(), reserve, bootCpu);
                node = fdt.root();
            } else {
                Open parent = open.peek();
                if (open.size() >= FdtFormat.MAX_DEPTH) {
                    throw bad(
                            FdtException.Code.BADDEPTH,
                            "nodes nested deeper than " + FdtFormat.MAX_DEPTH + " levels at " + at(tagPos));
                }
                // only the root goes without a name, and '/' separates names in a path: a node
                // named otherwise could not be found by its path nor be built by the tree's own
                // operations (a CPU node so named stopped the kdump FDT's /cpus update with an
                // internal error)
                if (name.isEmpty() || name.indexOf('/') >= 0) {
                    throw bad("node at " + at(tagPos) + " under " + parent.node.path() + " is named \"" + name
                            + "\": only the root goes without a name, and no name holds '/'");
                }
                if (!parent.childNames.add(name)) {
                    throw bad(FdtException.Code.EXISTS, "duplicate node " + childPath(parent.node, name));
                }
                attachPendingNops(parent.node, pendingNops);
                node = new FdtNode(name, namePad, parent.node, fdt);
                parent.node.kids.add(node);
            }
            pendingNops = 0;
            open.push(new Open(node));
            return next;
        }

        void endNode(int tagPos) {
            if (open.isEmpty()) {
                throw bad("FDT_END_NODE outside any node at " + at(tagPos));
            }
            FdtNode node = open.pop().node;
            attachPendingNops(node, pendingNops);
            pendingNops = 0;
        }

        /** FDT_PROP at {@code tagPos}: length, name offset, value, in the open node; returns where the next tag is. */
        int property(int tagPos, int pos) {
            if (open.isEmpty()) {
                throw bad("property outside any node at " + at(tagPos));
            }
            if (pos + 8 > structLimit) {
                throw bad(
                        FdtException.Code.TRUNCATED,
                        "property header at " + at(tagPos) + " runs past the end of the struct block");
            }
            if (++properties > FdtFormat.MAX_PROPERTIES) {
                throw bad("more than " + FdtFormat.MAX_PROPERTIES + " properties (at " + at(tagPos)
                        + "): not a real device tree");
            }
            long len = u32(pos);
            long nameOff = u32(pos + 4);
            long valueStart = pos + 8L;
            long valueEnd = valueStart + len;
            Open owner = open.peek();
            if (valueEnd > structLimit) {
                throw bad("property at " + at(tagPos) + " in " + owner.node.path() + " has length " + Hex.hex(len)
                        + ", past the end of the struct block");
            }
            int next = alignedInStruct(valueEnd);
            if (next > structLimit) {
                throw bad("property at " + at(tagPos) + " in " + owner.node.path()
                        + " runs past the end of the struct block");
            }
            String name = strings.nameAt(nameOff, decoded);
            nameBudget -= decoded[0];
            if (name == null) {
                throw bad("property at " + at(tagPos) + " in " + owner.node.path() + ": name offset "
                        + Hex.hex(nameOff)
                        + (nameOff >= strings.size()
                                ? " is outside the strings block (size " + Hex.hex(strings.size()) + ")"
                                : " starts a name with no NUL before the end of the strings block"));
            }
            if (nameBudget < 0) {
                throw bad("property names overlap implausibly often in the strings block");
            }
            if (name.isEmpty()) {
                throw bad("property at " + at(tagPos) + " in " + owner.node.path() + " has an empty name (name offset "
                        + Hex.hex(nameOff) + ")");
            }
            if (!owner.node.kids.isEmpty()) {
                throw bad("property \"" + name + "\" after subnodes in " + owner.node.path() + " at " + at(tagPos));
            }
            if (!owner.propertyNames.add(name)) {
                throw bad(FdtException.Code.EXISTS, "duplicate property \"" + name + "\" in " + owner.node.path());
            }
            byte[] pad = Arrays.copyOfRange(blob, (int) valueEnd, next);
            // a large value of a blob handed over stays where it is (a 64 TiB machine's LMB list is 6 MiB)
            FdtProperty p = owned && valueEnd - valueStart >= SHARED_VALUE_MIN
                    ? new FdtProperty(name, blob, (int) valueStart, (int) (valueEnd - valueStart), (int) nameOff, pad)
                    : new FdtProperty(
                            name, Arrays.copyOfRange(blob, (int) valueStart, (int) valueEnd), (int) nameOff, pad);
            p.nopsBefore = pendingNops;
            pendingNops = 0;
            owner.node.props.add(p);
            return next;
        }

        Fdt end(int tagPos, int pos) {
            if (!open.isEmpty()) {
                throw bad("FDT_END at " + at(tagPos) + " inside node "
                        + open.peek().node.path());
            }
            if (fdt == null) {
                throw bad("struct block has no root node");
            }
            fdt.root().nopsAfter = pendingNops;
            fdt.leadingNops = leadingNops;
            structEnd = pos;
            return fdt;
        }
    }

    /** The reserve map's entries until one of size 0 (libfdt and dtc stop there), and that entry's address. */
    private record ReserveMap(List<ReserveEntry> entries, long terminatorAddress) {}

    /** Reads the reserve map at {@code offRsv}; it must end inside the blob and overlap neither block. */
    private ReserveMap readReserveMap(
            long offRsv, long structStart, long structEnd, long stringsStart, long stringsEnd) {
        List<ReserveEntry> reserve = new ArrayList<>();
        long terminatorAddress;
        for (long pos = offRsv; ; pos += FdtFormat.RESERVE_ENTRY_SIZE) {
            if (pos + FdtFormat.RESERVE_ENTRY_SIZE > totalSize) {
                throw bad(
                        FdtException.Code.BADLAYOUT,
                        "reserve map at " + Hex.hex(offRsv) + " has no terminating entry before"
                                + " the end of the blob");
            }
            long address = FdtFormat.getLong(blob, (int) pos);
            long size = FdtFormat.getLong(blob, (int) pos + 8);
            if (size == 0) {
                terminatorAddress = address;
                break;
            }
            if (reserve.size() >= FdtFormat.MAX_RESERVE_ENTRIES) {
                throw bad("reserve map has more than " + FdtFormat.MAX_RESERVE_ENTRIES + " entries");
            }
            reserve.add(new ReserveEntry(address, size));
        }
        long reserveEnd = offRsv + (long) (reserve.size() + 1) * FdtFormat.RESERVE_ENTRY_SIZE;
        if (overlaps(offRsv, reserveEnd, structStart, structEnd)) {
            throw bad(
                    FdtException.Code.BADLAYOUT,
                    "reserve map at " + Hex.hex(offRsv) + " overlaps the struct block at " + Hex.hex(structStart));
        }
        if (overlaps(offRsv, reserveEnd, stringsStart, stringsEnd)) {
            throw bad(
                    FdtException.Code.BADLAYOUT,
                    "reserve map at " + Hex.hex(offRsv) + " overlaps the strings block at " + Hex.hex(stringsStart));
        }
        return new ReserveMap(reserve, terminatorAddress);
    }

    /** Versions 16 and 17, and later ones that stay compatible with 17. */
    private void checkVersion(long version, long lastComp) {
        if (version < 16) {
            throw bad(FdtException.Code.BADVERSION, "version " + version + " is not supported (16 and 17 are)");
        }
        if (lastComp > FdtFormat.LAST_SUPPORTED_VERSION || version < lastComp) {
            throw bad(
                    FdtException.Code.BADVERSION,
                    "version " + version + " with last_comp_version " + lastComp
                            + " is not compatible with version 17");
        }
    }

    /**
     * Rounds an absolute position up to the next 4-byte boundary counted from the struct start
     * (libfdt aligns offsets relative to the block; the block itself need not be aligned).
     */
    private int alignedInStruct(long absolute) {
        return (int) Math.min(Integer.MAX_VALUE, structOffset + FdtFormat.align4(absolute - structOffset));
    }

    /** NOPs before an item that is a child or END_NODE go after the last child, or after the properties. */
    private static void attachPendingNops(FdtNode node, int nops) {
        if (node.kids.isEmpty()) {
            node.trailingPropNops = nops;
        } else {
            node.kids.get(node.kids.size() - 1).nopsAfter = nops;
        }
    }

    private static String childPath(FdtNode parent, String name) {
        String p = parent.path();
        return (p.endsWith("/") ? p : p + "/") + name;
    }
}
