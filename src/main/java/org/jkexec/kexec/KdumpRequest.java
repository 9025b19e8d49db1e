package org.jkexec.kexec;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.jkexec.elf.ElfFile;

/**
 * What to load: the kdump kernel (an ELF vmlinux), an optional initrd and the command line.
 *
 * @param kernel  the parsed kernel ELF (its bytes are the segment sources)
 * @param initrd  initrd bytes (an array, or a view of the mapped file), or null
 * @param cmdline the kdump kernel's command line as the user gave it (elfcorehdr= is prepended)
 */
public record KdumpRequest(ElfFile kernel, ByteBuffer initrd, String cmdline) {
    public KdumpRequest {
        Objects.requireNonNull(kernel);
        Objects.requireNonNull(cmdline);
    }

    public KdumpRequest(ElfFile kernel, byte[] initrd, String cmdline) {
        this(kernel, initrd == null ? null : ByteBuffer.wrap(initrd), cmdline);
    }
}
