package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks the JNA mapping the kexec calls use (variadic syscall() with 64-bit words, errno
 * capture) with harmless system calls: getpid and close(-1). Never calls kexec.
 */
class JnaLibcPlumbingTest {

    private static long nr(long x8664, long ppc64) {
        LinuxArch arch = LinuxArch.host().orElse(null);
        Assumptions.assumeTrue(arch != null && System.getProperty("os.name").equals("Linux"), "Linux on a known arch");
        return arch == LinuxArch.X86_64 ? x8664 : ppc64;
    }

    @Test
    void variadicSyscallReturnsItsResult() {
        long getpid = nr(39, 20);
        JnaKexecSyscalls.LibC libc = Native.load("c", JnaKexecSyscalls.LibC.class);
        assertEquals(ProcessHandle.current().pid(), libc.syscall(getpid));
    }

    @Test
    void errnoComesBackAsLastErrorException() {
        long close = nr(3, 6);
        JnaKexecSyscalls.LibC libc = Native.load("c", JnaKexecSyscalls.LibC.class);
        LastErrorException e = assertThrows(LastErrorException.class, () -> libc.syscall(close, -1L));
        assertEquals(Errno.EBADF, e.getErrorCode());
    }

    /** The memory file a decompressed kernel reaches kexec_file_load through holds exactly its bytes. */
    @Test
    void aMemoryFileHoldsTheDecompressedKernel() throws Exception {
        nr(0, 0);
        byte[] bytes = new byte[(3 << 20) + 5];
        new java.util.Random(7).nextBytes(bytes);
        JnaKexecSyscalls sys = (JnaKexecSyscalls) JnaKexecSyscalls.forHost();
        int fd = sys.memoryFile(java.nio.file.Path.of("vmlinuz"), bytes);
        try {
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    bytes, java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/fd/" + fd)));
        } finally {
            Native.load("c", JnaKexecSyscalls.LibC.class).close(fd);
        }
    }
}
