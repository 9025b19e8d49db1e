package org.jkexec.app;

import java.nio.file.Path;
import org.jkexec.linux.KexecLoader;
import org.jkexec.linux.KexecSyscalls;
import org.jkexec.linux.KexecSystemFiles;
import org.jkexec.linux.LinuxArch;

/** The kexec loader for a machine root: the services make it, so the CLI never touches linux. */
final class Loaders {
    private Loaders() {}

    /** "/" is the running machine; any other root is a capture whose /sys and /proc files stand in (tests, dry runs). */
    static KexecLoader forRoot(Path root) {
        return root.equals(Path.of("/"))
                ? KexecLoader.forThisMachine()
                : new KexecLoader(KexecSyscalls::system, new KexecSystemFiles(root), LinuxArch.host());
    }
}
