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
 * <p>CONTRACT ONLY: the implementation is being written; see FdtNode for node-level edits.
 */
public final class Fdt {
    /** Parses a DTB (versions 16 and 17). Every offset and length is checked against the blob. */
    public static Fdt parse(byte[] blob, String source) { throw new UnsupportedOperationException(); }

    /** Reads an unpacked tree such as /proc/device-tree (a directory per node, a file per property). */
    public static Fdt readDirectory(Path dir) { throw new UnsupportedOperationException(); }

    /** An empty tree (root node only, version 17). */
    public static Fdt empty() { throw new UnsupportedOperationException(); }

    public FdtNode root() { throw new UnsupportedOperationException(); }

    /** Node at an absolute path such as "/cpus/PowerPC,POWER9@0"; "/" is the root. */
    public Optional<FdtNode> node(String path) { throw new UnsupportedOperationException(); }

    /** The reserve map, in order; the list is mutable (add/remove edits the blob's map). */
    public List<ReserveEntry> reserveMap() { throw new UnsupportedOperationException(); }

    /** Removes the first reserve entry equal to (address,size); false if none (libfdt's find-and-delete). */
    public boolean removeReserveEntry(long address, long size) { throw new UnsupportedOperationException(); }

    public int bootCpuidPhys() { throw new UnsupportedOperationException(); }

    public void setBootCpuidPhys(int cpu) { throw new UnsupportedOperationException(); }

    /** Version of the blob this tree was parsed from (17 for trees made here). */
    public int version() { throw new UnsupportedOperationException(); }

    /** Deep copy (the string table and name offsets included). */
    public Fdt copy() { throw new UnsupportedOperationException(); }

    /** A compact v17 blob: fresh de-duplicated string table, totalsize exact. */
    public byte[] toBlob() { throw new UnsupportedOperationException(); }

    /**
     * The blob libfdt would hold after {@code fdt_open_into(original, buf, totalSize)} and the
     * same edits: blocks placed as fdt_open_into places them (kept in place with their gaps when
     * the source was v17 and in order, else header | reserve map | struct | strings), the string
     * table as edited (original offsets kept, new names appended when created), zero-filled up to
     * {@code totalSize}. Throws JkexecException (FDT_ERR_NOSPACE) when the content does not fit.
     */
    public byte[] toBlobInPlace(int totalSize) { throw new UnsupportedOperationException(); }

    /** Size in bytes {@link #toBlobInPlace} content occupies (end of the string table). */
    public int inPlaceContentSize() { throw new UnsupportedOperationException(); }

    /** DTS text as {@code dtc -I dtb -O dts} prints it. */
    public String toDts() { throw new UnsupportedOperationException(); }
}
