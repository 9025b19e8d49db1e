package org.jkexec.linux;

import java.util.Locale;
import java.util.Optional;

/**
 * The host architectures whose kexec syscalls we know, with their syscall numbers
 * (arch/powerpc/kernel/syscalls/syscall.tbl, arch/x86/entry/syscalls/syscall_64.tbl) and their
 * kexec_load architecture flag.
 */
public enum LinuxArch {
    PPC64LE(268, 382, KexecFlags.KEXEC_ARCH_PPC64),
    PPC64(268, 382, KexecFlags.KEXEC_ARCH_PPC64),
    X86_64(246, 320, KexecFlags.KEXEC_ARCH_X86_64);

    private final long kexecLoadNr;
    private final long kexecFileLoadNr;
    private final long kexecArchFlag;

    LinuxArch(long kexecLoadNr, long kexecFileLoadNr, long kexecArchFlag) {
        this.kexecLoadNr = kexecLoadNr;
        this.kexecFileLoadNr = kexecFileLoadNr;
        this.kexecArchFlag = kexecArchFlag;
    }

    public long kexecLoadNr() {
        return kexecLoadNr;
    }

    public long kexecFileLoadNr() {
        return kexecFileLoadNr;
    }

    /** The KEXEC_ARCH_* value for kexec_load's flags on this host. */
    public long kexecArchFlag() {
        return kexecArchFlag;
    }

    /** Maps a Java {@code os.arch} value ("ppc64le", "ppc64", "amd64", "x86_64"). */
    public static Optional<LinuxArch> fromOsArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "ppc64le" -> Optional.of(PPC64LE);
            case "ppc64" -> Optional.of(PPC64);
            case "amd64", "x86_64" -> Optional.of(X86_64);
            default -> Optional.empty();
        };
    }

    /** This JVM's architecture, if we know its syscalls. */
    public static Optional<LinuxArch> host() {
        return fromOsArch(System.getProperty("os.arch", ""));
    }
}
