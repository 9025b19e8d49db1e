package org.jkexec.verify;

import static org.jkexec.verify.RefFixtures.K612;
import static org.jkexec.verify.RefFixtures.KT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.app.VerifyService;
import org.jkexec.cli.Main;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * From files only, as a user runs it (needs org.jkexec.fdt): a directory copied from the kdump
 * kernel, the bundled capture of the crashed machine, and a plan from 'jkexec plan --json'.
 */
class VerifyEndToEndTest {
    @TempDir
    Path tmp;

    Path root(String ref) throws Exception {
        return VerifyCommandTest.kdumpRoot(tmp, ref, true);
    }

    static Map<String, CheckStatus> statuses(VerifyReport r) {
        Map<String, CheckStatus> m = new LinkedHashMap<>();
        r.results().forEach(c -> m.put(c.id(), c.status()));
        return m;
    }

    /** Real files give exactly the statuses (and messages) the fixture-based reference tests establish. */
    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void filesGiveWhatTheFixturesGive(String ref) throws Exception {
        Path capture = Reference.capture(KdumpFdtReaderTest.capture(ref));
        VerifyReport files = VerifyService.verify(
                root(ref), Optional.of(capture), Optional.empty(), Optional.empty(), OptionalLong.empty());
        VerifyReport fixtures = KdumpChecks.run(RefFixtures.received(ref), RefFixtures.machine(ref));
        assertEquals(0, files.exitCode(), files.text(true));
        assertEquals(statuses(fixtures), statuses(files), files.text(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void theCommandOnFilesFromTheKdumpKernelAlone(String ref) throws Exception {
        VerifyCommandTest.Run r = VerifyCommandTest.run(root(ref).toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("✓ usable.confined"), r.out());
        assertTrue(r.out().contains("✓ reserve.firmware"), r.out());
    }

    /** plan → load (the reference run) → verify: every plan.* check holds. */
    @Test
    void aPlanFromJkexecPlanMatchesTheKernelsLoad() throws Exception {
        Path capture = Reference.capture(Reference.MACHINE);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"plan", capture.toString(), "--json", "--seed", "none"},
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        Path plan = tmp.resolve("plan.json");
        Files.writeString(plan, out.toString());
        VerifyCommandTest.Run r = VerifyCommandTest.run(
                root(K612).toString(), "--capture", capture.toString(), "--plan", plan.toString(), "-v");
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String id : new String[] {
            "plan.machine",
            "plan.segments",
            "plan.elfcorehdr",
            "plan.reserve-map",
            "plan.usable",
            "plan.crash-ranges",
            "plan.cmdline"
        }) {
            assertTrue(r.out().contains("✓ " + id), id + "\n" + r.out());
        }
    }

    @Test
    void aCorruptFdtIsABadInputNamingTheFile() throws Exception {
        Path root = root(KT);
        byte[] fdt = Reference.bytes(KT, "k2-fdt.bin");
        Files.write(root.resolve("sys/firmware/fdt"), java.util.Arrays.copyOf(fdt, 200));
        VerifyCommandTest.Run r = VerifyCommandTest.run(root.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith("jkexec: " + root.resolve("sys/firmware/fdt")), r.err());
    }
}
