package org.jkexec.verify;

import static org.jkexec.verify.RefFixtures.K612;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;
import org.junit.jupiter.api.Test;

/** Plans: defensive parsing, and exact comparison with what the kdump kernel got. */
class PlanFactsTest {
    /** What 'jkexec plan --json' writes for the kernel-6.12 reference (values of Linux612ReferenceTest). */
    static final String PLAN_612 = """
            {
              "backupStart" : "0x207e0000",
              "cmdline" : "elfcorehdr=0x207f0000 console=hvc0 maxcpus=1 kdmode=none",
              "elfcorehdr" : { "addr" : "0x207f0000", "headerBytes" : "0x1000", "programHeaders" : 8, "size" : "0x71000" },
              "entry" : "0x3ffff000",
              "fdtSize" : 32840,
              "kernelLoadAddr" : "0x20000000",
              "machine" : {
                "crashkernel" : { "start" : "0x20000000", "end" : "0x3fffffff" },
                "pageSize" : 4096,
                "possibleCpus" : 2,
                "source" : "captures/pseries-4g-2cpu-crash512m",
                "systemRam" : [ { "start" : "0x0", "end" : "0xffffffff" } ]
              },
              "ranges" : {
                "crash" : [ { "start" : "0x0", "end" : "0xffff" }, { "start" : "0x10000", "end" : "0x1fffffff" },
                            { "start" : "0x2ffff000", "end" : "0x2ffff83b" }, { "start" : "0x40000000", "end" : "0xffffffff" } ],
                "exclude" : [ { "start" : "0x0", "end" : "0x7ddfff" } ],
                "reserved" : [ { "start" : "0x2ffff000", "end" : "0x2ffff83b" } ],
                "usable" : [ { "start" : "0x0", "end" : "0x3fffffff" } ]
              },
              "reserveMap" : [ { "address" : "0x2ffff000", "size" : "0x1000" }, { "address" : "0x20861000", "size" : "0x2dd62c" },
                               { "address" : "0x207f0000", "size" : "0x71000" }, { "address" : "0x10000", "size" : "0x1fff0000" },
                               { "address" : "0x207e0000", "size" : "0x10000" }, { "address" : "0x2ffff000", "size" : "0x83c" } ],
              "segments" : [ { "kind" : "kernel", "mem" : "0x20000000", "memsz" : "0x7de000", "bufsz" : "0x751dac" },
                             { "kind" : "purgatory", "mem" : "0x3ffff000", "memsz" : "0x1000", "bufsz" : "0x1000" },
                             { "kind" : "backup", "mem" : "0x207e0000", "memsz" : "0x10000", "bufsz" : "0x10000" },
                             { "kind" : "elfcorehdr", "mem" : "0x207f0000", "memsz" : "0x71000", "bufsz" : "0x1000" },
                             { "kind" : "initrd", "mem" : "0x20861000", "memsz" : "0x2de000", "bufsz" : "0x2dd62c" },
                             { "kind" : "fdt", "mem" : "0x3fff6000", "memsz" : "0x9000", "bufsz" : "0x8048" } ],
              "warnings" : [ ],
              "futureField" : { "ignored" : true }
            }
            """;

    static PlanFacts plan(String json) {
        return PlanFacts.parse(json, "plan.json");
    }

    @Test
    void readsThePlan() {
        PlanFacts p = plan(PLAN_612);
        assertEquals(6, p.segments().size());
        assertEquals(0x207f0000L, p.elfcorehdrAddr().getAsLong());
        assertEquals(0x71000L, p.elfcorehdrSize().getAsLong());
        assertEquals(0x207e0000L, p.backupStart().getAsLong());
        assertEquals(
                new ReserveEntry(0x10000, 0x1fff0000L), p.reserveMap().get().get(3));
        assertEquals(List.of(new MemRange(0, 0x3fffffffL)), p.usable().get());
        assertEquals(Optional.of(RefFixtures.CRASHKERNEL), p.crashkernel());
        assertEquals(2, p.possibleCpus().getAsInt());
        assertEquals(0x8048L, p.segment(SegmentKind.FDT).get().bufsz());
    }

    @Test
    void theReferenceIsExactlyWhatThePlanSays() {
        VerifyReport r = KdumpChecks.run(
                RefFixtures.received(K612), RefFixtures.machine(K612).withPlan(plan(PLAN_612)));
        assertEquals(0, r.exitCode(), r.text(true));
        for (String id : List.of(
                "plan.machine",
                "plan.segments",
                "plan.elfcorehdr",
                "plan.reserve-map",
                "plan.usable",
                "plan.crash-ranges",
                "plan.cmdline")) {
            assertEquals(CheckStatus.PASS, r.result(id).get().status(), id + ": " + r.result(id));
        }
        assertTrue(r.result("plan.segments")
                .get()
                .mentions("elfcorehdr 0x207f0000, backup 0x207e0000, initrd 0x20861000, fdt (32840 bytes)"));
    }

    /** A plan alone stands in for the capture: crashkernel, RAM, CPUs and the backup address come from it. */
    @Test
    void aPlanAloneIsEnoughExpectation() {
        KdumpReceived noHeader = RefFixtures.received(K612).withElfcorehdr(null);
        VerifyReport r = KdumpChecks.run(noHeader, Expected.none().withPlan(plan(PLAN_612)));
        assertEquals(0, r.exitCode(), r.text(true));
        assertEquals(CheckStatus.PASS, r.result("backup.source").get().status());
        assertTrue(r.result("backup.source").get().mentions("the plan puts the backup copy at 0x207e0000"));
        assertEquals(CheckStatus.PASS, r.result("notes.vmcore").get().status());
        assertTrue(r.result("plan.machine").isEmpty());
    }

