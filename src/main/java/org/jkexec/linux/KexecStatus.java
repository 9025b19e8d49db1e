package org.jkexec.linux;

import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.capture.CrashKernelRegion;

/**
 * What the running kernel says about kexec, each value empty when its file is missing or
 * unreadable (kernels without CONFIG_CRASH_DUMP have no kexec_crash_* files).
 *
 * @param crashLoaded  /sys/kernel/kexec_crash_loaded: a kdump kernel is loaded
 * @param kexecLoaded  /sys/kernel/kexec_loaded: a kernel for a regular kexec reboot is loaded
 * @param crashSize    /sys/kernel/kexec_crash_size: bytes reserved by crashkernel= (0 = none)
 * @param crashRegion  the reserved region: /proc/iomem "Crash kernel" (real addresses only for
 *                     root), else /proc/device-tree/chosen/linux,crashkernel-base with the size above
 */
public record KexecStatus(
        Optional<Boolean> crashLoaded,
        Optional<Boolean> kexecLoaded,
        OptionalLong crashSize,
        Optional<CrashKernelRegion> crashRegion) {}
