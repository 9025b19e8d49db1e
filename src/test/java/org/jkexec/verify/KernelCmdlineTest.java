package org.jkexec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class KernelCmdlineTest {
    static OptionalLong addr(String cmdline) {
        List<KernelCmdline.ElfcorehdrArg> a = KernelCmdline.elfcorehdr(cmdline);
        return a.get(a.size() - 1).address();
    }

    @Test
    void bothLoadersForms() {
        assertEquals(OptionalLong.of(0x207f0000L), addr("elfcorehdr=0x207f0000 console=hvc0 maxcpus=1 kdmode=none"));
        assertEquals(OptionalLong.of(565824L * 1024), addr("console=hvc0 maxcpus=1 kdmode=none elfcorehdr=565824K "));
        assertEquals(0x22890000L, 565824L * 1024);
        assertTrue(KernelCmdline.elfcorehdrIsLastArgument("console=hvc0 elfcorehdr=565824K "));
        assertFalse(KernelCmdline.elfcorehdrIsLastArgument("elfcorehdr=0x207f0000 console=hvc0"));
    }

    @Test
    void anOverflowingElfcorehdrIsUnparsable() {
        assertEquals(OptionalLong.empty(), addr("elfcorehdr=16E"));
        assertEquals(OptionalLong.empty(), addr("elfcorehdr=0x"), "'0x' reads the 0 and stops at the x");
    }

    @Test
    void sizeAtAddressAndTheLastOneWins() {
        List<KernelCmdline.ElfcorehdrArg> a =
                KernelCmdline.elfcorehdr("elfcorehdr=1M@0x20000000 x elfcorehdr=0x30000000");
        assertEquals(2, a.size());
        assertEquals(OptionalLong.of(0x20000000L), a.get(0).address());
        assertEquals(OptionalLong.of(1L << 20), a.get(0).size());
        assertEquals(OptionalLong.of(0x30000000L), a.get(1).address());
        assertTrue(KernelCmdline.elfcorehdr("elfcorehdr=zz").get(0).address().isEmpty());
        assertTrue(KernelCmdline.elfcorehdr("elfcorehdr=12q").get(0).address().isEmpty());
    }

    @Test
    void quotesGroupArguments() {
        assertEquals(List.of("a", "b=c d", "elfcorehdr=0x10"), KernelCmdline.args("a  \"b=c d\"\telfcorehdr=0x10\n"));
    }
}
