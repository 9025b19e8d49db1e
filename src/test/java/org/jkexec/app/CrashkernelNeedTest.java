package org.jkexec.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.jkexec.capture.MachineCapture;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.ppc64.CrashkernelEstimate;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;

class CrashkernelNeedTest {
    static byte[] gzip(byte[] data, int members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < members; i++) {
            try (GZIPOutputStream z = new GZIPOutputStream(out) {
                @Override
                public void close() throws IOException {
                    finish(); // keep the shared stream open for the next member
                }
            }) {
                z.write(data);
            }
        }
        return out.toByteArray();
    }

    @Test
    void aGzipInitramfsCountsEveryMemberUnpacked() throws IOException {
        byte[] data = new byte[3 << 20];
        data[12345] = 7;
        assertEquals(2L * data.length, CrashkernelNeed.unpackedSize(ByteBuffer.wrap(gzip(data, 2)), Long.MAX_VALUE));
    }

    /** A gzip bomb: 1 GiB of zeros in about 1 MiB. Counting stops at the limit (crashkernel's size). */
    @Test
    void countingStopsAtTheLimitInTimeAndBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {
                z.write(zeros);
            }
        }
        byte[] bomb = out.toByteArray();
        assertTrue(bomb.length < 2 << 20, "bomb of " + bomb.length);
        long limit = 64L << 20;
        assertEquals(limit, CrashkernelNeed.unpackedSize(ByteBuffer.wrap(bomb), limit));
    }

    @Test
    void anUncompressedCpioIsItsOwnSizeAndAnythingElseIsAssumedFourTimes() {
        byte[] cpio = "070701rest of a newc archive".getBytes(StandardCharsets.US_ASCII);
        assertEquals(cpio.length, CrashkernelNeed.unpackedSize(ByteBuffer.wrap(cpio), Long.MAX_VALUE));
        byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2};
        assertEquals(4L * xz.length, CrashkernelNeed.unpackedSize(ByteBuffer.wrap(xz), Long.MAX_VALUE));
    }

    @Test
    void theEstimateHoldsEverySegmentAndIsTheSumOfItsParts() throws Exception {
        Ppc64Machine m = MachineCapture.read(Reference.capture(Reference.MACHINE));
        Planned p = PlanService.plan(
                m,
                Reference.capture(Reference.MACHINE).resolve("kdump/vmlinux-phdrs"),
                null,
                "console=hvc0",
                PlanOptions.linux612().withSeeds(1L, new byte[128]));
        KdumpPlan plan = p.plan();
        CrashkernelEstimate e = CrashkernelNeed.of(m, plan);
        long segments = plan.segments().stream().mapToLong(Segment::memsz).sum();
        long parts =
                e.parts().stream().mapToLong(CrashkernelEstimate.Part::bytes).sum();
        assertEquals(e.bytes(), parts, e.parts().toString());
        // the segments, the kdump kernel's own reservations (16 MiB of radix process table alone)
        assertTrue(e.bytes() > segments + (16L << 20), "segments plus the kdump kernel's needs: " + e.bytes());
        assertEquals(0, (m.crashkernel().start() + e.bytes()) % (16L << 20), "crashkernel ends on 16 MiB");
    }
}
