package org.jkexec.verify;

import static org.jkexec.verify.RefFixtures.K612;
import static org.jkexec.verify.RefFixtures.KT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkexec.capture.MachineCapture;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Region;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The FDT side (needs org.jkexec.fdt): the reader gives from k2-fdt.bin exactly the facts
 * RefFixtures transcribed from k2-fdt.dts, and the bundled captures give the machine facts
 * RefFixtures took from k1-*; so the policy tests on fixtures hold for the real files.
 */
class KdumpFdtReaderTest {
    static String capture(String ref) {
        return ref.equals(K612) ? Reference.MACHINE : Reference.MACHINE + "-linux6.1";
    }

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void readsTheKdumpKernelsFdt(String ref) {
        KdumpFdtFacts got = KdumpFdtReader.read(Reference.bytes(ref, "k2-fdt.bin"), "k2-fdt.bin");
        KdumpFdtFacts want = RefFixtures.fdt(ref);
        assertEquals(want.totalSize(), got.totalSize());
        assertEquals(want.rootAddressCells(), got.rootAddressCells());
        assertEquals(want.rootSizeCells(), got.rootSizeCells());
        assertEquals(want.reserveMap(), got.reserveMap());
        assertEquals(want.bootargs(), got.bootargs());
        assertEquals(want.elfcorehdr(), got.elfcorehdr());
        assertEquals(want.usableMemoryRange(), got.usableMemoryRange());
        assertEquals(want.initrdStart(), got.initrdStart());
        assertEquals(want.initrdEnd(), got.initrdEnd());
        assertEquals(want.memoryNodes().size(), got.memoryNodes().size());
        for (int i = 0; i < want.memoryNodes().size(); i++) {
            KdumpFdtFacts.MemoryNode w = want.memoryNodes().get(i);
            KdumpFdtFacts.MemoryNode g = got.memoryNodes().get(i);
            assertEquals(w.path(), g.path());
            assertEquals(w.reg(), g.reg());
            assertArrayEquals(w.usableMemory().orElseThrow(), g.usableMemory().orElseThrow());
        }
        assertTrue(got.drconf().isEmpty());
        assertEquals(want.firmware(), got.firmware());
        assertEquals(want.cpuThreads(), got.cpuThreads());
    }

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void readsTheCrashedMachinesCapture(String ref) {
        Expected got = Expected.of(MachineCapture.read(Reference.capture(capture(ref))));
        Expected want = RefFixtures.machine(ref);
        assertEquals(want.crashkernel(), got.crashkernel());
        assertEquals(want.systemRam(), got.systemRam());
        assertEquals(want.crashNotes(), got.crashNotes());
        assertEquals(want.vmcoreinfo(), got.vmcoreinfo());
        assertEquals(want.pageSize(), got.pageSize());
        List<MemRange> fw =
                got.firmware().orElseThrow().stream().map(Region::range).toList();
        assertEquals(want.firmware().orElseThrow().stream().map(Region::range).toList(), fw);
    }
}
