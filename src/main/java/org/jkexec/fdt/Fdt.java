package org.jkexec.fdt;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A flattened device tree held as a mutable tree plus its memory reserve map.
 *
 * <p>Edits follow libfdt's observable semantics (so a tree edited the way the kernel edits it
 * serialises to the same blob): a new property goes in front of the node's existing
 * properties, a new subnode goes in front of the existing subnodes, changing an existing
 * property keeps its position, and new property names are looked up in / appended to the
 * string table at the moment the property is created (a name that occurs anywhere in the
 * table, even as the tail of a longer name, is reused; deleted names stay in the table).
 *
 * <p>Beyond the tree, a parsed Fdt keeps what {@link #toBlobInPlace} needs to give libfdt's
 * exact bytes: the source's string table and name offsets, its block offsets and the bytes
 * between blocks, FDT_NOP tags, padding bytes, and (through {@link InPlaceTracker}) the stale
 * bytes libfdt's splicing leaves behind. {@link #toBlob} ignores all of that.
 */
public final class Fdt {
    private final FdtNode root;
    private final ReserveMapList reserveMap;
    private int bootCpuidPhys;
    private final int version;

    final StringTable strings;
    /** Set once: by the constructor, or by the parser when the walk has found the struct end. */
    SourceLayout layout;

    final InPlaceTracker tracker;
    /** FDT_NOP tags in front of the root node. */
    int leadingNops;
    /** Address field of the reserve map's terminating (size 0) entry; libfdt keeps it. */
    long reserveTerminatorAddress;

    /** A tree with an empty root; the parser and the copier fill it. */
    Fdt(
            int version,
            String rootName,
            byte[] rootNamePad,
            StringTable strings,
            SourceLayout layout,
            List<ReserveEntry> reserve,
            int bootCpuidPhys) {
        this.version = version;
        this.strings = strings;
        this.layout = layout;
        this.bootCpuidPhys = bootCpuidPhys;
        this.tracker = new InPlaceTracker(this);
        this.root = new FdtNode(rootName, rootNamePad, null, this);
        this.reserveMap = new ReserveMapList(this, reserve);
    }

    private Fdt(Fdt other) {
        this.version = other.version;
        this.strings = other.strings.copy();
        this.layout = other.layout;
        this.bootCpuidPhys = other.bootCpuidPhys;
        this.leadingNops = other.leadingNops;
        this.reserveTerminatorAddress = other.reserveTerminatorAddress;
        this.tracker = other.tracker.copyFor(this);
        this.root = new FdtNode(other.root.name(), other.root.namePad, null, this);
        this.reserveMap = new ReserveMapList(this, other.reserveMap);
        copyContent(other.root, root);
    }

    private void copyContent(FdtNode from, FdtNode to) {
        for (FdtProperty p : from.props) {
            to.props.add(new FdtProperty(p));
        }
        to.trailingPropNops = from.trailingPropNops;
        to.nopsAfter = from.nopsAfter;
        for (FdtNode k : from.kids) {
            FdtNode c = new FdtNode(k.name(), k.namePad, to, this);
            to.kids.add(c);
            copyContent(k, c);
        }
    }

    /**
     * Parses a DTB (versions 16 and 17). Every offset and length is checked against the blob.
     * Besides what libfdt itself refuses, a blob is refused when a tree could not represent it
     * faithfully: a property after a subnode, two properties or two children of one name, a
     * second root, nesting deeper than 64 levels. Problems are JkexecExceptions naming
     * {@code source}. FDT_NOP tags are skipped (and remembered for {@link #toBlobInPlace}).
     */
    public static Fdt parse(byte[] blob, String source) {
        return new FdtParser(blob, source).parse();
    }

    /**
     * As {@link #parse}, for a blob the caller hands over and never changes afterwards (one
     * just read from a file): the tree keeps it instead of a copy of megabytes.
     */
    public static Fdt parseOwned(byte[] blob, String source) {
        return new FdtParser(blob, source, true).parse();
    }

    /**
     * Reads an unpacked tree such as /proc/device-tree (a directory per node, a file per
     * property). Entries are taken in name order; property names are added to the string table
     * in that order, as if each property had been created then.
     */
    public static Fdt readDirectory(Path dir) {
        return DirectoryReader.read(dir);
    }

    /**
     * As {@link #readDirectory}, checked alike, but the root of nodes that belong to no blob
     * (as a deleted subtree): to read and copy from, as the live tree is made from
     * /proc/device-tree, at half the cost.
     */
    public static FdtNode readDirectoryNodes(Path dir) {
        return DirectoryReader.readNodes(dir);
    }

    /** An empty tree (root node only, version 17). */
    public static Fdt empty() {
        Fdt fdt = new Fdt(FdtFormat.VERSION, "", null, new StringTable(), SourceLayout.packed(), List.of(), 0);
        fdt.tracker.start(fdt.computeDataSize());
        return fdt;
    }

    public FdtNode root() {
        return root;
    }

    /**
     * Node at an absolute path such as "/cpus/PowerPC,POWER9@0"; "/" is the root. Names must
     * match exactly (unit address included); empty path components are ignored. A path not
     * starting with '/' finds nothing.
     */
    public Optional<FdtNode> node(String path) {
        if (path == null || !path.startsWith("/")) {
            return Optional.empty();
        }
        FdtNode n = root;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Optional<FdtNode> c = n.child(part);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            n = c.get();
        }
        return Optional.of(n);
    }

    /** The reserve map, in order; the list is mutable (add/remove edits the blob's map). */
    public List<ReserveEntry> reserveMap() {
        return reserveMap;
    }

    /** Removes the first reserve entry equal to (address,size); false if none (libfdt's find-and-delete). */
    public boolean removeReserveEntry(long address, long size) {
        for (int i = 0; i < reserveMap.size(); i++) {
            ReserveEntry e = reserveMap.get(i);
            if (e.address() == address && e.size() == size) {
                reserveMap.remove(i);
                return true;
            }
        }
        return false;
    }

    public int bootCpuidPhys() {
        return bootCpuidPhys;
    }

    public void setBootCpuidPhys(int cpu) {
        this.bootCpuidPhys = cpu;
    }

    /** Version of the blob this tree was parsed from (17 for trees made here). */
    public int version() {
        return version;
    }

    /** Deep copy (the string table and name offsets included). */
    public Fdt copy() {
        return new Fdt(this);
    }

    /** A compact v17 blob: fresh de-duplicated string table, totalsize exact. */
    public byte[] toBlob() {
        return FdtWriter.compact(this);
    }

    /**
     * The blob libfdt would hold after {@code fdt_open_into(original, buf, totalSize)} and the
     * same edits: blocks placed as fdt_open_into places them (kept in place with their gaps when
     * the source was in order, else header | reserve map | struct | strings), the string
     * table as edited (original offsets kept, new names appended when created), zero-filled up to
     * {@code totalSize}. Throws JkexecException (FDT_ERR_NOSPACE) when the content does not fit.
     *
     * <p>Exactly: bytes libfdt never wrote are zero (the kernel's buffer is not cleared, so
     * there it is whatever the allocation held); everything else, including padding and the
     * bytes libfdt's memmove leaves behind, is what libfdt leaves. The content does not fit
     * when {@code totalSize} is below {@link #inPlaceMinimumSize()}.
     */
    public byte[] toBlobInPlace(int totalSize) {
        return FdtWriter.inPlace(this, totalSize);
    }

    /** Size in bytes {@link #toBlobInPlace} content occupies (end of the string table). */
    public int inPlaceContentSize() {
        return (int) Math.min(Integer.MAX_VALUE, tracker.dataSize());
    }

    /**
     * The smallest totalSize {@link #toBlobInPlace} accepts: libfdt checks every edit against
     * the buffer size, so this is the largest size the content had at any point (and, for a
     * source blob whose blocks fdt_open_into leaves in place, at least its totalsize).
     */
    public int inPlaceMinimumSize() {
        return (int) Math.min(Integer.MAX_VALUE, minimumInPlaceSize());
    }

    long minimumInPlaceSize() {
        return Math.max(tracker.highWater(), layout.minTotalSize);
    }

    /** DTS text as {@code dtc -I dtb -O dts} prints it. */
    public String toDts() {
        return DtsPrinter.print(this);
    }

    /**
     * The first difference in content (reserve map, boot CPU, nodes, properties and their
     * order) between this tree and another, as a message; empty when they are equal. Layout
     * details (string table, NOPs, padding, version) are not content.
     */
    public Optional<String> firstDifference(Fdt other) {
        if (!reserveMap.equals(other.reserveMap)) {
            return Optional.of("reserve maps differ: " + reserveMap + " vs " + other.reserveMap);
        }
        if (bootCpuidPhys != other.bootCpuidPhys) {
            return Optional.of("boot_cpuid_phys " + bootCpuidPhys + " vs " + other.bootCpuidPhys);
        }
        return firstDifference(root, other.root);
    }

    private static Optional<String> firstDifference(FdtNode a, FdtNode b) {
        if (!a.name().equals(b.name())) {
            return Optional.of(a.path() + ": node name " + a.name() + " vs " + b.name());
        }
        if (!a.props.equals(b.props)) {
            return Optional.of(a.path() + ": properties differ: " + a.props + " vs " + b.props);
        }
        if (a.kids.size() != b.kids.size()) {
            return Optional.of(a.path() + ": " + a.kids.size() + " vs " + b.kids.size() + " children");
        }
        for (int i = 0; i < a.kids.size(); i++) {
            Optional<String> d = firstDifference(a.kids.get(i), b.kids.get(i));
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    // ---- package-private ----

    /** Looks a new property's name up in the string table, appending it if absent (libfdt). */
    int internName(String name) {
        int before = strings.size();
        int offset = strings.findOrAppend(name);
        tracker.grew(strings.size() - before);
        return offset;
    }

    /** Offset of the struct block in the in-place image. */
    long structOffset() {
        return layout.reserveMapOffset
                + (long) (reserveMap.size() + 1) * FdtFormat.RESERVE_ENTRY_SIZE
                + layout.gapAfterReserveMap.length;
    }

    /** Size of the struct block in the in-place image, computed from the tree. */
    long structSize() {
        StreamEmitter.Counter c = new StreamEmitter.Counter();
        StreamEmitter.inPlace(this, c).structBlock();
        return c.count;
    }

    /** End of the strings block in the in-place image, computed from the tree. */
    long computeDataSize() {
        return structOffset() + structSize() + layout.gapAfterStruct.length + strings.size();
    }
}
