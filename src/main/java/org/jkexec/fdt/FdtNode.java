package org.jkexec.fdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node: its name with unit address ("memory@0"), ordered properties and ordered children.
 * Edits follow libfdt's ordering rules (see {@link Fdt}).
 *
 * <p>Every edit of a node that belongs to a tree is also reported to the tree's
 * {@link InPlaceTracker}, which keeps what libfdt's buffer would hold beyond the tree itself
 * (sizes, and the stale bytes libfdt's memmove-based splicing leaves in padding and past the
 * end of the data). A node removed with {@link #deleteChild} belongs to no tree any more; it
 * can still be read and edited, but as a plain detached tree.
 *
 * <p>The lists returned by {@link #properties()} and {@link #children()} are read-only live
 * views: edit through the methods here.
 */
public final class FdtNode {
    private final String name;
    private final byte[] nameBytes;
    /** Bytes after the name's NUL up to the next 4-byte boundary in the in-place image; null = zeros. */
    final byte[] namePad;
    /** 1 for a root, parent's depth + 1 otherwise. */
    private final int depth;

    private FdtNode parent;
    /** The tree this node is part of, or null once detached. */
    Fdt owner;

    final List<FdtProperty> props = new ArrayList<>();
    final List<FdtNode> kids = new ArrayList<>();
    /**
     * Name → property, for nodes with more than {@link #SCAN_LIMIT} properties (a CPU node has
     * dozens, and reading and planning look names up thousands of times). Built on demand, kept
     * in step by the methods here, rebuilt when the list grew without them (the parser and the
     * copier append to it directly).
     */
    private HashMap<String, FdtProperty> propertyIndex;

    private int indexedCount;
    private static final int SCAN_LIMIT = 8;
    /** FDT_NOP tags after the last property, before the first child (or END_NODE). */
    int trailingPropNops;
    /** FDT_NOP tags after this node's END_NODE, before whatever follows it. */
    int nopsAfter;

    FdtNode(String name, byte[] namePad, FdtNode parent, Fdt owner) {
        this.name = name;
        this.nameBytes = name.getBytes(FdtFormat.NAME_CHARSET);
        this.namePad = FdtProperty.isAllZero(namePad) ? null : namePad;
        this.parent = parent;
        this.depth = parent == null ? 1 : parent.depth + 1;
        this.owner = owner;
    }

    public String name() {
        return name;
    }

    /** Absolute path ("/" for the root). */
    public String path() {
        if (parent == null) {
            return "/";
        }
        Deque<String> names = new ArrayDeque<>();
        for (FdtNode n = this; n.parent != null; n = n.parent) {
            names.push(n.name);
        }
        return "/" + String.join("/", names);
    }

    public Optional<FdtNode> parent() {
        return Optional.ofNullable(parent);
    }

    /** Read-only live view, in blob order. */
    public List<FdtProperty> properties() {
        return Collections.unmodifiableList(props);
    }

    /** Read-only live view, in blob order. */
    public List<FdtNode> children() {
        return Collections.unmodifiableList(kids);
    }

    /** The child with exactly this name (unit address included). */
    public Optional<FdtNode> child(String name) {
        for (FdtNode k : kids) {
            if (k.name.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public Optional<FdtProperty> property(String name) {
        return Optional.ofNullable(findProperty(name));
    }

    public boolean hasProperty(String name) {
        return findProperty(name) != null;
    }

    // The accessors below are conditionals, not Optional.map lambdas: every load reads the
    // machine's tree through them at boot, where each lambda's first linkage costs.

    /** Property value bytes, or empty. */
    public Optional<byte[]> value(String name) {
        FdtProperty p = findProperty(name);
        return p == null ? Optional.empty() : Optional.of(p.value());
    }

    /**
     * Property value as a read-only big-endian view, or empty: no copy, for values of megabytes
     * (a 64 TiB machine's LMB list is 6 MiB) read once.
     */
    public Optional<ByteBuffer> valueView(String name) {
        FdtProperty p = findProperty(name);
        return p == null
                ? Optional.empty()
                : Optional.of(ByteBuffer.wrap(p.array(), p.arrayOffset(), p.length())
                        .slice()
                        .asReadOnlyBuffer());
    }

    /**
     * The value up to its first NUL, decoded as UTF-8 (the first string of a string list), or
     * empty when the property is absent. A value without NUL is taken whole.
     */
    public Optional<String> string(String name) {
        FdtProperty p = findProperty(name);
        if (p == null) {
            return Optional.empty();
        }
        byte[] v = p.rawValue();
        int end = 0;
        while (end < v.length && v[end] != 0) {
            end++;
        }
        return Optional.of(new String(v, 0, end, StandardCharsets.UTF_8));
    }

    /** First cell of a property as unsigned int, or empty when absent; too short → JkexecException naming the path. */
    public Optional<Long> u32(String name) {
        FdtProperty p = findProperty(name);
        if (p == null) {
            return Optional.empty();
        }
        requireLength(p, 4, "a 32-bit cell");
        return Optional.of(FdtFormat.getInt(p.rawValue(), 0) & 0xffffffffL);
    }

    /** A two-cell (big-endian u64) property, or empty when absent; too short → JkexecException. */
    public Optional<Long> u64(String name) {
        FdtProperty p = findProperty(name);
        if (p == null) {
            return Optional.empty();
        }
        requireLength(p, 8, "a 64-bit value (two cells)");
        return Optional.of(FdtFormat.getLong(p.rawValue(), 0));
    }

    private void requireLength(FdtProperty p, int needed, String what) {
        if (p.length() < needed) {
            throw FdtException.badInput(
                    FdtException.Code.BADVALUE,
                    propertyPath(p.name()),
                    "property is " + p.length() + " bytes, too short for " + what);
        }
    }

    private String propertyPath(String propertyName) {
        String path = path();
        return (path.endsWith("/") ? path : path + "/") + propertyName;
    }

    /** Sets a property: replaced in place if present, else inserted before all others (libfdt fdt_setprop). */
    public FdtNode setProperty(String name, byte[] value) {
        checkPropertyName(name);
        byte[] v = Objects.requireNonNull(value, "value").clone();
        int i = indexOfProperty(name);
        if (i >= 0) {
            resizeProperty(i, v);
        } else {
            insertFirstProperty(name, v);
        }
        return this;
    }

    /** Appends bytes to a property, creating it (in front) if absent (libfdt fdt_appendprop). */
    public FdtNode appendProperty(String name, byte[] value) {
        checkPropertyName(name);
        Objects.requireNonNull(value, "value");
        int i = indexOfProperty(name);
        if (i >= 0) {
            byte[] old = props.get(i).rawValue();
            byte[] joined = new byte[old.length + value.length];
            System.arraycopy(old, 0, joined, 0, old.length);
            System.arraycopy(value, 0, joined, old.length, value.length);
            resizeProperty(i, joined);
        } else {
            insertFirstProperty(name, value.clone());
        }
        return this;
    }

    public FdtNode setU64(String name, long v) {
        byte[] b = new byte[8];
        FdtFormat.putLong(b, 0, v);
        return setProperty(name, b);
    }

    /** Sets a string property: the UTF-8 bytes of {@code v} and a terminating NUL. */
    public FdtNode setString(String name, String v) {
        byte[] s = v.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[s.length + 1];
        System.arraycopy(s, 0, b, 0, s.length);
        return setProperty(name, b);
    }

    /** Removes a property; false if it was not there (libfdt fdt_delprop). */
    public boolean deleteProperty(String name) {
        int i = indexOfProperty(name);
        if (i < 0) {
            return false;
        }
        FdtProperty p = props.get(i);
        if (owner != null) {
            owner.tracker.shrinking(p.structSize());
        }
        removePropertyKeepingNops(i, p.nopsBefore);
        return true;
    }

    /**
     * Overwrites a property with FDT_NOP tags (libfdt fdt_nop_property, which Linux applies to
     * {@code rng-seed} after reading it): the property disappears from the tree, and the blob
     * keeps its size with NOP tags where the property was. False if it was not there.
     */
    public boolean nopProperty(String name) {
        int i = indexOfProperty(name);
        if (i < 0) {
            return false;
        }
        FdtProperty p = props.get(i);
        removePropertyKeepingNops(i, p.nopsBefore + p.structSize() / FdtFormat.TAG_SIZE);
        return true;
    }

    /** Removes property i; {@code nops} NOP tags stay where it was, in front of what followed it. */
    private void removePropertyKeepingNops(int i, int nops) {
        FdtProperty removed = props.remove(i);
        indexChanged(removed.name(), null, props.size() + 1);
        if (i < props.size()) {
            props.get(i).nopsBefore += nops;
        } else {
            trailingPropNops += nops;
        }
    }

    /** Adds a child in front of existing children (libfdt fdt_add_subnode); duplicate name → JkexecException. */
    public FdtNode addChild(String name) {
        checkNodeName(name);
        for (FdtNode k : kids) {
            if (libfdtNameMatches(k.name, name)) {
                throw FdtException.failed(
                        FdtException.Code.EXISTS,
                        "cannot add node " + childPath(name) + ": "
                                + (k.name.equals(name)
                                        ? "it exists"
                                        : "libfdt finds existing " + k.name + " under that name"));
            }
        }
        return insertChild(0, name);
    }

    /**
     * Adds a child after existing children (how a parser or a directory reader builds a tree).
     * Not a libfdt operation; in the in-place image the node goes just before this node's
     * END_NODE. Duplicate name → JkexecException.
     */
    public FdtNode appendChild(String name) {
        checkNodeName(name);
        if (child(name).isPresent()) {
            throw FdtException.failed(FdtException.Code.EXISTS, "cannot add node " + childPath(name) + ": it exists");
        }
        return insertChild(kids.size(), name);
    }

    /**
     * libfdt's fdt_nodename_eq_: "foo" names an existing "foo" and also "foo@1" (a name without
     * unit address matches any unit address), so fdt_add_subnode refuses "foo" next to "foo@1".
     */
    private static boolean libfdtNameMatches(String existing, String wanted) {
        if (existing.equals(wanted)) {
            return true;
        }
        return wanted.indexOf('@') < 0
                && existing.startsWith(wanted)
                && existing.length() > wanted.length()
                && existing.charAt(wanted.length()) == '@';
    }

    private FdtNode insertChild(int index, String name) {
        if (depth + 1 > FdtFormat.MAX_DEPTH) {
            throw FdtException.failed(
                    FdtException.Code.BADDEPTH,
                    "cannot add node " + childPath(name) + ": nodes nest at most " + FdtFormat.MAX_DEPTH
                            + " levels deep");
        }
        // libfdt clears the name's padding (memset), so a new node has no stale bytes
        FdtNode c = new FdtNode(name, null, this, owner);
        kids.add(index, c);
        if (owner != null) {
            owner.tracker.grew(c.headerSize() + FdtFormat.TAG_SIZE);
        }
        return c;
    }

    /**
     * Removes a child node and its subtree; false if absent (libfdt fdt_del_node). The removed
     * node becomes the root of a detached tree (no parent, path "/").
     */
    public boolean deleteChild(FdtNode child) {
        int i = indexOfChild(child);
        if (i < 0) {
            return false;
        }
        if (owner != null) {
            owner.tracker.shrinking(child.subtreeSize());
        }
        kids.remove(i);
        // NOPs that followed the child stay where it was
        if (i > 0) {
            kids.get(i - 1).nopsAfter += child.nopsAfter;
        } else {
            trailingPropNops += child.nopsAfter;
        }
        child.nopsAfter = 0;
        child.parent = null;
        for (FdtNode n : child.descendants()) {
            n.owner = null;
        }
        return true;
    }

    /** All nodes of this subtree in depth-first document order, this node first. */
    public List<FdtNode> descendants() {
        List<FdtNode> out = new ArrayList<>();
        Deque<FdtNode> todo = new ArrayDeque<>();
        todo.push(this);
        while (!todo.isEmpty()) {
            FdtNode n = todo.pop();
            out.add(n);
            for (int i = n.kids.size() - 1; i >= 0; i--) {
                todo.push(n.kids.get(i));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return path();
    }

    // ---- package-private: building and layout ----

    byte[] nameBytes() {
        return nameBytes;
    }

    int depth() {
        return depth;
    }

    /** BEGIN_NODE tag plus the NUL-terminated name padded to 4 bytes. */
    int headerSize() {
        return FdtFormat.TAG_SIZE + FdtFormat.align4(nameBytes.length + 1);
    }

    /** Bytes of this subtree in the in-place struct block, from BEGIN_NODE through END_NODE. */
    long subtreeSize() {
        long size = headerSize() + (long) trailingPropNops * FdtFormat.TAG_SIZE + FdtFormat.TAG_SIZE;
        for (FdtProperty p : props) {
            size += (long) p.nopsBefore * FdtFormat.TAG_SIZE + p.structSize();
        }
        for (FdtNode k : kids) {
            size += k.subtreeSize() + (long) k.nopsAfter * FdtFormat.TAG_SIZE;
        }
        return size;
    }

    int indexOfProperty(String name) {
        FdtProperty p = findProperty(name);
        if (p == null) {
            return -1;
        }
        for (int i = 0; i < props.size(); i++) {
            if (props.get(i) == p) {
                return i;
            }
        }
        throw new IllegalStateException("property index out of step at " + propertyPath(name));
    }

    private FdtProperty findProperty(String name) {
        int n = props.size();
        if (n <= SCAN_LIMIT) {
            for (int i = 0; i < n; i++) {
                FdtProperty p = props.get(i);
                if (p.name().equals(name)) {
                    return p;
                }
            }
            return null;
        }
        if (propertyIndex == null || indexedCount != n) {
            propertyIndex = new HashMap<>(2 * n);
            for (int i = 0; i < n; i++) {
                FdtProperty p = props.get(i);
                propertyIndex.put(p.name(), p);
            }
            indexedCount = n;
        }
        return propertyIndex.get(name);
    }

    /** Records a change made to {@link #props} in the index (a null property: name removed). */
    private void indexChanged(String name, FdtProperty p, int sizeBefore) {
        if (propertyIndex == null) {
            return;
        }
        if (indexedCount != sizeBefore) {
            propertyIndex = null; // out of step already: rebuilt on the next lookup
            return;
        }
        if (p == null) {
            propertyIndex.remove(name);
        } else {
            propertyIndex.put(name, p);
        }
        indexedCount = props.size();
    }

    int indexOfChild(FdtNode child) {
        for (int i = 0; i < kids.size(); i++) {
            if (kids.get(i) == child) {
                return i;
            }
        }
        return -1;
    }

    FdtNode parentOrNull() {
        return parent;
    }

    /**
     * Adds a property after the existing ones, as a directory reader builds a tree (not a libfdt
     * operation: libfdt only inserts in front). Its name is looked up in / added to the string
     * table now, like any new property.
     */
    void appendPropertyAtEnd(String name, byte[] value) {
        checkPropertyName(name);
        if (hasProperty(name)) {
            throw FdtException.failed(
                    FdtException.Code.EXISTS, "cannot add property " + propertyPath(name) + ": it exists");
        }
        int nameOffset = owner == null ? -1 : owner.internName(name);
        FdtProperty p = new FdtProperty(name, value, nameOffset, null);
        props.add(p);
        indexChanged(name, p, props.size() - 1);
        if (owner != null) {
            owner.tracker.grew(p.structSize());
        }
    }

    /** libfdt fdt_add_property_: new property right after the node's BEGIN_NODE header. */
    private void insertFirstProperty(String name, byte[] value) {
        int nameOffset = -1;
        byte[] pad = null;
        int paddedLength = FdtFormat.align4(value.length);
        if (owner != null) {
            // libfdt adds the name to the string table before it splices the struct block
            nameOffset = owner.internName(name);
            // fdt_splice_ opens a gap by moving what follows; the gap keeps the bytes that were
            // there, and only tag, length, name offset and value are written over them.
            pad = owner.tracker.staleStreamAtNodeContent(
                    this, FdtFormat.PROP_HEADER_SIZE + value.length, FdtFormat.PROP_HEADER_SIZE + paddedLength);
        }
        FdtProperty p = new FdtProperty(name, value, nameOffset, pad);
        props.add(0, p);
        indexChanged(name, p, props.size() - 1);
        if (owner != null) {
            owner.tracker.grew(p.structSize());
        }
    }

    /**
     * libfdt fdt_resize_property_ (and fdt_appendprop on an existing property): the padded value
     * is spliced from align4(old length) to align4(new length) bytes, then the new bytes are
     * copied in. Padding bytes keep whatever the splice left there: the old value and padding
     * where the old property reached, else the bytes that used to follow the property.
     */
    private void resizeProperty(int index, byte[] value) {
        FdtProperty old = props.get(index);
        int oldPadded = FdtFormat.align4(old.length());
        int newPadded = FdtFormat.align4(value.length);
        byte[] pad = null;
        if (owner != null) {
            if (newPadded < oldPadded) {
                owner.tracker.shrinking(oldPadded - newPadded);
            }
            if (newPadded > value.length) {
                pad = new byte[newPadded - value.length];
                int fromOld = Math.min(newPadded, oldPadded); // positions below this keep old bytes
                int streamFrom = Math.max(value.length, oldPadded) - oldPadded;
                byte[] following = newPadded > oldPadded
                        ? owner.tracker.staleStreamAfterProperty(this, index, streamFrom, newPadded - oldPadded)
                        : null;
                for (int x = value.length; x < newPadded; x++) {
                    pad[x - value.length] = x < fromOld ? old.paddedByte(x) : following[x - oldPadded - streamFrom];
                }
            }
        }
        FdtProperty replacement = new FdtProperty(old.name(), value, old.nameOffset, pad);
        replacement.nopsBefore = old.nopsBefore;
        props.set(index, replacement);
        indexChanged(replacement.name(), replacement, props.size());
        if (owner != null && newPadded > oldPadded) {
            owner.tracker.grew(newPadded - oldPadded);
        }
    }

    private String childPath(String childName) {
        String path = path();
        return (path.endsWith("/") ? path : path + "/") + childName;
    }

    static void checkPropertyName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty property name");
        }
        checkNameChars(name);
    }

    static void checkNodeName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("bad node name \"" + name + "\"");
        }
        checkNameChars(name);
    }

    private static void checkNameChars(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || c > 0xff) {
                throw new IllegalArgumentException(
                        "name \"" + name + "\" has a character a DTB name cannot hold (NUL or above U+00FF)");
            }
        }
    }
}
