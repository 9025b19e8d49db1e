package org.jkexec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jkexec.app.KexecService;
import picocli.CommandLine.Command;

/**
 * {@code jkexec exec}: reboot into the kernel loaded with {@code load -l}, at once, as
 * {@code kexec -e} does (file systems are synced; services are not stopped).
 */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = "Reboot now into the kernel loaded with load -l (like kexec -e: sync, no shutdown of services).")
final class ExecCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        KexecService.forMachine(Path.of("/")).exec(true);
        return 0; // not reached: execLoaded returns only by throwing
    }
}
