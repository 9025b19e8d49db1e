package org.jkexec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.jkexec.app.VerifyService;
import org.jkexec.verify.VerifyInputs;
import org.jkexec.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jkexec verify}: did the kdump kernel get everything? Exit 0 when every check holds, 1 when one fails, 2 on bad input. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check what a kdump kernel received (FDT, /proc/vmcore headers, command line) against what the "
                    + "crashed kernel should have handed over.",
            "Run it inside the kdump kernel (ROOT = /) or on files copied from one "
                    + "(ROOT/sys/firmware/fdt, ROOT/proc/vmcore or its first bytes, ROOT/proc/cmdline, optional "
                    + "ROOT/jkexec/vmcore-size and ROOT/jkexec/elfcorehdr)."
        },
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:every check holds (warnings and skipped checks allowed)", "1:a check failed", "2:bad input"})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "ROOT",
            description = "Root of the kdump kernel's files (default: /).")
    Path root;

    @Option(
            names = "--capture",
            paramLabel = "DIR",
            description =
                    "Machine capture of the crashed kernel (RAM, crashkernel, crash notes, vmcoreinfo, live tree).")
    Path capture;

    @Option(
            names = "--plan",
            paramLabel = "FILE",
            description = "Plan JSON written by 'jkexec plan --json' for this load.")
    Path plan;

    @Option(
            names = "--elfcorehdr",
            paramLabel = "FILE",
            description =
                    "The loader's ELF core header (as read at elfcorehdr=, or elfcorehdr.bin of 'jkexec plan --out').")
    Path elfcorehdr;

    @Option(
            names = "--vmcore-size",
            paramLabel = "BYTES",
            description = "Size of the real /proc/vmcore (when ROOT holds only a prefix).")
    String vmcoreSize;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Option(
            names = {"-v", "--verbose"},
            description = "Show the details of passing checks too.")
    boolean verbose;

    @Override
    public Integer call() {
        Path r = root != null ? root : Path.of("/");
        OptionalLong size = vmcoreSize == null
                ? OptionalLong.empty()
                : OptionalLong.of(VerifyInputs.parseSize(vmcoreSize, "--vmcore-size"));
        VerifyReport report = VerifyService.verify(
                r, Optional.ofNullable(capture), Optional.ofNullable(plan), Optional.ofNullable(elfcorehdr), size);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.json() + "\n" : report.text(verbose));
        out.flush();
        return report.exitCode();
    }
}
