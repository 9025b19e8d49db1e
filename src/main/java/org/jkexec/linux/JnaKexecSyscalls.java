package org.jkexec.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.kexec.Segment;

/**
 * kexec_load(2) and kexec_file_load(2) through libc's {@code syscall(2)} via JNA. glibc has no
 * wrappers for either, hence the raw numbers from {@link LinuxArch}.
 *
 * <p>Created only by {@link KexecSyscalls#system()}; loading this class is what loads libc.
 */
final class JnaKexecSyscalls implements KexecSyscalls {

    /** The part of libc we call. Every argument of syscall() is passed as a 64-bit word. */
    interface LibC extends Library {
        long syscall(long number, Object... args) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int memfd_create(String name, int flags) throws LastErrorException;

        long write(int fd, Pointer buf, long count) throws LastErrorException;

        int getpagesize();

        void sync();

        int reboot(int howto) throws LastErrorException;
    }

    /** LINUX_REBOOT_CMD_KEXEC (include/uapi/linux/reboot.h); glibc's reboot() adds the magic numbers. */
    static final int LINUX_REBOOT_CMD_KEXEC = 0x45584543;

    // asm-generic/fcntl.h; powerpc and x86_64 use the generic values.
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private static JnaKexecSyscalls instance;

    private final LinuxArch arch;
    private final LibC libc;

    private JnaKexecSyscalls(LinuxArch arch, LibC libc) {
        this.arch = arch;
        this.libc = libc;
    }

    static synchronized KexecSyscalls forHost() {
        if (instance == null) {
            LinuxArch arch = LinuxArch.host()
                    .orElseThrow(() -> new JkexecException("kexec: no syscall numbers for os.arch "
                            + System.getProperty("os.arch") + " (jkexec knows ppc64le, ppc64 and x86_64)"));
            LibC libc;
            try {
                libc = Native.load("c", LibC.class);
            } catch (UnsatisfiedLinkError e) {
                throw new JkexecException("kexec: cannot load the C library through JNA: " + e.getMessage(), e);
            }
            instance = new JnaKexecSyscalls(arch, libc);
        }
        return instance;
    }

    @Override
    public int kexecLoad(long entry, List<Segment> segments, long flags) {
        try (KexecSegmentTable table = KexecSegmentTable.of(segments)) {
            return syscall(arch.kexecLoadNr(), entry, (long) table.count(), table.address(), flags);
        }
    }

    @Override
    public int kexecFileLoad(Path kernel, byte[] unpackedKernel, Optional<Path> initrd, String cmdline, long flags) {
        int kernelFd = -1;
        int initrdFd = -1;
        Memory cmd = null;
        try {
            if (kernel != null) {
                kernelFd = unpackedKernel != null ? memoryFile(kernel, unpackedKernel) : openReadOnly(kernel);
                if (initrd.isPresent()) {
                    initrdFd = openReadOnly(initrd.get());
                }
            }
            long cmdLen = 0;
            if (!cmdline.isEmpty()) {
                // The kernel wants the length including the terminating NUL and checks that byte.
                byte[] bytes = cmdline.getBytes(StandardCharsets.UTF_8);
                cmd = new Memory(bytes.length + 1L);
                cmd.write(0, bytes, 0, bytes.length);
                cmd.setByte(bytes.length, (byte) 0);
                cmdLen = bytes.length + 1L;
            }
            return syscall(arch.kexecFileLoadNr(), (long) kernelFd, (long) initrdFd, cmdLen, cmd, flags);
        } finally {
            closeQuietly(kernelFd);
            closeQuietly(initrdFd);
            if (cmd != null) {
                cmd.close();
            }
        }
    }

    @Override
    public long pageSize() {
        return libc.getpagesize();
    }

    @Override
    public void sync() {
        libc.sync();
    }

    @Override
    public int rebootIntoKexec() {
        try {
            libc.reboot(LINUX_REBOOT_CMD_KEXEC);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    private int syscall(long number, Object... args) {
        try {
            long r = libc.syscall(number, args);
            return r == -1 ? Native.getLastError() : 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    private int openReadOnly(Path file) {
        try {
            return libc.open(file.toString(), O_RDONLY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw JkexecException.badInput(file, "cannot open for kexec_file_load: " + Errno.name(e.getErrorCode()), e);
        }
    }

    /** MFD_CLOEXEC (include/uapi/linux/memfd.h). */
    private static final int MFD_CLOEXEC = 1;

    /** An anonymous memory file holding {@code bytes}: the kernel reads it from offset 0. */
    int memoryFile(Path kernel, byte[] bytes) {
        int fd;
        try {
            fd = libc.memfd_create("jkexec-kernel", MFD_CLOEXEC);
        } catch (LastErrorException e) {
            throw new JkexecException(
                    "memfd_create for the decompressed " + kernel + ": " + Errno.name(e.getErrorCode()), e);
        }
        try (Memory m = new Memory(Math.max(1, bytes.length))) {
            m.write(0, bytes, 0, bytes.length);
            long done = 0;
            while (done < bytes.length) {
                done += libc.write(fd, m.share(done), bytes.length - done);
            }
            return fd;
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw new JkexecException(
                    "writing the decompressed " + kernel + " to a memory file: " + Errno.name(e.getErrorCode()), e);
        }
    }

    private void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                libc.close(fd);
            } catch (LastErrorException ignored) {
                // Nothing useful to do; the descriptor is gone either way.
            }
        }
    }
}
