package org.jkexec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.elf.ElfFile;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.testutil.PlanInvariants;

/**
 * Structure-aware fuzzing of the capture reader and the planner behind it: a real bundled
 * capture is copied once into a file system held in memory (Jimfs); each input picks a few of
 * its files and mutates them (replaced, truncated, a number rewritten, bytes overwritten,
 * removed), the capture is read and planned, and the files are put back. The reader goes
 * through the same file-system calls as on disk, without the system calls of 424 files per
 * input. (The JDK's zip file system, used before, inflates every file at every read, and with
 * its entries stored uncompressed it keeps every stream it has opened on one, so each input
 * made the next slower.)
 * The contract: a JkexecException, or a plan that satisfies {@link PlanInvariants}.
 */
public final class CaptureFuzzTarget {
    static final Path SOURCE = Path.of("captures/pseries-4g-2cpu-crash512m");
    private static Path scratch;
    private static List<Path> files;
    private static Map<Path, byte[]> original;
    private static KdumpRequest request;

    private CaptureFuzzTarget() {}

    static synchronized void setUp() {
        if (scratch != null) {
            return;
        }
        try {
            FileSystem memory = Jimfs.newFileSystem(Configuration.unix());
            scratch = memory.getPath("/capture");
            original = new LinkedHashMap<>();
            try (Stream<Path> s = Files.walk(SOURCE)) {
                for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                    Path to = scratch.resolve(SOURCE.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else if (!p.startsWith(SOURCE.resolve("kdump"))) {
                        byte[] b = Files.readAllBytes(p);
                        Files.write(to, b);
                        original.put(to, b);
                    }
                }
            }
            // a crashkernel=SIZE,cma area too (Linux 7.3 lists them there), for the fuzzer to mutate
            Path cma = scratch.resolve("sys/kernel/kexec_crash_cma_ranges");
            byte[] area = "e0000000-e7ffffff\n".getBytes(StandardCharsets.US_ASCII);
            Files.write(cma, area);
            original.put(cma, area);
            files = new ArrayList<>(original.keySet());
            request = new KdumpRequest(
                    ElfFile.parse(SyntheticKernel.vmlinuxLike(), "vmlinux"), new byte[3 << 20], "console=hvc0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        setUp();
        List<Path> touched = new ArrayList<>();
        try {
            int edits = data.consumeInt(1, 3);
            for (int i = 0; i < edits; i++) {
                Path f = files.get(data.consumeInt(0, files.size() - 1));
                touched.add(f);
                mutate(f, data);
            }
            Ppc64Machine m;
            try {
                m = MachineCapture.read(scratch);
            } catch (JkexecException expected) {
                return;
            }
            KdumpPlan plan;
            try {
                plan = new Ppc64KdumpPlanner(Purgatories.standard())
                        .plan(m, request, PlanOptions.linux612().withSeeds(1L, new byte[128]));
            } catch (JkexecException expected) {
                return;
            }
            PlanInvariants.check(m, plan);
        } finally {
            for (Path f : touched) {
                try {
                    Files.write(f, original.get(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** One edit of {@code f}: what a corrupt, truncated or hand-edited capture file looks like. */
    private static void mutate(Path f, FuzzedDataProvider data) {
        byte[] b = Files.exists(f) ? readQuietly(f) : original.get(f);
        byte[] out;
        switch (data.consumeInt(0, 5)) {
            case 0 -> out = data.consumeBytes(data.consumeInt(0, 4096));
            case 1 -> out = java.util.Arrays.copyOf(b, data.consumeInt(0, b.length));
            case 2 -> { // a number in a text file rewritten
                String t = new String(b, StandardCharsets.ISO_8859_1);
                String n = data.pickValue(new String[] {
                    "0",
                    "1",
                    "ffffffffffffffff",
                    "7fffffff",
                    "-1",
                    "0x",
                    Long.toHexString(data.consumeLong()),
                    Long.toString(data.consumeLong()),
                    "99999999999",
                    "3"
                });
                out = t.replaceFirst("[0-9a-fA-F]+", n).getBytes(StandardCharsets.ISO_8859_1);
            }
            case 3 -> { // a big-endian cell or two overwritten (device-tree numbers)
                out = b.clone();
                if (out.length >= 4) {
                    int at = data.consumeInt(0, out.length - 4) & ~3;
                    long v = data.consumeLong();
                    for (int i = 0; i < 4 && at + i < out.length; i++) {
                        out[at + i] = (byte) (v >>> (24 - 8 * i));
                    }
                }
            }
            case 4 -> { // some bytes overwritten
                out = b.clone();
                int n = data.consumeInt(0, 16);
                for (int i = 0; i < n && out.length > 0; i++) {
                    out[data.consumeInt(0, out.length - 1)] = data.consumeByte();
                }
            }
            default -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return;
            }
        }
        try {
            Files.write(f, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readQuietly(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
