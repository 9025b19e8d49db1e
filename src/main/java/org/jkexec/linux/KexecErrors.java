package org.jkexec.linux;

import static org.jkexec.units.Hex.hex;

import java.nio.file.Path;
import org.jkexec.JkexecException;

/**
 * Turns a kexec errno into a one-line message saying what went wrong and what to do. The causes
 * listed per errno are the ones the kernel has (kernel/kexec.c, kernel/kexec_core.c,
 * kernel/kexec_file.c, arch/powerpc/kexec/core_64.c machine_kexec_prepare).
 */
final class KexecErrors {

    /** What the messages may mention; every part is optional information. */
    record Context(KexecPermissions permissions, KexecStatus status, long pageSize) {}

    private KexecErrors() {}

    static JkexecException kexecLoad(int errno, Context c) {
        String what = "kexec_load failed with " + Errno.name(errno) + ": ";
        return new JkexecException(what
                + switch (errno) {
                    case Errno.EPERM, Errno.EACCES -> notPermitted(c.permissions(), true);
                    case Errno.EBUSY -> busy();
                    case Errno.EINVAL ->
                        "the kernel rejected the request: segments overlap, a buffer is larger than"
                                + " its memsz, more than 16 segments, the segments need more than half of RAM, or the"
                                + " architecture flag does not match this kernel";
                    case Errno.EADDRNOTAVAIL ->
                        "a segment or the entry point lies outside the crashkernel region" + region(c)
                                + ", or is not aligned to the " + hex(c.pageSize()) + " page size";
                    case Errno.ENOMEM ->
                        "no room for the kernel's control page in the crashkernel region" + region(c)
                                + " or the kernel is out of memory; reserve a larger crashkernel=";
                    case Errno.ETXTBSY -> "a segment overlaps the running kernel or a TCE table";
                    case Errno.ENOSYS ->
                        "this kernel was built without CONFIG_KEXEC (kexec_load);"
                                + " try kexec_file_load if it has CONFIG_KEXEC_FILE";
                    case Errno.EFAULT -> "the kernel could not read a segment buffer (a jkexec bug)";
                    default -> "unexpected error";
                });
    }

    static JkexecException kexecFileLoad(int errno, Path kernel, Context c) {
        String what = "kexec_file_load of " + kernel + " failed with " + Errno.name(errno) + ": ";
        return new JkexecException(what
                + switch (errno) {
                    case Errno.EPERM, Errno.EACCES ->
                        notPermitted(c.permissions(), false)
                                + "; with lockdown or CONFIG_KEXEC_SIG_FORCE the kernel must be signed with a trusted key";
                    case Errno.EKEYREJECTED, Errno.ENOKEY, Errno.EBADMSG ->
                        "signature check failed; the kernel image"
                                + " must carry a signature from a key in the kernel's keyring";
                    case Errno.ENOEXEC ->
                        "the running kernel does not recognise the file as a kernel it can load"
                                + " (ppc64 wants an uncompressed ELF vmlinux)";
                    case Errno.EBUSY -> busy();
                    case Errno.EINVAL -> "invalid flags, an empty file, or a command line the kernel refused";
                    case Errno.EADDRNOTAVAIL ->
                        "no hole for the segments in the crashkernel region" + region(c)
                                + "; reserve a larger crashkernel=";
                    case Errno.ENOMEM -> "out of memory, or the crashkernel region" + region(c) + " is too small";
                    case Errno.ENOSYS ->
                        "this kernel was built without CONFIG_KEXEC_FILE (kexec_file_load);"
                                + " use the classic kexec_load path";
                    default -> "unexpected error";
                });
    }

    static JkexecException unload(String call, int errno, Context c) {
        String what = call + " (unload crash kernel) failed with " + Errno.name(errno) + ": ";
        return new JkexecException(what
                + switch (errno) {
                    case Errno.EPERM, Errno.EACCES -> notPermitted(c.permissions(), call.equals("kexec_load"));
                    case Errno.EBUSY -> busy();
                    case Errno.ENOSYS ->
                        "this kernel has no " + call + " (CONFIG_KEXEC" + (call.equals("kexec_load") ? "" : "_FILE")
                                + " is off)";
                    default -> "unexpected error";
                });
    }

    /** The reasons kexec_load_check / kexec_load_permitted refuse, most specific first. */
    private static String notPermitted(KexecPermissions p, boolean classicLoad) {
        if (p.capSysBoot().isPresent() && !p.capSysBoot().get()) {
            return "this process lacks CAP_SYS_BOOT; run jkexec as root";
        }
        if (p.kexecLoadDisabled().orElse(false)) {
            return "/proc/sys/kernel/kexec_load_disabled is 1 (kexec stays disabled until reboot)";
        }
        if (p.kexecLoadLimitPanic().isPresent() && p.kexecLoadLimitPanic().getAsLong() == 0) {
            return "/proc/sys/kernel/kexec_load_limit_panic is 0 (no crash loads left until reboot)";
        }
        if (classicLoad && p.lockedDown()) {
            return "kernel lockdown is '" + p.lockdown().get() + "' (/sys/kernel/security/lockdown), which"
                    + " forbids kexec_load; use kexec_file_load with a signed kernel";
        }
        return "not root, kernel lockdown (check /sys/kernel/security/lockdown), /proc/sys/kernel/kexec_load_disabled,"
                + " or a security module (SELinux, AppArmor, IMA policy; see the audit log)";
    }

    private static String busy() {
        return "another kexec load, unload or reboot holds the kexec lock; retry when it has finished";
    }

    private static String region(Context c) {
        return c.status().crashRegion().map(r -> " " + r).orElse("");
    }
}
