package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jkexec.JkexecException;
import org.jkexec.fdt.FdtException.Code;
import org.junit.jupiter.api.Test;

/** Every failure of the fdt package carries the libfdt code it corresponds to, under the project's exception. */
class FdtExceptionTest {
    static Code code(Runnable r) {
        JkexecException e = assertThrows(JkexecException.class, r::run);
        assertTrue(e instanceof FdtException, e.getClass() + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        return ((FdtException) e).code();
    }

    static byte[] real() {
        return References.bytes(References.KERNEL, "k2-fdt.bin");
    }

    @Test
    void parsingCodes() {
        assertEquals(Code.TRUNCATED, code(() -> Fdt.parse(Arrays.copyOf(real(), 10), "short")));
        assertEquals(Code.BADMAGIC, code(() -> Fdt.parse(new byte[10], "zeros")));
        byte[] notMagic = real();
        notMagic[0] = 0;
        assertEquals(Code.BADMAGIC, code(() -> Fdt.parse(notMagic, "x")));
        byte[] version = real();
        version[23] = 15;
        assertEquals(Code.BADVERSION, code(() -> Fdt.parse(version, "x")));
        assertEquals(Code.BADLAYOUT, code(() -> Fdt.parse(Arrays.copyOf(real(), 0x1000), "cut")));
        JkexecException e = assertThrows(JkexecException.class, () -> Fdt.parse(new byte[10], "short"));
        assertEquals(2, e.exitCode(), "a malformed blob is bad input");
    }

    @Test
    void editingCodes() {
        Fdt fdt = Fdt.parse(real(), "k2");
        FdtNode chosen = fdt.node("/chosen").orElseThrow();
        assertEquals(Code.EXISTS, code(() -> fdt.root().addChild("chosen")));
        assertEquals(Code.BADVALUE, code(() -> chosen.setString("bootargs", "x").u64("bootargs")));
        assertEquals(Code.BADVALUE, code(() -> fdt.reserveMap().add(new ReserveEntry(0x1000, 0))));
    }

    @Test
    void aBufferTooSmallIsNospace() {
        Fdt fdt = Fdt.parse(real(), "k2");
        JkexecException e = assertThrows(JkexecException.class, () -> fdt.toBlobInPlace(0x100));
        assertEquals(Code.NOSPACE, ((FdtException) e).code());
        assertTrue(e.getMessage().startsWith("FDT_ERR_NOSPACE: "), e.getMessage());
        assertEquals(1, e.exitCode());
    }
}
