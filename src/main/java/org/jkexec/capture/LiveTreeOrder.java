package org.jkexec.capture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.fdt.FdtProperty;

/**
 * Gives an unpacked /proc/device-tree the property and node order of the kernel's live tree.
 * A directory listing has no order, but the kernel unflattened its tree from the boot FDT, so
 * nodes and properties it shares with the boot FDT keep the FDT's order; the "name" property
 * the kernel synthesises for each node comes last, and anything added since boot (hot-plugged
 * CPUs, memory) follows in name order. The order matters: the kernel copies live CPU nodes
 * property by property into the kdump FDT.
 */
public final class LiveTreeOrder {
    private LiveTreeOrder() {}

    /** The tree of {@code directoryRoot} (see {@link Fdt#readDirectoryNodes}) in the live tree's order. */
    public static Fdt order(FdtNode directoryRoot, Fdt bootFdt) {
        Fdt out = Fdt.empty();
        copy(directoryRoot, Optional.of(bootFdt.root()), out.root());
        return out;
    }

    private static void copy(FdtNode from, Optional<FdtNode> boot, FdtNode to) {
        Map<String, Integer> bootPropRank = new HashMap<>();
        if (boot.isPresent()) {
            int i = 0;
            for (FdtProperty p : boot.get().properties()) {
                bootPropRank.putIfAbsent(p.name(), i++);
            }
        }
        // each key is worked out once, not at every comparison: this runs at boot in small or
        // emulated guests, where the sort's comparisons are interpreted
        List<Ranked<FdtProperty>> props = new ArrayList<>();
        for (FdtProperty p : from.properties()) {
            props.add(new Ranked<>(p, rank(bootPropRank, p.name()), p.name().equals("name") ? 1 : 0, p.name()));
        }
        props.sort(null);
        // setProperty inserts in front (libfdt order), so add in reverse to end up in order
        for (int i = props.size() - 1; i >= 0; i--) {
            FdtProperty p = props.get(i).item();
            to.setProperty(p.name(), p.value());
        }
        Map<String, Integer> bootChildRank = new HashMap<>();
        if (boot.isPresent()) {
            int i = 0;
            for (FdtNode c : boot.get().children()) {
                bootChildRank.putIfAbsent(c.name(), i++);
            }
        }
        List<Ranked<FdtNode>> children = new ArrayList<>();
        for (FdtNode c : from.children()) {
            children.add(new Ranked<>(c, rank(bootChildRank, c.name()), 0, c.name()));
        }
        children.sort(null);
        for (Ranked<FdtNode> r : children) {
            FdtNode c = r.item();
            FdtNode copy = to.appendChild(c.name());
            copy(c, boot.isPresent() ? boot.get().child(c.name()) : Optional.empty(), copy);
        }
    }

    private static int rank(Map<String, Integer> ranks, String name) {
        return ranks.getOrDefault(name, Integer.MAX_VALUE);
    }

    /** A node or property with its sort key: boot FDT rank, then "name" last, then by name. */
    private record Ranked<T>(T item, int rank, int nameLast, String name) implements Comparable<Ranked<T>> {
        @Override
        public int compareTo(Ranked<T> o) {
            if (rank != o.rank) {
                return Integer.compare(rank, o.rank);
            }
            if (nameLast != o.nameLast) {
                return Integer.compare(nameLast, o.nameLast);
            }
            return name.compareTo(o.name);
        }
    }
}
