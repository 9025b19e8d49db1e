package org.jkexec.fuzz;

import java.nio.ByteOrder;
import org.jkexec.JkexecException;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;

/** The ELF reader (kernels, core headers, /proc/vmcore prefixes): every input parses or is refused. */
public final class ElfFuzzTarget {
    private ElfFuzzTarget() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ElfFile elf;
        try {
            elf = ElfFile.parse(data, "fuzz.elf");
        } catch (JkexecException expected) {
            return;
        }
        for (ProgramHeader ph : elf.programHeaders()) {
            try {
                elf.segmentData(ph);
            } catch (JkexecException expected) {
                // a segment past the end of the file
            }
        }
        try {
            elf.notes();
        } catch (JkexecException expected) {
            // notes past the end or with hostile sizes
        }
        try {
            ElfFile.parseNotes(data, ByteOrder.LITTLE_ENDIAN, "fuzz.notes");
        } catch (JkexecException expected) {
            // same
        }
    }
}
