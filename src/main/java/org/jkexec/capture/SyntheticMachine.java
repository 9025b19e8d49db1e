package org.jkexec.capture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.OutputFiles;
import org.jkexec.elf.ElfCoreHeader.NoteBuffer;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.fdt.FdtProperty;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Cells;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.ppc64.RamLayout;

/**
 * Makes PowerVM-like machines of any size for tests and benchmarks: memory@0 holding the
 * first LMB (the RMA), the rest as LMBs of /ibm,dynamic-reconfiguration-memory (v1 or v2),
 * SMT cores, RTAS, a crashkernel. Up to 64 TiB with 256 MiB LMBs (262,144 LMBs) and 1,920
 * CPUs: the largest Power machines.
 *
 * @param memory        RAM in bytes (a multiple of lmbSize)
 * @param lmbSize       LMB size
 * @param cpus          logical CPUs (threads)
 * @param threads       SMT threads per core
 * @param drconfVersion 1 (ibm,dynamic-memory) or 2 (ibm,dynamic-memory-v2)
 * @param crashSize     crashkernel size
 * @param unassignedEvery every n-th LMB is left unassigned (0: all assigned)
 * @param cmaSize       bytes of crashkernel=SIZE,cma, one area at the top of RAM (0: none)
 */
public record SyntheticMachine(
        long memory,
        long lmbSize,
        int cpus,
        int threads,
        int drconfVersion,
        long crashSize,
        int unassignedEvery,
        long cmaSize) {

    /** RTAS just below crashkernel, inside the real-mode area as firmware instantiates it. */
    public static final long RTAS_BASE = 0x7ff0000L;

    public static final long RTAS_SIZE = 0x10000L;

    public static SyntheticMachine largest(int drconfVersion) {
        return new SyntheticMachine(64L << 40, 256L << 20, 1920, 8, drconfVersion, 4L << 30, 0);
    }

    public SyntheticMachine {
        if (lmbSize <= 0 || Long.bitCount(lmbSize) != 1 || memory < 2 * lmbSize || memory % lmbSize != 0) {
            throw JkexecException.usage(
                    "synthetic machine: memory must be at least two LMBs and a multiple of the LMB size");
        }
        if (cpus < 1 || threads < 1 || cpus % threads != 0) {
            throw JkexecException.usage("synthetic machine: CPUs must be a positive multiple of the SMT threads");
        }
        if (drconfVersion != 1 && drconfVersion != 2) {
            throw JkexecException.usage("synthetic machine: drconf version is 1 or 2");
        }
        if (cmaSize < 0
                || cmaSize % (64L << 10) != 0
                || (cmaSize > 0 && Long.compareUnsigned(memory - cmaSize, 128L * (1 << 20) + crashSize) < 0)) {
            throw JkexecException.usage(
                    "synthetic machine: the CMA area is a multiple of 64 KiB that fits in RAM above crashkernel");
        }
    }

    /** A machine without a crashkernel=SIZE,cma area. */
    public SyntheticMachine(
            long memory, long lmbSize, int cpus, int threads, int drconfVersion, long crashSize, int unassignedEvery) {
        this(memory, lmbSize, cpus, threads, drconfVersion, crashSize, unassignedEvery, 0);
    }

    public int lmbCount() {
        return (int) (memory / lmbSize);
    }

    /** crashkernel at 128 MiB, where ppc64 puts it by default (inside the RMA, so the kdump kernel can boot). */
    public MemRange crashkernel() {
        return MemRange.ofSize(128L << 20, crashSize);
    }

    /** The crashkernel=SIZE,cma area: the top {@code cmaSize} bytes of RAM, or none. */
    public List<MemRange> cmaAreas() {
        return cmaSize == 0 ? List.of() : List.of(MemRange.ofSize(memory - cmaSize, cmaSize));
    }

    /** The command line: crashkernel=SIZE, and the CMA word when there is an area. */
    String cmdline() {
        String cma = cmaSize % (1 << 20) == 0 ? (cmaSize >> 20) + "M" : (cmaSize >> 10) + "K";
        return "crashkernel=" + (crashSize >> 20) + "M" + (cmaSize == 0 ? "" : " crashkernel=" + cma + ",cma");
    }

    public Fdt tree() {
        Fdt t = Fdt.empty();
        FdtNode root = t.root();
        // built in reverse: setProperty/addChild insert in front, as libfdt does
        root.setProperty("#size-cells", Cells.encode(1, 2));
        root.setProperty("#address-cells", Cells.encode(1, 2));
        root.setString("model", "IBM,9080-HEX (synthetic)");
        root.setString("compatible", "IBM,9080-HEX");
        root.setString("device_type", "chrp");

        FdtNode drconf = root.addChild("ibm,dynamic-reconfiguration-memory");
        drconf.setProperty("ibm,associativity-lookup-arrays", Cells.encode(1, 2, 4, 0, 0, 0, 1, 0, 0, 0, 1));
        drconf.setProperty(drconfVersion == 1 ? "ibm,dynamic-memory" : "ibm,dynamic-memory-v2", dynamicMemory());
        drconf.setProperty("ibm,lmb-size", Cells.encode(2, lmbSize));

        FdtNode mem = root.addChild("memory@0");
        mem.setProperty("ibm,associativity", Cells.encode(1, 4, 0, 0, 0, 0));
        mem.setProperty("reg", Cells.encode(2, 0, lmbSize));
        mem.setString("device_type", "memory");

        FdtNode rtas = root.addChild("rtas");
        rtas.setProperty("ibm,lrdr-capacity", Cells.encode(2, memory));
        rtas.setString("ibm,hypertas-functions", "hcall-pft");
        rtas.setProperty("rtas-size", Cells.encode(1, RTAS_SIZE));
        rtas.setProperty("linux,rtas-base", Cells.encode(1, RTAS_BASE));

        FdtNode cpusNode = root.addChild("cpus");
        for (int core = cpus / threads - 1; core >= 0; core--) {
            FdtNode c = cpusNode.addChild("PowerPC,POWER10@" + Integer.toHexString(core * threads));
            long[] servers = new long[threads];
            for (int i = 0; i < threads; i++) {
                servers[i] = (long) core * threads + i;
            }
            c.setProperty("ibm,ppc-interrupt-server#s", Cells.encode(1, servers));
            c.setProperty("reg", Cells.encode(1, (long) core * threads));
            c.setString("device_type", "cpu");
        }
        cpusNode.setProperty("#size-cells", Cells.encode(1, 0));
        cpusNode.setProperty("#address-cells", Cells.encode(1, 1));

        FdtNode chosen = root.addChild("chosen");
        MemRange ck = crashkernel();
        chosen.setString("bootargs", cmdline());
        chosen.setProperty("linux,kernel-end", Cells.encode(2, 0x3000000L));
        chosen.setProperty("linux,crashkernel-size", Cells.encode(2, ck.size()));
        chosen.setProperty("linux,crashkernel-base", Cells.encode(2, ck.start()));
        return t;
    }

    private byte[] dynamicMemory() {
        int n = lmbCount();
        if (drconfVersion == 1) {
            byte[] v = new byte[4 + n * 24];
            Cells.putU32(v, 0, n);
            for (int i = 0; i < n; i++) {
                int o = 4 + i * 24;
                Cells.putU64(v, o, i * lmbSize);
                Cells.putU32(v, o + 8, 0x80000000L + i);
                Cells.putU32(v, o + 16, 0);
                Cells.putU32(v, o + 20, flags(i));
            }
            return v;
        }
        // v2: one set per run of LMBs with equal flags
        List<long[]> sets = new ArrayList<>();
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && flags(j) == flags(i)) {
                j++;
            }
            sets.add(new long[] {j - i, i * lmbSize, 0x80000000L + i, 0, flags(i)});
            i = j;
        }
        byte[] v = new byte[4 + sets.size() * 24];
        Cells.putU32(v, 0, sets.size());
        int o = 4;
        for (long[] s : sets) {
            Cells.putU32(v, o, s[0]);
            Cells.putU64(v, o + 4, s[1]);
            Cells.putU32(v, o + 12, s[2]);
            Cells.putU32(v, o + 16, s[3]);
            Cells.putU32(v, o + 20, s[4]);
            o += 24;
        }
        return v;
    }

    private int flags(int lmb) {
        boolean unassigned = unassignedEvery > 0 && lmb > 0 && lmb % unassignedEvery == 0;
        return unassigned ? 0 : 0x8;
    }

    /** The machine as the planner sees it (the live tree equals the boot FDT: nothing hot-plugged). */
    public Ppc64Machine machine() {
        Fdt t = tree();
        byte[] blob = t.toBlob();
        List<MemRange> ram = RamLayout.fromTree(t);
        List<NoteBuffer> notes = new ArrayList<>(cpus);
        for (int i = 0; i < cpus; i++) {
            // per-CPU areas just above the vmcoreinfo note, below crashkernel: in RAM on every size
            notes.add(new NoteBuffer(0x4010000L + i * 0x1000L, 536));
        }
        return new Ppc64Machine(
                "synthetic " + describe(),
                Fdt.parse(blob, "synthetic fdt"),
                blob.length,
                t,
                ram,
                crashkernel(),
                0x3000000L,
                cmdline(),
                notes,
                new NoteBuffer(0x4000000L, 0x1024),
                65536,
                -1L,
                OptionalLong.empty(),
                true,
                threads,
                cmaAreas());
    }

    public String describe() {
        return String.format(
                "%d GiB, %d LMBs of %d MiB (drconf v%d), %d CPUs",
                memory >> 30, lmbCount(), lmbSize >> 20, drconfVersion, cpus);
    }

    /**
     * Writes the machine as a capture directory (what `jkexec plan DIR` reads): a new or empty
     * directory, written whole or not at all ({@link OutputFiles}).
     */
    public void writeCapture(Path dir) {
        writeCapture(dir, false);
    }

    /**
     * As {@link #writeCapture(Path)}; with {@code liveTree} also the tree unpacked as
     * proc/device-tree, as the running kernel shows it (the boot FDT's nodes and properties,
     * and a "name" property in every node but the root), so that a load of it reads the tree
     * as a load on the running machine does: what the package's class-data archive is trained on.
     */
    public void writeCapture(Path dir, boolean liveTree) {
        Ppc64Machine m = machine();
        try (OutputFiles w = OutputFiles.newDirectory(dir, "synth DIR")) {
            w.write("sys/firmware/fdt", m.bootFdt().toBlob(), OutputFiles.READABLE);
            if (liveTree) {
                writeTree(w, "proc/device-tree", m.bootFdt().root());
            }
            text(w, "proc/cmdline", m.cmdline() + "\n");
            StringBuilder iomem = new StringBuilder();
            for (MemRange r : m.systemRam()) {
                iomem.append(String.format("%08x-%08x : System RAM%n", r.start(), r.end()));
            }
            text(w, "proc/iomem", iomem.toString());
            String cpu = "sys/devices/system/cpu/";
            text(w, cpu + "possible", "0-" + (cpus - 1) + "\n");
            for (int i = 0; i < cpus; i++) {
                text(
                        w,
                        cpu + "cpu" + i + "/crash_notes",
                        Long.toHexString(m.crashNotes().get(i).address()) + "\n");
                text(w, cpu + "cpu" + i + "/crash_notes_size", "536\n");
            }
            text(w, "sys/kernel/vmcoreinfo", "4000000 1024\n");
            text(w, "sys/kernel/kexec_crash_size", crashSize + "\n");
            if (cmaSize != 0) {
                StringBuilder cma = new StringBuilder();
                for (MemRange a : cmaAreas()) {
                    cma.append(String.format("%08x-%08x%n", a.start(), a.end()));
                }
                text(w, "sys/kernel/kexec_crash_cma_ranges", cma.toString());
            }
            text(
                    w,
                    "jkexec/facts",
                    "# synthetic: " + describe() + "\npage-size=65536\nmmu=radix\n" + "kernel-end=0x3000000\n");
            w.commit();
        }
    }

    private static void writeTree(OutputFiles w, String dir, FdtNode node) {
        for (FdtProperty p : node.properties()) {
            w.write(dir + "/" + p.name(), p.value(), OutputFiles.READABLE);
        }
        if (node.parent().isPresent() && !node.hasProperty("name")) {
            // the kernel gives every node its name without the unit address
            String name = node.name().split("@", 2)[0];
            w.write(dir + "/name", (name + "\0").getBytes(StandardCharsets.ISO_8859_1), OutputFiles.READABLE);
        }
        for (FdtNode c : node.children()) {
            writeTree(w, dir + "/" + c.name(), c);
        }
    }

    private static void text(OutputFiles w, String name, String text) {
        w.write(name, text.getBytes(StandardCharsets.UTF_8), OutputFiles.READABLE);
    }
}
