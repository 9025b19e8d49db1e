package org.jkexec.linux;

import org.jkexec.JkexecException;

/**
 * A kexec syscall the kernel refused, with its errno: kexec-tools chooses its fallback from
 * kexec_file_load's errno, and jkexec its answer to lockdown from kexec_load's EPERM.
 */
public final class KexecCallFailed extends JkexecException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    KexecCallFailed(JkexecException described, int errno) {
        super(described.getMessage(), described.exitCode(), described);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
