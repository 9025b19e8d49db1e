package org.jkexec.capture;

import java.util.ArrayList;
import java.util.Comparator;
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
    private LiveTreeOrder() {
    }

    public static Fdt order(Fdt directoryTree, Fdt bootFdt) {
        Fdt out = Fdt.empty();
        copy(directoryTree.root(), Optional.of(bootFdt.root()), out.root());
        return out;
    }

    private static void copy(FdtNode from, Optional<FdtNode> boot, FdtNode to) {
        List<FdtProperty> props = new ArrayList<>(from.properties());
        Map<String, Integer> bootPropRank = new HashMap<>();
        boot.ifPresent(b -> {
            int i = 0;
            for (FdtProperty p : b.properties()) {
                bootPropRank.putIfAbsent(p.name(), i++);
            }
        });
        props.sort(Comparator.comparingInt((FdtProperty p) -> rank(bootPropRank, p.name()))
                .thenComparing(p -> p.name().equals("name") ? 1 : 0)
                .thenComparing(FdtProperty::name));
        // setProperty inserts in front (libfdt order), so add in reverse to end up in order
        for (int i = props.size() - 1; i >= 0; i--) {
            to.setProperty(props.get(i).name(), props.get(i).value());
        }
        List<FdtNode> children = new ArrayList<>(from.children());
        Map<String, Integer> bootChildRank = new HashMap<>();
        boot.ifPresent(b -> {
            int i = 0;
            for (FdtNode c : b.children()) {
                bootChildRank.putIfAbsent(c.name(), i++);
            }
        });
        children.sort(Comparator.comparingInt((FdtNode c) -> rank(bootChildRank, c.name())).thenComparing(FdtNode::name));
        for (FdtNode c : children) {
            FdtNode copy = to.appendChild(c.name());
            copy(c, boot.flatMap(b -> b.child(c.name())), copy);
        }
    }

    private static int rank(Map<String, Integer> ranks, String name) {
        return ranks.getOrDefault(name, Integer.MAX_VALUE);
    }
}
