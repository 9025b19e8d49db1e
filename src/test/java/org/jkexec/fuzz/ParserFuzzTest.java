package org.jkexec.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.Optional;

import org.jkexec.JkexecException;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.Fdt;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of everything that reads untrusted bytes. Under `mvn test` each
 * target runs once per seed in src/test/resources/org/jkexec/fuzz/ParserFuzzTestInputs
 * (regression mode); `JAZZER_FUZZ=1 mvn test -Dtest=ParserFuzzTest` fuzzes for real. The
 * contract: a parser either returns or throws JkexecException; anything else is a bug.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void fdt(byte[] data) {
        Fdt fdt;
        try {
            fdt = Fdt.parse(data, "fuzz.dtb");
        } catch (JkexecException expected) {
            return;
        }
        // whatever parses must survive every writer and read back the same
        byte[] blob = fdt.toBlob();
        assertEquals(Optional.empty(), fdt.firstDifference(Fdt.parse(blob, "round-trip")));
        fdt.toDts();
        int size = fdt.inPlaceMinimumSize();
        if (size < (1 << 22)) {
            assertEquals(Optional.empty(), fdt.firstDifference(Fdt.parse(fdt.toBlobInPlace(size), "in-place")));
        }
    }

    @FuzzTest(maxDuration = "30s")
    void elf(byte[] data) {
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
