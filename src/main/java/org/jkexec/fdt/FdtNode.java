package org.jkexec.fdt;

import java.util.List;
import java.util.Optional;

/**
 * A node: its name with unit address ("memory@0"), ordered properties and ordered children.
 * Edits follow libfdt's ordering rules (see {@link Fdt}). CONTRACT ONLY.
 */
public final class FdtNode {
    public String name() { throw new UnsupportedOperationException(); }

    /** Absolute path ("/" for the root). */
    public String path() { throw new UnsupportedOperationException(); }

    public Optional<FdtNode> parent() { throw new UnsupportedOperationException(); }

    public List<FdtProperty> properties() { throw new UnsupportedOperationException(); }

    public List<FdtNode> children() { throw new UnsupportedOperationException(); }

    public Optional<FdtNode> child(String name) { throw new UnsupportedOperationException(); }

    public Optional<FdtProperty> property(String name) { throw new UnsupportedOperationException(); }

    public boolean hasProperty(String name) { throw new UnsupportedOperationException(); }

    /** Property value bytes, or empty. */
    public Optional<byte[]> value(String name) { throw new UnsupportedOperationException(); }

    /** NUL-terminated string value (first string of a list), or empty. */
    public Optional<String> string(String name) { throw new UnsupportedOperationException(); }

    /** First cell of a property as unsigned int, or empty when absent; too short → JkexecException naming the path. */
    public Optional<Long> u32(String name) { throw new UnsupportedOperationException(); }

    /** A two-cell (big-endian u64) property, or empty when absent; too short → JkexecException. */
    public Optional<Long> u64(String name) { throw new UnsupportedOperationException(); }

    /** Sets a property: replaced in place if present, else inserted before all others (libfdt fdt_setprop). */
    public FdtNode setProperty(String name, byte[] value) { throw new UnsupportedOperationException(); }

    /** Appends bytes to a property, creating it (in front) if absent (libfdt fdt_appendprop). */
    public FdtNode appendProperty(String name, byte[] value) { throw new UnsupportedOperationException(); }

    public FdtNode setU64(String name, long v) { throw new UnsupportedOperationException(); }

    public FdtNode setString(String name, String v) { throw new UnsupportedOperationException(); }

    /** Removes a property; false if it was not there. */
    public boolean deleteProperty(String name) { throw new UnsupportedOperationException(); }

    /** Adds a child in front of existing children (libfdt fdt_add_subnode); duplicate name → JkexecException. */
    public FdtNode addChild(String name) { throw new UnsupportedOperationException(); }

    /** Adds a child after existing children (how a parser or a directory reader builds a tree). */
    public FdtNode appendChild(String name) { throw new UnsupportedOperationException(); }

    /** Removes a child node and its subtree; false if absent. */
    public boolean deleteChild(FdtNode child) { throw new UnsupportedOperationException(); }

    /** All nodes of this subtree in depth-first document order, this node first. */
    public List<FdtNode> descendants() { throw new UnsupportedOperationException(); }
}