    static void assertPlanFails(String json, String id, String text) {
        VerifyReport r = KdumpChecks.run(
                RefFixtures.received(K612), RefFixtures.machine(K612).withPlan(plan(json)));
        CheckResult c = r.result(id).orElseThrow();
        assertEquals(CheckStatus.FAIL, c.status(), r.text(true));
        assertTrue(c.mentions(text), c.details().toString());
        assertEquals(1, r.exitCode());
    }

    @Test
    void everyDifferenceFromThePlanFails() {
        assertPlanFails(
                PLAN_612.replace("\"address\" : \"0x207e0000\"", "\"address\" : \"0x207d0000\""),
                "plan.reserve-map",
                "planned reserve entry (0x207d0000, 0x10000) is missing");
        assertPlanFails(
                PLAN_612.replace("\"addr\" : \"0x207f0000\"", "\"addr\" : \"0x20800000\""),
                "plan.elfcorehdr",
                "elfcorehdr=0x207f0000, the plan says 0x20800000");
        assertPlanFails(
                PLAN_612.replace(
                        "\"kind\" : \"elfcorehdr\", \"mem\" : \"0x207f0000\"",
                        "\"kind\" : \"elfcorehdr\", \"mem\" : \"0x20800000\""),
                "plan.segments",
                "elfcorehdr segment planned at 0x20800000");
        assertPlanFails(
                PLAN_612.replace("\"backupStart\" : \"0x207e0000\"", "\"backupStart\" : \"0x207d0000\""),
                "backup.source",
                "the plan's backupStart is 0x207d0000");
        assertPlanFails(
                PLAN_612.replace(
                        "\"usable\" : [ { \"start\" : \"0x0\", \"end\" : \"0x3fffffff\" } ]",
                        "\"usable\" : [ { \"start\" : \"0x0\", \"end\" : \"0x3fffffff\" }, { \"start\" : \"0x80000000\", \"end\" : \"0x8fffffff\" } ]"),
                "plan.usable",
                "/memory@0/linux,usable-memory is <0x0 0x40000000>, the plan gives <0x0 0x40000000 0x80000000 0x10000000>");
        assertPlanFails(
                PLAN_612.replace(
                        "{ \"start\" : \"0x2ffff000\", \"end\" : \"0x2ffff83b\" }, { \"start\" : \"0x40000000\"",
                        "{ \"start\" : \"0x40000000\""),
                "plan.crash-ranges",
                "the plan: [0x0-0xffff], [0x10000-0x1fffffff], [0x40000000-0xffffffff]");
        assertPlanFails(
                PLAN_612.replace("kdmode=none\"", "kdmode=full\""),
                "plan.cmdline",
                "the plan: 'elfcorehdr=0x207f0000 console=hvc0 maxcpus=1 kdmode=full'");
        assertPlanFails(
                PLAN_612.replace("\"possibleCpus\" : 2", "\"possibleCpus\" : 4"),
                "plan.machine",
                "the plan has 4 possible CPUs, the capture 2");
        assertPlanFails(
                PLAN_612.replace("\"bufsz\" : \"0x2dd62c\"", "\"bufsz\" : \"0x2dd000\""),
                "plan.segments",
                "initrd planned with 0x2dd000 bytes, /chosen says 0x2dd62c");
    }

    @Test
    void badPlansAreOneLineErrorsNamingTheFileAndField() {
        assertBad("not json", "plan.json: not JSON");
        assertBad("[1,2]", "plan.json: not a plan (expected a JSON object)");
        assertBad("{\"x\":1}", "plan.json: not a plan written by 'jkexec plan --json'");
        assertBad("{\"segments\":{}}", "plan.json: segments: expected an array");
        assertBad(
                "{\"segments\":[{\"kind\":\"fdt\",\"mem\":\"zzz\"}]}",
                "plan.json: segments[0].mem: 'zzz' is not a number");
        assertBad("{\"segments\":[{\"kind\":\"fdt\"}]}", "plan.json: segments[0].mem: missing");
        assertBad("{\"segments\":[{\"kind\":7,\"mem\":\"0x1\"}]}", "plan.json: segments[0].kind: expected a string");
        assertBad(
                "{\"segments\":[{\"kind\":\"fdt\",\"mem\":-5}]}",
                "plan.json: segments[0].mem: -5 is not an address or size");
        assertBad(
                "{\"segments\":[],\"reserveMap\":[{\"address\":\"0x10000000000000000\",\"size\":\"1\"}]}",
                "plan.json: reserveMap[0].address: '0x10000000000000000' is not a number");
        assertBad(
                "{\"segments\":[],\"machine\":{\"crashkernel\":{\"start\":\"0x20\",\"end\":\"0x10\"}}}",
                "plan.json: machine.crashkernel: end 0x10 is below start 0x20");
        assertBad(
                "{\"segments\":[],\"machine\":{\"possibleCpus\":0}}",
                "plan.json: machine.possibleCpus: 0 is not a CPU count");
        assertBad("{\"segments\":[],\"machine\":5}", "plan.json: machine: expected an object");
        assertBad("{\"segments\":[null]}", "plan.json: segments[0]: expected an object");
        assertBad("{\"segments\":[],\"cmdline\":5}", "plan.json: cmdline: expected a string");
        assertBad(
                "{\"segments\":[],\"ranges\":{\"usable\":[{\"start\":{},\"end\":\"1\"}]}}",
                "plan.json: ranges.usable[0].start: expected a \"0x...\" string");
        assertBad("{\"segments\":[],\"fdtSize\":\"x\"}", "plan.json: fdtSize: expected a number");
    }

    static void assertBad(String json, String message) {
        JkexecException e = assertThrows(JkexecException.class, () -> plan(json));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertEquals(2, e.exitCode());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
