package org.jkexec.verify;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.elf.ElfFile;

/**
 * What a kdump kernel received, as read by {@link VerifyInputs} (or made in tests).
 *
 * @param vmcore      /proc/vmcore's ELF header, program headers and, when the prefix is long
 *                    enough, its merged notes (ElfFile over the bytes read)
 * @param vmcoreSize  the size of the whole /proc/vmcore, when known
 * @param cmdline     /proc/cmdline
 * @param fdt         facts of /sys/firmware/fdt
 * @param elfcorehdr  the raw ELF core header the loader built, read at {@code elfcorehdr=}
 *                    (/dev/mem) or from a file; its offsets are the loader's, not /proc/vmcore's
 * @param notes       why an input is absent or partial (e.g. "/dev/mem: Operation not permitted"),
 *                    shown with the checks it affects
 */
public record KdumpReceived(
        Optional<ElfFile> vmcore,
        OptionalLong vmcoreSize,
        Optional<String> cmdline,
        Optional<KdumpFdtFacts> fdt,
        Optional<ElfFile> elfcorehdr,
        List<String> notes) {

    public KdumpReceived {
        notes = List.copyOf(notes);
    }

    public static KdumpReceived of(
            ElfFile vmcore, OptionalLong size, String cmdline, KdumpFdtFacts fdt, ElfFile elfcorehdr) {
        return new KdumpReceived(
                Optional.ofNullable(vmcore),
                size,
                Optional.ofNullable(cmdline),
                Optional.ofNullable(fdt),
                Optional.ofNullable(elfcorehdr),
                List.of());
    }

    public KdumpReceived withVmcore(ElfFile v) {
        return new KdumpReceived(Optional.ofNullable(v), vmcoreSize, cmdline, fdt, elfcorehdr, notes);
    }

    public KdumpReceived withVmcoreSize(OptionalLong size) {
        return new KdumpReceived(vmcore, size, cmdline, fdt, elfcorehdr, notes);
    }

    public KdumpReceived withCmdline(String c) {
        return new KdumpReceived(vmcore, vmcoreSize, Optional.ofNullable(c), fdt, elfcorehdr, notes);
    }

    public KdumpReceived withFdt(KdumpFdtFacts f) {
        return new KdumpReceived(vmcore, vmcoreSize, cmdline, Optional.ofNullable(f), elfcorehdr, notes);
    }

    public KdumpReceived withElfcorehdr(ElfFile e) {
        return new KdumpReceived(vmcore, vmcoreSize, cmdline, fdt, Optional.ofNullable(e), notes);
    }
}
