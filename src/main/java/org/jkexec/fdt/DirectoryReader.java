package org.jkexec.fdt;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;

/**
 * Builds a tree from an unpacked device tree such as /proc/device-tree: a directory per node,
 * a regular file per property (the file's bytes are the value). The directory order of a live
 * /proc/device-tree is not the property order, so entries are taken sorted by name, which at
 * least makes the result deterministic. Symbolic links and other special files are refused
 * rather than skipped, since silently dropping a property would change the tree.
 */
final class DirectoryReader {
    /** No real property comes near this; the bound keeps a wrong path from filling memory. */
    static final int MAX_PROPERTY_BYTES = 16 << 20;
    /** Bound on all property bytes together. */
    static final long MAX_TOTAL_BYTES = 256L << 20;

    private long totalBytes;
    /** Files and directories seen so far (each becomes an object far larger than its name). */
    private long entries;

    private DirectoryReader() {}

    static Fdt read(Path dir) {
        Fdt fdt = Fdt.empty();
        read(dir, fdt.root());
        return fdt;
    }

    /**
     * The tree as nodes of no blob: no string table or blob layout is kept while reading, which
     * is about half the cost of reading /proc/device-tree (host, interpreted), where a load
     * reads it at boot and only copies from it.
     */
    static FdtNode readNodes(Path dir) {
        FdtNode root = new FdtNode("", null, null, null);
        read(dir, root);
        return root;
    }

    private static void read(Path dir, FdtNode root) {
        if (!Files.isDirectory(dir)) { // follows a link: /proc/device-tree is one
            throw JkexecException.badInput(dir, "not a directory");
        }
        new DirectoryReader().readNode(dir, root);
    }

    private void readNode(Path dir, FdtNode node) {
        List<String> names = names(dir);
        entries += names.size();
        if (entries > FdtFormat.MAX_NODES + FdtFormat.MAX_PROPERTIES) {
            throw JkexecException.badInput(
                    dir,
                    "more than " + (FdtFormat.MAX_NODES + FdtFormat.MAX_PROPERTIES)
                            + " nodes and properties: not a device tree");
        }
        Collections.sort(names); // plain strings: sorting Paths by file name makes new objects per comparison
        List<Path> subdirs = new ArrayList<>();
        for (String name : names) {
            Path entry = dir.resolve(name);
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw InputFiles.cannotRead(entry, "device tree", e);
            }
            checkName(entry, name);
            if (attrs.isRegularFile()) {
                node.appendPropertyAtEnd(name, readProperty(entry, attrs.size()));
            } else if (attrs.isDirectory()) {
                subdirs.add(entry);
            } else {
                throw JkexecException.badInput(
                        entry,
                        "neither a regular file nor a directory"
                                + (attrs.isSymbolicLink() ? " (a symbolic link)" : ""));
            }
        }
        // properties come before subnodes in a blob; both keep name order
        for (Path sub : subdirs) {
            if (node.depth() >= FdtFormat.MAX_DEPTH) {
                throw JkexecException.badInput(sub, "nodes nested deeper than " + FdtFormat.MAX_DEPTH + " levels");
            }
            readNode(sub, node.appendChild(sub.getFileName().toString()));
        }
    }

    /**
     * The names in {@code dir}. On the default file system java.io's listing, which makes no
     * Path per entry (a fifth of the time reading a live tree's hundreds of entries takes,
     * interpreted, as a load at boot reads it); when it fails it says nothing, so the listing is
     * made again as a DirectoryStream for the reason.
     */
    static List<String> names(Path dir) {
        if (dir.getFileSystem() == FileSystems.getDefault()) {
            String[] listed = dir.toFile().list();
            if (listed != null) {
                return new ArrayList<>(Arrays.asList(listed));
            }
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path entry : ds) {
                names.add(entry.getFileName().toString());
            }
        } catch (IOException | RuntimeException e) {
            throw JkexecException.badInput(dir, "cannot list directory: " + e.getMessage(), e);
        }
        return names;
    }

    private byte[] readProperty(Path file, long reported) {
        // the budget holds while reading: sizes reported for /proc files are unreliable
        byte[] value = InputFiles.readChecked(file, reported, MAX_PROPERTY_BYTES, "device-tree property");
        totalBytes += value.length;
        if (totalBytes > MAX_TOTAL_BYTES) {
            throw JkexecException.badInput(
                    file, "device tree larger than " + (MAX_TOTAL_BYTES >> 20) + " MiB in total");
        }
        return value;
    }

    /** A name a blob can hold: one byte per character, no NUL; no '/' (it is a file name anyway). */
    private static void checkName(Path entry, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || c > 0xff) {
                throw JkexecException.badInput(entry, "name has a character a device tree name cannot hold");
            }
        }
    }
}
