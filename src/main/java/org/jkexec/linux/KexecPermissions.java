package org.jkexec.linux;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What decides whether the kernel lets this process load a kexec image (kernel/kexec.c
 * {@code kexec_load_check}, kernel/kexec_core.c {@code kexec_load_permitted}). Empty = unknown.
 *
 * @param capSysBoot           CAP_SYS_BOOT in /proc/self/status CapEff (what "root" means here)
 * @param lockdown             the active mode in /sys/kernel/security/lockdown ("none", "integrity",
 *                             "confidentiality"); any mode but "none" blocks kexec_load
 * @param kexecLoadDisabled    /proc/sys/kernel/kexec_load_disabled (one-way switch until reboot)
 * @param kexecLoadLimitPanic  /proc/sys/kernel/kexec_load_limit_panic (-1 unlimited, else loads left)
 */
public record KexecPermissions(
        Optional<Boolean> capSysBoot,
        Optional<String> lockdown,
        Optional<Boolean> kexecLoadDisabled,
        OptionalLong kexecLoadLimitPanic) {

    /** All unknown: nothing is refused up front and messages fall back to the generic advice. */
    public static KexecPermissions unknown() {
        return new KexecPermissions(Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty());
    }

    public boolean lockedDown() {
        return lockdown.isPresent() && !lockdown.get().equals("none");
    }
}
