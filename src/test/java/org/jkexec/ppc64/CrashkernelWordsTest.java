package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What jkexec says when the running kernel reserved no crashkernel, by what its command line asked for. */
class CrashkernelWordsTest {
    @Test
    void noCrashkernelWord() {
        assertEquals(
                "no crashkernel reserved: boot the machine with crashkernel=SIZE",
                CrashkernelWords.whyNoneReserved("console=hvc0 root=/dev/sda2"));
    }

    @Test
    void highIsIgnoredByPpc64AndTheSameSizeWithoutSuffixIsNamed() {
        // measured: Linux 7.3 on pseries with 8 GiB and crashkernel=512M,high reserved nothing and said nothing
        String s = CrashkernelWords.whyNoneReserved("console=hvc0 crashkernel=512M,high panic=5");
        assertTrue(s.contains("crashkernel=512M,high"), s);
        assertTrue(s.contains("do not honour ,high"), s);
        assertTrue(s.endsWith("boot with crashkernel=512M"), s);
        assertTrue(CrashkernelWords.whyNoneReserved("crashkernel=256M,low").endsWith("boot with crashkernel=256M"));
    }

    @Test
    void cmaAloneReservesNoRegion() {
        String s = CrashkernelWords.whyNoneReserved("crashkernel=1G,cma");
        assertTrue(s.contains(",cma only adds contiguous areas"), s);
        assertTrue(s.contains("boot with crashkernel=1G, or a smaller crashkernel=SIZE beside crashkernel=1G,cma"), s);
        assertTrue(CrashkernelWords.whyNoneReserved("crashkernel=1G,cma", "seen here")
                .startsWith("no crashkernel reserved (seen here): "));
    }

    /** Measured on Linux 7.3 (pseries, 8 GiB): crashkernel=512M,high with 128M,low reserves nothing; 512M is what was meant. */
    @Test
    void highWithLowNamesTheHighSize() {
        String s = CrashkernelWords.whyNoneReserved("console=hvc0 crashkernel=512M,high panic=5 crashkernel=128M,low");
        assertTrue(s.contains("asks for crashkernel=512M,high"), s);
        assertTrue(s.endsWith("boot with crashkernel=512M"), s);
        s = CrashkernelWords.whyNoneReserved("crashkernel=128M,low crashkernel=1G,high crashkernel=64M,cma");
        assertTrue(s.endsWith("boot with crashkernel=1G"), s);
    }

    @Test
    void aPlainWordTheKernelCouldNotReserve() {
        String s = CrashkernelWords.whyNoneReserved("crashkernel=64G@4G crashkernel=512M,high");
        assertTrue(s.contains("asks for crashkernel=64G@4G: the kernel could not reserve it"), s);
    }
}
