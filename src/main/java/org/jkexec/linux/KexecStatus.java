package org.jkexec.linux;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.capture.CrashKernelRegion;
import org.jkexec.memory.MemRange;

/**
 * What the running kernel says about kexec, each value empty when its file is missing or
 * unreadable (kernels without CONFIG_CRASH_DUMP have no kexec_crash_* files).
 *
 * @param crashLoaded  /sys/kernel/kexec_crash_loaded: a kdump kernel is loaded
 * @param kexecLoaded  /sys/kernel/kexec_loaded: a kernel for a regular kexec reboot is loaded
 * @param crashSize    /sys/kernel/kexec_crash_size: bytes reserved by crashkernel= (0 = none)
 * @param crashRegion  the reserved region: /proc/iomem "Crash kernel" (real addresses only for
 *                     root), else /proc/device-tree/chosen/linux,crashkernel-base with the size above
 * @param crashCma     the crashkernel=SIZE,cma areas of /sys/kernel/kexec_crash_cma_ranges (empty: none)
 */
public record KexecStatus(
        Optional<Boolean> crashLoaded,
        Optional<Boolean> kexecLoaded,
        OptionalLong crashSize,
        Optional<CrashKernelRegion> crashRegion,
        List<MemRange> crashCma) {

    public KexecStatus {
        crashCma = List.copyOf(crashCma);
    }

    /** The status of a kernel without crashkernel=SIZE,cma areas. */
    public KexecStatus(
            Optional<Boolean> crashLoaded,
            Optional<Boolean> kexecLoaded,
            OptionalLong crashSize,
            Optional<CrashKernelRegion> crashRegion) {
        this(crashLoaded, kexecLoaded, crashSize, crashRegion, List.of());
    }
}
