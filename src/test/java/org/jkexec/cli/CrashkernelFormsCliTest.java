package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jkexec.capture.MachineCapture;
import org.jkexec.memory.MemRange;
import org.jkexec.verify.PlanFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crashkernel= forms of Linux 7.3 on ppc64 (docs/ppc64-kdump.md#crashkernel-forms) as
 * plan, load and status meet them: ,high and ,low reserve nothing and every command says why;
 * ,cma areas beside crashkernel are planned; a layout jkexec does not read is refused in one line.
 */
class CrashkernelFormsCliTest {
    static final String CMA_FILE = "sys/kernel/kexec_crash_cma_ranges";

    /** The bundled capture booted with {@code cmdline}, and (when {@code reserved} is false) no crashkernel. */
    static Path capture(Path dir, String cmdline, boolean reserved) throws Exception {
        Path c = dir.resolve("cap");
        CliTest.copyTree(Path.of(CliTest.CAPTURE), c);
        Files.writeString(c.resolve("proc/cmdline"), cmdline + "\n");
        if (!reserved) {
            Files.delete(c.resolve("proc/device-tree/chosen/linux,crashkernel-base"));
            Files.delete(c.resolve("proc/device-tree/chosen/linux,crashkernel-size"));
            Files.writeString(c.resolve("sys/kernel/kexec_crash_size"), "0\n");
        }
        return c;
    }

    @Test
    void highReservesNothingAndPlanLoadAndStatusSayWhyAndWhatToBootWith(@TempDir Path dir) throws Exception {
        Path c = capture(dir, "console=hvc0 crashkernel=512M,high crashkernel=128M,low panic=5", false);
        String kernel = c.resolve("kdump/vmlinux-phdrs").toString();
        for (CliTest.Result r : List.of(
                CliTest.run("plan", c.toString()),
                CliTest.run("load", "-p", "--dry-run", "--root", c.toString(), kernel))) {
            CliTest.assertOneLineError(r, "crashkernel=512M,high");
            assertTrue(r.err().contains("do not honour ,high"), r.err());
            assertTrue(r.err().strip().endsWith("boot with crashkernel=512M"), r.err());
            assertEquals(2, r.status());
        }
        CliTest.Result s = CliTest.run("status", "--root", c.toString());
        assertTrue(
                s.out()
                        .contains("crashkernel:         no crashkernel reserved: the command line asks for "
                                + "crashkernel=512M,high"),
                s.out());
        assertTrue(s.out().contains("boot with crashkernel=512M"), s.out());
    }

    @Test
    void cmaAreasAreShownPlannedAndWrittenToThePlanDocument(@TempDir Path dir) throws Exception {
        Path c = capture(dir, "console=hvc0 crashkernel=512M crashkernel=192M,cma", true);
        // two areas, as reserve_crashkernel_cma lists them when the first try was halved
        Files.writeString(c.resolve(CMA_FILE), "e0000000-e7ffffff\nd8000000-dbffffff\n");
        List<MemRange> areas = List.of(new MemRange(0xe0000000L, 0xe7ffffffL), new MemRange(0xd8000000L, 0xdbffffffL));
        assertEquals(areas, MachineCapture.read(c).crashkernelCma());

        CliTest.Result text = CliTest.run("plan", c.toString(), "--seed", "00");
        assertEquals(0, text.status(), text.err());
        assertTrue(
                text.out()
                        .contains("crashkernel CMA 128 MiB at 0xe0000000, 64 MiB at 0xd8000000: usable by the kdump "
                                + "kernel, left out of the dump"),
                text.out());

        CliTest.Result json = CliTest.run("plan", c.toString(), "--seed", "00", "--json");
        assertEquals(0, json.status(), json.err());
        JsonNode cma = new ObjectMapper().readTree(json.out()).get("machine").get("crashkernelCma");
        assertEquals(2, cma.size(), json.out());
        PlanFacts facts = PlanFacts.parse(json.out(), "plan.json");
        assertEquals(areas, facts.crashkernelCma().orElseThrow());
        // usable: [0, crashkernel end], then the areas in the kernel's order, then RTAS
        List<MemRange> usable = facts.usable().orElseThrow();
        assertEquals(List.of(new MemRange(0, 0x3fffffffL), areas.get(0), areas.get(1)), usable.subList(0, 3));
        // the dump: RAM above crashkernel with both areas cut out
        List<MemRange> crash = facts.crash().orElseThrow();
        assertTrue(crash.contains(new MemRange(0x40000000L, 0xd7ffffffL)), crash.toString());
        assertTrue(crash.contains(new MemRange(0xdc000000L, 0xdfffffffL)), crash.toString());
        assertTrue(crash.contains(new MemRange(0xe8000000L, 0xffffffffL)), crash.toString());

        CliTest.Result s = CliTest.run("status", "--root", c.toString());
        assertTrue(s.out().contains("crashkernel CMA:     0xe0000000-0xe7ffffff (128 MiB"), s.out());
        CliTest.Result map = CliTest.run("map", c.toString(), "--format", "text");
        assertEquals(0, map.status(), map.err());
        assertTrue(map.out().contains("c crashkernel=SIZE,cma area"), map.out());
        assertTrue(map.out().contains("0xe0000000 0xe7ffffff   128 MiB"), map.out());
        assertTrue(s.out().contains("crashkernel CMA:     0xd8000000-0xdbffffff (64 MiB"), s.out());
    }

    @Test
    void aCmaAreaOutsideRamOrOverCrashkernelIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path c = capture(dir, "console=hvc0 crashkernel=512M crashkernel=128M,cma", true);
        Files.writeString(c.resolve(CMA_FILE), "1e0000000-1e7ffffff\n"); // above the 4 GiB of RAM
        CliTest.assertOneLineError(CliTest.run("plan", c.toString()), "kexec_crash_cma_ranges");
        Files.writeString(c.resolve(CMA_FILE), "38000000-47ffffff\n"); // across crashkernel's end
        CliTest.Result r = CliTest.run("plan", c.toString());
        CliTest.assertOneLineError(r, "kexec_crash_cma_ranges");
        assertTrue(
                r.err()
                        .contains(
                                "CMA area 0x38000000-0x47ffffff (sys/kernel/kexec_crash_cma_ranges) overlaps crashkernel"),
                r.err());
        assertEquals(2, r.status());
        Files.writeString(c.resolve(CMA_FILE), "d0000000-d7ffffff\nd4000000-dbffffff\n"); // two overlapping
        r = CliTest.run("plan", c.toString());
        CliTest.assertOneLineError(r, "kexec_crash_cma_ranges");
        assertTrue(r.err().contains("overlaps the CMA area 0xd0000000-0xd7ffffff"), r.err());
    }

    /** A second crashkernel region (crashk_low_res, which ppc64 never reserves) is refused, not half planned. */
    @Test
    void twoCrashKernelRegionsAreRefusedNamingIomem(@TempDir Path dir) throws Exception {
        Path c = capture(dir, "console=hvc0 crashkernel=512M", true);
        Files.writeString(
                c.resolve("proc/iomem"),
                "00000000-ffffffff : System RAM\n  08000000-0fffffff : Crash kernel\n  20000000-3fffffff : Crash kernel\n");
        CliTest.Result r = CliTest.run("plan", c.toString());
        CliTest.assertOneLineError(r, "proc/iomem");
        assertTrue(r.err().contains("a second Crash kernel line"), r.err());
        assertEquals(2, r.status());
    }

    @Test
    void synthWritesACmaAreaThatThePlanCutsOutOfTheDump(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("synth");
        CliTest.Result w = CliTest.run(
                "synth",
                c.toString(),
                "--memory",
                "8G",
                "--cpus",
                "8",
                "--crashkernel",
                "512M",
                "--crashkernel-cma",
                "1G");
        assertEquals(0, w.status(), w.err());
        assertEquals("1c0000000-1ffffffff\n", Files.readString(c.resolve(CMA_FILE)));
        assertTrue(Files.readString(c.resolve("proc/cmdline")).contains("crashkernel=512M crashkernel=1024M,cma"));
        assertEquals(
                List.of(new MemRange(0x1c0000000L, 0x1ffffffffL)),
                MachineCapture.read(c).crashkernelCma());
    }
}
