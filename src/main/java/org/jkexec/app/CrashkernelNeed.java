package org.jkexec.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.zip.GZIPInputStream;
import org.jkexec.Background;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.ppc64.CrashkernelEstimate;
import org.jkexec.ppc64.Ppc64Machine;

/** The crashkernel estimate of a plan: reads how large its initramfs unpacks, then asks the policy. */
public final class CrashkernelNeed {
    /** Counting stops here at most: no initramfs a kdump kernel boots is larger. */
    static final long MAX_UNPACKED = 8L << 30;
    /** xz, zstd, lz4 and the like: the JDK cannot count them; their usual ratio on an initramfs. */
    static final int ASSUMED_RATIO = 4;

    private CrashkernelNeed() {}

    /**
     * The estimate. Counting what the initramfs unpacks to stops at crashkernel's size: past it
     * the answer is "larger than this crashkernel" whatever the rest holds, and a small gzip
     * bomb (8 MiB inflating to 8 GiB) would otherwise cost seconds of inflating.
     */
    public static CrashkernelEstimate of(Ppc64Machine m, KdumpPlan plan) {
        long limit = Math.min(MAX_UNPACKED, m.crashkernel().size());
        long unpacked = 0;
        for (Segment s : plan.segments()) {
            if (s.kind() == SegmentKind.INITRD) {
                unpacked = unpackedSize(s.data(), limit);
                break;
            }
        }
        return CrashkernelEstimate.of(m, plan, unpacked);
    }

    /** {@link #of}, made on another thread (see {@link Background}): a load overlaps it with the kernel's copy. */
    static FutureTask<CrashkernelEstimate> inBackground(Ppc64Machine m, KdumpPlan plan) {
        return Background.start("jkexec-estimate", new Callable<CrashkernelEstimate>() {
            @Override
            public CrashkernelEstimate call() {
                return of(m, plan);
            }
        });
    }

    /**
     * Bytes an initramfs holds once unpacked, counted up to {@code limit}: a gzip stream (all
     * its members) is counted, an uncompressed cpio ("070701") is its own size, anything else is
     * assumed {@link #ASSUMED_RATIO} times its size.
     */
    static long unpackedSize(ByteBuffer initrd, long limit) {
        int length = initrd.capacity();
        ByteBuffer b = initrd.duplicate().clear();
        if (length >= 2 && (b.get(0) & 0xff) == 0x1f && (b.get(1) & 0xff) == 0x8b) {
            long n = 0;
            try (InputStream in = new GZIPInputStream(new BufferInput(b), 1 << 16)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while (n < limit && (r = in.read(buf)) > 0) {
                    n += r;
                }
                return Math.min(n, limit);
            } catch (IOException e) {
                // a damaged or trailing-garbage stream: what was counted, at least its own size
                return Math.max(n, length);
            }
        }
        if (length >= 6
                && b.get(0) == '0'
                && b.get(1) == '7'
                && b.get(2) == '0'
                && b.get(3) == '7'
                && b.get(4) == '0'
                && b.get(5) == '1') {
            return length;
        }
        return (long) length * ASSUMED_RATIO;
    }
}
