package org.jkexec.app;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.verify.KdumpChecks;
import org.jkexec.verify.VerifyInputs;
import org.jkexec.verify.VerifyReport;

/** Verifying what a kdump kernel received against what the crashed kernel should have handed over. */
public final class VerifyService {
    private VerifyService() {}

    /**
     * Reads the kdump kernel's files under {@code root} and what is expected (from a capture of
     * the crashed machine and a plan, when given), and runs every check.
     */
    public static VerifyReport verify(
            Path root,
            Optional<Path> capture,
            Optional<Path> plan,
            Optional<Path> elfcorehdr,
            OptionalLong vmcoreSize) {
        if (root == null) {
            throw JkexecException.usage("verify: no root given");
        }
        return KdumpChecks.run(
                VerifyInputs.received(root, elfcorehdr, vmcoreSize), VerifyInputs.expected(capture, plan));
    }
}
