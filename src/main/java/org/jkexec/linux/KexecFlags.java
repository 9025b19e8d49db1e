package org.jkexec.linux;

/**
 * Flag values of kexec_load(2) and kexec_file_load(2), from include/uapi/linux/kexec.h.
 *
 * <p>kexec_load's flags carry the image architecture in the top 16 bits ({@link #KEXEC_ARCH_MASK});
 * the kernel accepts its own architecture or {@link #KEXEC_ARCH_DEFAULT} and refuses any other
 * with EINVAL. kexec_file_load has no architecture bits.
 */
public final class KexecFlags {
    // kexec_load
    public static final long KEXEC_ON_CRASH = 0x1;
    public static final long KEXEC_PRESERVE_CONTEXT = 0x2;
    /**
     * The loaded kdump image leaves room to grow (an unpacked FDT, ELF core header slack): a
     * kernel with CONFIG_CRASH_HOTPLUG (ppc64: 6.10 and later) then updates the image in place
     * when CPUs or memory come and go, instead of leaving the dump without them until a reload.
     */
    public static final long KEXEC_CRASH_HOTPLUG_SUPPORT = 0x8;

    public static final long KEXEC_ARCH_MASK = 0xffff_0000L;
    public static final long KEXEC_ARCH_DEFAULT = 0L << 16;
    public static final long KEXEC_ARCH_X86_64 = 62L << 16;
    public static final long KEXEC_ARCH_PPC64 = 21L << 16;

    // kexec_file_load
    public static final long KEXEC_FILE_UNLOAD = 0x1;
    public static final long KEXEC_FILE_ON_CRASH = 0x2;
    public static final long KEXEC_FILE_NO_INITRAMFS = 0x4;
    /** The kernel prints what it placed where (Linux 6.8 and later; older kernels answer EINVAL). */
    public static final long KEXEC_FILE_DEBUG = 0x8;

    private KexecFlags() {}
}
