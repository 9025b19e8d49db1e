package org.jkexec.linux;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jkexec.kexec.Segment;

/**
 * The raw kexec system calls. Implementations do no checking and no translation: they return 0
 * or the errno, and {@link KexecLoader} does the rest. Tests use a fake that records calls; the
 * real one ({@link #system()}) goes through JNA and is only created when first asked for, so code
 * that never loads anything never touches libc.
 */
public interface KexecSyscalls {

    /**
     * kexec_load(2): {@code segments} become a native {@code struct kexec_segment} array.
     *
     * @return 0 on success, else errno
     */
    int kexecLoad(long entry, List<Segment> segments, long flags);

    /**
     * kexec_file_load(2) with the files opened read-only. For an unload pass
     * {@code kernel = null}: both descriptors are then -1 and the command line empty.
     *
     * @param unpackedKernel null: the kernel file itself; else the decompressed kernel, which
     *                       the kernel reads from an anonymous memory file (memfd), as
     *                       kexec-tools hands it a compressed vmlinux
     * @return 0 on success, else errno
     * @throws org.jkexec.JkexecException when a file cannot be opened
     */
    int kexecFileLoad(Path kernel, byte[] unpackedKernel, Optional<Path> initrd, String cmdline, long flags);

    /** The running kernel's page size (kexec_load needs page-aligned segments). */
    long pageSize();

    /** sync(2): flush file systems before rebooting into a loaded kernel. */
    void sync();

    /**
     * reboot(2) with LINUX_REBOOT_CMD_KEXEC: jump into the loaded regular image. Returns only
     * on failure.
     *
     * @return the errno
     */
    int rebootIntoKexec();

    /** The JNA implementation for this machine, created on first use. */
    static KexecSyscalls system() {
        return JnaKexecSyscalls.forHost();
    }
}
