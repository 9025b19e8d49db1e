package org.jkexec.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkexec.testutil.Reference;
import org.jkexec.testutil.Trees;

/** The bundled pseries capture copied into a directory, to change its /sys and /proc files for a test. */
final class CaptureCopy {
    private CaptureCopy() {}

    static void copy(Path root) throws IOException {
        Trees.copy(Reference.capture(Reference.MACHINE), root);
    }

    /** crashkernel 256M@1G: the kernel's own placement leaves the kdump kernel no low memory to boot in. */
    static void crashkernelAt1GiB(Path root) throws IOException {
        Files.write(
                root.resolve("proc/device-tree/chosen/linux,crashkernel-base"),
                ByteBuffer.allocate(8).putLong(0x4000_0000L).array());
        Files.write(
                root.resolve("proc/device-tree/chosen/linux,crashkernel-size"),
                ByteBuffer.allocate(8).putLong(0x1000_0000L).array());
        Files.writeString(root.resolve("sys/kernel/kexec_crash_size"), "268435456\n");
    }
}
