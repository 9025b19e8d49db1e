package org.jkexec.ppc64;

import java.util.Optional;
import org.jkexec.kexec.BootProblem;
import org.jkexec.memory.MemRange;
import org.jkexec.units.ByteSize;

/**
 * KVM's contiguous area in a bare-metal kdump kernel (docs/ppc64-kdump.md#kvms-area-on-bare-metal).
 *
 * <p>A distribution kernel running on bare metal (powernv) with KVM's hypervisor mode built in
 * sets aside {@code kvm_cma_resv_ratio} percent (5 by default) of the memory it sees as a
 * contiguous area, usable only by movable allocations. The kdump kernel sees memory from 0 to
 * crashkernel's end (its usable memory starts at 0), so the area grows with where crashkernel
 * lies, not with its size, and the kernel's own unmovable allocations get what is left.
 * Measured on powernv9: crashkernel=512M@2G (an area of 128 MiB, a quarter) dumps;
 * crashkernel=512M@4G (240 MiB, 47%) loads and its kdump kernel dies early in its initcalls,
 * "System is deadlocked on memory", with 18 MiB free outside the area; with
 * {@code kvm_cma_resv_ratio=0} on its command line the same crashkernel dumps completely.
 *
 * <p>jkexec's rule, between the two measurements: a kdump kernel that would give the area more
 * than a third of crashkernel gets {@code kvm_cma_resv_ratio=0} at the end of its command line
 * (it runs no KVM guests; a kernel built without KVM passes the word on to its init, unused).
 * Where the command line already names a ratio, or the kernel's placement is asked for, such a
 * plan is never loaded, and the refusal names the word and a crashkernel= of the same size low
 * enough.
 */
public final class KvmArea {
    /** The kernel's default kvm_cma_resv_ratio. */
    static final long DEFAULT_PERCENT = 5;

    private static final long ALIGN = 16L << 20;

    /** The kernel's parameter, as a command-line word begins. */
    private static final String RATIO = "kvm_cma_resv_ratio=";

    private KvmArea() {}

    /** The percentage the kdump kernel will reserve: its command line's last kvm_cma_resv_ratio=, else 5. */
    static long percent(String kdumpCmdline) {
        String given = lastRatio(kdumpCmdline);
        long p;
        try {
            p = given == null ? DEFAULT_PERCENT : Long.parseLong(given);
        } catch (NumberFormatException e) {
            p = DEFAULT_PERCENT; // kstrtoul fails and the kernel keeps its default
        }
        // more than all memory cannot be set aside: the kernel's reservation fails and leaves none
        return p < 0 ? DEFAULT_PERCENT : p > 100 ? 0 : p;
    }

    /** Whether the kdump kernel's command line names a ratio itself. */
    static boolean ratioGiven(String kdumpCmdline) {
        return lastRatio(kdumpCmdline) != null;
    }

    /** The value of the command line's last kvm_cma_resv_ratio= word (the one the kernel keeps), or null. */
    private static String lastRatio(String kdumpCmdline) {
        String value = null;
        for (String w : kdumpCmdline.trim().split("\\s+")) {
            if (w.startsWith(RATIO)) {
                value = w.substring(RATIO.length());
            }
        }
        return value;
    }

    /** The command line with the area turned off. */
    static String turnedOff(String kdumpCmdline) {
        String c = kdumpCmdline.strip();
        return c.isEmpty() ? RATIO + "0" : c + " " + RATIO + "0";
    }

    /** The plan's note when jkexec turned the area off. */
    static String turnedOffNote(Ppc64Machine m) {
        MemRange ck = m.crashkernel();
        return "kvm_cma_resv_ratio=0 added to the kdump kernel's command line: on bare metal it would set aside "
                + ByteSize.text(bytes(ck.end(), DEFAULT_PERCENT)) + " below crashkernel's end for KVM, more than a "
                + "third of crashkernel, and run out of memory in early boot (--placement kernel refuses instead)";
    }

    /** The area's size in a kdump kernel that sees memory up to {@code end} (inclusive). */
    static long bytes(long end, long percent) {
        return CrashkernelEstimate.kvmCma(end + 1, percent);
    }

    /** Why the area leaves the kdump kernel too little, or empty; only on bare metal. */
    static Optional<BootProblem> problem(Ppc64Machine m, String kdumpCmdline) {
        if (m.lpar()) {
            return Optional.empty();
        }
        MemRange ck = m.crashkernel();
        long percent = percent(kdumpCmdline);
        long area = bytes(ck.end(), percent);
        if (Long.compareUnsigned(Math.multiplyExact(3, area), ck.size()) <= 0) {
            return Optional.empty();
        }
        String unmet = "crashkernel " + ck + " ends at " + ((ck.end() + 1) >>> 20) + " MiB, and a kdump kernel on "
                + "bare metal sets aside " + percent + "% of the memory below that for KVM (kvm_cma_resv_ratio): "
                + ByteSize.text(area) + ", more than a third of crashkernel, which its own allocations cannot use, "
                + "and it would run out of memory in early boot; add kvm_cma_resv_ratio=0 to the kdump kernel's command "
                + "line";
        return Optional.of(BootProblem.inEveryPlacement(unmet, suggestion(m, percent)));
    }

    /** The same size at the highest 16 MiB aligned base that keeps the area within a third, above the running kernel. */
    static Optional<String> suggestion(Ppc64Machine m, long percent) {
        long size = m.crashkernel().size();
        long lowest = LowMemory.roundUp(m.kernelEnd(), ALIGN);
        long base = m.crashkernel().start() & -ALIGN;
        while (Long.compareUnsigned(base, lowest) >= 0 && base >= ALIGN) {
            base -= ALIGN;
            if (3 * bytes(base + size - 1, percent) <= size && base >= lowest) {
                return Optional.of("crashkernel=" + (size >>> 20) + "M@" + (base >>> 20) + "M");
            }
        }
        return Optional.empty();
    }
}
