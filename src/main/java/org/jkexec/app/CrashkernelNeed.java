package org.jkexec.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.ppc64.CrashkernelEstimate;
import org.jkexec.ppc64.Ppc64Machine;

/** The crashkernel estimate of a plan: reads how large its initramfs unpacks, then asks the policy. */
public final class CrashkernelNeed {
    /** Counting stops here: no initramfs a kdump kernel boots is larger. */
    static final long MAX_UNPACKED = 8L << 30;
    /** xz, zstd, lz4 and the like: the JDK cannot count them; their usual ratio on an initramfs. */
    static final int ASSUMED_RATIO = 4;

    private CrashkernelNeed() {
    }

    public static CrashkernelEstimate of(Ppc64Machine m, KdumpPlan plan) {
        long unpacked = plan.segments().stream().filter(s -> s.kind() == SegmentKind.INITRD).findFirst()
                .map(Segment::buffer).map(CrashkernelNeed::unpackedSize).orElse(0L);
        return CrashkernelEstimate.of(m, plan, unpacked);
    }

    /**
     * Bytes an initramfs holds once unpacked: a gzip stream (all its members) is counted, an
     * uncompressed cpio ("070701") is its own size, anything else is assumed {@link #ASSUMED_RATIO}
     * times its size.
     */
    static long unpackedSize(byte[] initrd) {
        if (initrd.length >= 2 && (initrd[0] & 0xff) == 0x1f && (initrd[1] & 0xff) == 0x8b) {
            long n = 0;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(initrd), 1 << 16)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) > 0 && n < MAX_UNPACKED) {
                    n += r;
                }
                return n;
            } catch (IOException e) {
                // a damaged or trailing-garbage stream: what was counted, at least its own size
                return Math.max(n, initrd.length);
            }
        }
        if (initrd.length >= 6 && new String(initrd, 0, 6, java.nio.charset.StandardCharsets.US_ASCII).equals("070701")) {
            return initrd.length;
        }
        return (long) initrd.length * ASSUMED_RATIO;
    }
}
