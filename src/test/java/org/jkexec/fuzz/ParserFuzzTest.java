package org.jkexec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of everything that reads untrusted input. Under `mvn test` each
 * target runs once per seed in src/test/resources/org/jkexec/fuzz/ParserFuzzTestInputs/NAME
 * (regression mode); `JAZZER_FUZZ=1 mvn test -Dtest=ParserFuzzTest#NAME` fuzzes for 30 s, and
 * scripts/fuzz runs long campaigns on the same targets. The contract: a JkexecException for
 * what is refused; anything else thrown, a hang or running out of memory is a finding.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void fdt(byte[] data) {
        FdtFuzzTarget.fuzzerTestOneInput(data);
    }

    @FuzzTest(maxDuration = "30s")
    void elf(byte[] data) {
        ElfFuzzTarget.fuzzerTestOneInput(data);
    }

    @FuzzTest(maxDuration = "30s")
    void capture(FuzzedDataProvider data) {
        CaptureFuzzTarget.fuzzerTestOneInput(data);
    }

    @FuzzTest(maxDuration = "30s")
    void plan(FuzzedDataProvider data) {
        PlanFuzzTarget.fuzzerTestOneInput(data);
    }
}
