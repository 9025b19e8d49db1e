package org.jkexec.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** --reuse-cmdline and --append as kexec-tools combines them. */
class CommandLinesTest {
    static final String RUNNING = "BOOT_IMAGE=/boot/vmlinux-6.1 root=/dev/sda2 crashkernel=512M quiet\n";

    @Test
    void appendAloneIsTheLine() {
        assertEquals("console=hvc0", CommandLines.of(RUNNING, false, true, "console=hvc0"));
        assertEquals("", CommandLines.of(RUNNING, false, false, null));
    }

    @Test
    void reuseDropsBootImageAndForKdumpCrashkernel() {
        assertEquals("root=/dev/sda2 crashkernel=512M quiet", CommandLines.of(RUNNING, true, false, null));
        assertEquals("root=/dev/sda2 quiet", CommandLines.of(RUNNING, true, true, null));
    }

    @Test
    void appendFollowsTheReusedLine() {
        assertEquals(
                "root=/dev/sda2 quiet irqpoll nr_cpus=1", CommandLines.of(RUNNING, true, true, "irqpoll nr_cpus=1"));
    }

    @Test
    void quotedValuesStayWhole() {
        assertEquals(
                "a=\"x crashkernel=1G\" b",
                CommandLines.of("a=\"x crashkernel=1G\" crashkernel=2G b", true, true, null));
    }
}
