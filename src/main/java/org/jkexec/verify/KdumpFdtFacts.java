package org.jkexec.verify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.ppc64.Region;

/**
 * What the checks need from the FDT a kdump kernel booted with ({@code /sys/firmware/fdt}),
 * as plain values. Property values the kernel decodes itself are kept raw so the checks
 * decode them exactly as the kdump kernel does (root cells). Made by {@link KdumpFdtReader},
 * or directly in tests.
 *
 * @param source             where the FDT came from (for messages)
 * @param totalSize          header totalsize of the blob
 * @param rootAddressCells   the root's #address-cells (the kdump kernel reads usable-memory with it)
 * @param rootSizeCells      the root's #size-cells
 * @param reserveMap         the memory reserve map, in order
 * @param bootargs           /chosen/bootargs
 * @param elfcorehdr         /chosen/linux,elfcorehdr (address, size)
 * @param usableMemoryRange  /chosen/linux,usable-memory-range entries (address, size); empty if absent
 * @param initrdStart        /chosen/linux,initrd-start
 * @param initrdEnd          /chosen/linux,initrd-end (exclusive)
 * @param memoryNodes        every node with device_type "memory", in tree order
 * @param drconf             /ibm,dynamic-reconfiguration-memory, if present
 * @param firmware           RTAS, OPAL, TCE and reserved-ranges regions described in this FDT
 * @param cpuThreads         hardware threads of the cpu nodes (ibm,ppc-interrupt-server#s entries)
 */
public record KdumpFdtFacts(
        String source,
        long totalSize,
        int rootAddressCells,
        int rootSizeCells,
        List<ReserveEntry> reserveMap,
        Optional<String> bootargs,
        Optional<ReserveEntry> elfcorehdr,
        List<ReserveEntry> usableMemoryRange,
        OptionalLong initrdStart,
        OptionalLong initrdEnd,
        List<MemoryNode> memoryNodes,
        Optional<Drconf> drconf,
        List<Region> firmware,
        int cpuThreads) {

    public KdumpFdtFacts {
        Objects.requireNonNull(source);
        reserveMap = List.copyOf(reserveMap);
        usableMemoryRange = List.copyOf(usableMemoryRange);
        memoryNodes = List.copyOf(memoryNodes);
        firmware = List.copyOf(firmware);
    }

    /**
     * A memory@ node.
     *
     * @param path         full path
     * @param reg          its reg as (address, size) pairs, decoded with its parent's cells
     * @param usableMemory raw linux,usable-memory value, empty when the node has none
     */
    public record MemoryNode(String path, List<ReserveEntry> reg, Optional<byte[]> usableMemory) {
        public MemoryNode {
            reg = List.copyOf(reg);
        }
    }

    /**
     * The LMBs of /ibm,dynamic-reconfiguration-memory in walk order and the raw
     * linux,drconf-usable-memory value.
     */
    public record Drconf(long lmbSize, long[] base, int[] flags, Optional<byte[]> usableMemory) {
        static final int ASSIGNED = 0x8;
        static final int RESERVED = 0x80;

        public int count() {
            return base.length;
        }

        /** The kdump kernel adds (and reads usable ranges for) only assigned, not reserved LMBs. */
        public boolean isUsable(int i) {
            return (flags[i] & ASSIGNED) != 0 && (flags[i] & RESERVED) == 0;
        }
    }

    /** Copy with another reserve map (for tests and for corrupt variants). */
    public KdumpFdtFacts withReserveMap(List<ReserveEntry> map) {
        return new KdumpFdtFacts(
                source,
                totalSize,
                rootAddressCells,
                rootSizeCells,
                map,
                bootargs,
                elfcorehdr,
                usableMemoryRange,
                initrdStart,
                initrdEnd,
                memoryNodes,
                drconf,
                firmware,
                cpuThreads);
    }

    public KdumpFdtFacts withMemoryNodes(List<MemoryNode> nodes) {
        return new KdumpFdtFacts(
                source,
                totalSize,
                rootAddressCells,
                rootSizeCells,
                reserveMap,
                bootargs,
                elfcorehdr,
                usableMemoryRange,
                initrdStart,
                initrdEnd,
                nodes,
                drconf,
                firmware,
                cpuThreads);
    }

    public KdumpFdtFacts withChosen(Optional<String> newBootargs, Optional<ReserveEntry> newElfcorehdr) {
        return new KdumpFdtFacts(
                source,
                totalSize,
                rootAddressCells,
                rootSizeCells,
                reserveMap,
                newBootargs,
                newElfcorehdr,
                usableMemoryRange,
                initrdStart,
                initrdEnd,
                memoryNodes,
                drconf,
                firmware,
                cpuThreads);
    }

    public KdumpFdtFacts withDrconf(Optional<Drconf> d) {
        return new KdumpFdtFacts(
                source,
                totalSize,
                rootAddressCells,
                rootSizeCells,
                reserveMap,
                bootargs,
                elfcorehdr,
                usableMemoryRange,
                initrdStart,
                initrdEnd,
                memoryNodes,
                d,
                firmware,
                cpuThreads);
    }
}
