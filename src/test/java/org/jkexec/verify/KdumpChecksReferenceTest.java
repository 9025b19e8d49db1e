package org.jkexec.verify;

import static org.jkexec.verify.RefFixtures.K612;
import static org.jkexec.verify.RefFixtures.KT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Both reference runs hold, with the statuses the two loaders deserve. */
class KdumpChecksReferenceTest {
    static Map<String, CheckStatus> statuses(VerifyReport r) {
        Map<String, CheckStatus> m = new LinkedHashMap<>();
        r.results().forEach(c -> m.put(c.id(), c.status()));
        return m;
    }

    @Test
    void kernelKexecFileLoadHoldsWithoutAWarning() {
        VerifyReport r = KdumpChecks.run(RefFixtures.received(K612), RefFixtures.machine(K612));
        System.out.println(r.text(true));
        assertEquals(0, r.exitCode());
        Map<String, CheckStatus> s = statuses(r);
        s.forEach((id, st) ->
                assertEquals(id.equals("plan") ? CheckStatus.SKIP : CheckStatus.PASS, st, id + ": " + r.result(id)));
        assertTrue(r.result("vmcore.crashkernel").get().mentions("RTAS [0x2ffff000-0x2ffff83b]"));
        assertTrue(r.result("backup.source").get().mentions("p_offset 0x207e0000"));
        assertTrue(r.result("notes.vmcore").get().mentions("2 NT_PRSTATUS + VMCOREINFO (OSRELEASE=6.12"));
    }

    @Test
    void kexecToolsHoldsWithItsDeviationsAsWarnings() {
        VerifyReport r = KdumpChecks.run(RefFixtures.received(KT), RefFixtures.machine(KT));
        System.out.println(r.text(true));
        assertEquals(0, r.exitCode());
        Map<String, CheckStatus> s = statuses(r);
        Map<String, CheckStatus> want = new LinkedHashMap<>();
        want.put("vmcore.elf", CheckStatus.PASS);
        want.put("vmcore.ram", CheckStatus.PASS);
        // RTAS [0x2fff0000-0x2fff083b] exported as [0x2fff0000-0x2fffffff]: rounded to 64 KiB pages
        want.put("vmcore.crashkernel", CheckStatus.WARN);
        want.put("vmcore.backup-load", CheckStatus.PASS);
        // /proc/vmcore rewrites p_offset and Debian's kernel has STRICT_DEVMEM: the core header is not visible
        want.put("backup.source", CheckStatus.SKIP);
        want.put("backup.reserved", CheckStatus.PASS);
        want.put("notes.core-header", CheckStatus.SKIP);
        // 64 KiB pages: the merged notes start at 0x10000, just past the 64 KiB captured
        want.put("notes.vmcore", CheckStatus.SKIP);
        // no /chosen/linux,elfcorehdr
        want.put("cmdline.elfcorehdr", CheckStatus.WARN);
        want.put("reserve.elfcorehdr", CheckStatus.PASS);
        want.put("usable.confined", CheckStatus.PASS);
        want.put("usable.reserved", CheckStatus.PASS);
        want.put("reserve.firmware", CheckStatus.PASS);
        want.put("vmcore.size", CheckStatus.PASS);
        want.put("vmcore.layout", CheckStatus.SKIP);
        want.put("plan", CheckStatus.SKIP);
        assertEquals(want, s);
        assertTrue(r.result("vmcore.crashkernel").get().mentions("rounded out to 64 KiB pages"));
        assertTrue(
                r.result("cmdline.elfcorehdr").get().mentions("0x22890000 (appended at the end, as kexec-tools does)"));
        assertTrue(r.result("notes.vmcore").get().mentions("fits 2 NT_PRSTATUS notes"));
        assertTrue(r.result("backup.reserved").get().mentions("(0x22880000, 0x10000)"));
    }

    /** Inside a kdump kernel with nothing but its own files: crashkernel and RAM come from the FDT. */
    @Test
    void bothHoldFromTheKdumpKernelsOwnFilesAlone() {
        for (String ref : new String[] {K612, KT}) {
            VerifyReport r = KdumpChecks.run(RefFixtures.received(ref), Expected.none());
            assertEquals(0, r.exitCode(), ref + "\n" + r.text(true));
            assertEquals(CheckStatus.PASS, r.result("vmcore.ram").get().status(), ref);
            assertTrue(
                    r.inputs().get(0).startsWith("crashkernel [0x20000000-0x3fffffff]"),
                    r.inputs().toString());
        }
    }

    @Test
    void vmcoreHeaderAloneIsCheckedAndTheRestSkipped() {
        KdumpReceived only = new KdumpReceived(
                RefFixtures.received(KT).vmcore(),
                OptionalLong.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                java.util.List.of());
        VerifyReport r = KdumpChecks.run(only, RefFixtures.machine(KT));
        assertEquals(0, r.exitCode(), r.text(true));
        assertEquals(CheckStatus.PASS, r.result("vmcore.ram").get().status());
        assertEquals(CheckStatus.SKIP, r.result("usable.confined").get().status());
        assertEquals(CheckStatus.SKIP, r.result("vmcore.size").get().status());
    }

    @Test
    void jsonCarriesEveryCheck() throws Exception {
        VerifyReport r = KdumpChecks.run(RefFixtures.received(KT), RefFixtures.machine(KT));
        com.fasterxml.jackson.databind.JsonNode j =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.json());
        assertTrue(j.get("ok").asBoolean());
        assertEquals(r.results().size(), j.get("checks").size());
        assertEquals("WARN", j.get("checks").get(2).get("status").asText());
        assertEquals(2, j.get("summary").get("warn").asInt());
    }
}
