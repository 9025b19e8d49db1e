package org.jkexec.purgatory;

import static org.jkexec.purgatory.Ppc64Interpreter.MSR_DR;
import static org.jkexec.purgatory.Ppc64Interpreter.MSR_EE;
import static org.jkexec.purgatory.Ppc64Interpreter.MSR_HV;
import static org.jkexec.purgatory.Ppc64Interpreter.MSR_IR;
import static org.jkexec.purgatory.Ppc64Interpreter.MSR_LE;
import static org.jkexec.purgatory.Ppc64Interpreter.MSR_ME;
import static org.jkexec.purgatory.Ppc64Interpreter.MSR_RI;
import static org.jkexec.purgatory.Ppc64Interpreter.MSR_SF;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the built purgatory in {@link Ppc64Interpreter} the way the kernel enters it after a crash
 * (arch/powerpc/kernel/misc_64.S kexec_sequence: head copied to 0, real mode, MSR[LE] kept,
 * r3 = CPU id, r4 = entry, r5 = 0) and checks the machine state at the moment it reaches the
 * kdump kernel.
 */
class PurgatoryExecutionTest {
    // A 512 MiB crashkernel at 512 MiB, laid out like the reference capture's kexec -p.
    private static final long KERNEL = 0x2000_0000L;
    private static final long BACKUP = 0x2288_0000L;
    private static final long PURGATORY = 0x228a_0000L;
    private static final long FDT = 0x2ffe_0000L;
    private static final long OPAL_BASE = 0x3000_0000_0000L;
    private static final long OPAL_ENTRY = 0x3000_0000_1230L;
    private static final int CPU_ID = 0x24;
    private static final int BACKUP_SIZE = 0x10000;
    private static final long MAX_STEPS = 1_000_000;
    /** The kernel head's own run_at_load default, "run0" as a LE u32 (arch/powerpc/kernel/head_64.S). */
    private static final int KERNEL_RUN_AT_LOAD_DEFAULT = 0x72756e30;
    /** Everything the kernel normally leaves set when it enters real mode, LE host. */
    private static final long ENTRY_MSR = MSR_SF | MSR_HV | MSR_ME | MSR_RI | MSR_LE;

    /** One simulated crash: memory before, interpreter after. */
    private record Run(PhysicalMemory memory, Ppc64Interpreter cpu, byte[] lowMemoryAtEntry, byte[] image) {}

    @Test
    void kdumpEntryEndsInTheKernelBigEndianWithEverythingHandedOver() {
        Run run = crash(params(BACKUP, true), 17, ENTRY_MSR);
        Ppc64Interpreter cpu = run.cpu;
        assertAll(
                () -> assertEquals(KERNEL, cpu.pc, "pc"),
                () -> assertEquals(FDT, cpu.gpr[3], "r3 = FDT"),
                () -> assertEquals(KERNEL, cpu.gpr[4], "r4 = kernel"),
                () -> assertEquals(0, cpu.gpr[5], "r5"),
                () -> assertEquals(OPAL_BASE, cpu.gpr[8], "r8 = opal_base"),
                () -> assertEquals(OPAL_ENTRY, cpu.gpr[9], "r9 = opal_entry"),
                () -> assertEquals(0, cpu.msr & MSR_LE, "MSR[LE] cleared by rfid"),
                () -> assertEquals(ENTRY_MSR & ~MSR_LE, cpu.msr, "no other MSR bit changed"),
                () -> assertEquals(0, cpu.msr & (MSR_IR | MSR_DR | MSR_EE), "still real mode, interrupts off"),
                () -> assertEquals(1, run.memory.loadLe(KERNEL + 0x5c, 4), "run_at_load in the kernel"),
                () -> assertEquals(CPU_ID, run.memory.loadBe(FDT + 28, 4), "boot_cpuid_phys"),
                () -> assertEquals(1, cpu.priorityLowHints, "priority lowered once"),
                () -> assertEquals(1, cpu.priorityMediumHints, "priority restored once"),
                () -> assertTrue(cpu.steps > 0x10000, "secondaries were given time: " + cpu.steps));
    }

    @Test
    void backupHoldsPhysicalZeroAsItWasWhenPurgatoryStarted() {
        Run run = crash(params(BACKUP, true), 17, ENTRY_MSR);
        byte[] backup = run.memory.read(BACKUP, BACKUP_SIZE);
        assertArrayEquals(run.lowMemoryAtEntry, backup);
        // kexec_sequence had already put our head (the kernel's first 256 bytes) at 0.
        assertArrayEquals(Arrays.copyOf(run.image, 0x100), Arrays.copyOf(backup, 0x100));
        assertArrayEquals(crashedKernelLowMemory(0x100, BACKUP_SIZE), Arrays.copyOfRange(backup, 0x100, BACKUP_SIZE));
    }

    @Test
    void storesOnlyTheBackupBootCpuAndRunAtLoad() {
        Run run = crash(params(BACKUP, true), 17, ENTRY_MSR);
        List<PhysicalMemory.Store> stores = run.memory.stores();
        for (PhysicalMemory.Store s : stores) {
            boolean inBackup = s.address() >= BACKUP && s.end() <= BACKUP + BACKUP_SIZE;
            boolean bootCpu = s.address() == FDT + 28 && s.size() == 4;
            boolean runAtLoad = s.address() == KERNEL + 0x5c && s.size() == 4;
            assertTrue(inBackup || bootCpu || runAtLoad, "unexpected store " + s);
        }
        assertEquals(BACKUP_SIZE / 8 + 2, stores.size());
    }

    @Test
    void noBackupWhenBackupStartIsZero() {
        Run run = crash(params(0, true), 17, ENTRY_MSR);
        assertEquals(KERNEL, run.cpu.pc);
        assertTrue(
                run.memory.stores().stream().allMatch(s -> s.address() == FDT + 28 || s.address() == KERNEL + 0x5c),
                run.memory.stores().toString());
        assertArrayEquals(new byte[BACKUP_SIZE], run.memory.read(BACKUP, BACKUP_SIZE), "backup area untouched");
    }

    @Test
    void oldFdtVersionGetsNoBootCpuid() {
        Run run = crash(params(BACKUP, true), 1, ENTRY_MSR);
        assertEquals(0, run.memory.loadBe(FDT + 28, 4));
        assertEquals(KERNEL, run.cpu.pc);
    }

    @Test
    void fdtVersionTwoIsTheFirstWithBootCpuid() {
        Run run = crash(params(BACKUP, true), 2, ENTRY_MSR);
        assertEquals(CPU_ID, run.memory.loadBe(FDT + 28, 4));
    }

    @Test
    void regularKexecKeepsTheKernelsRunAtLoadWord() {
        Run run = crash(params(0, false), 17, ENTRY_MSR);
        assertEquals(KERNEL_RUN_AT_LOAD_DEFAULT, run.memory.loadLe(KERNEL + 0x5c, 4));
    }

    @Test
    void bigEndianMsrBranchesThroughCtrAndLeavesMsrAlone() {
        long msr = ENTRY_MSR & ~MSR_LE;
        Run run = crash(params(BACKUP, true), 17, msr);
        assertEquals(KERNEL, run.cpu.pc);
        assertEquals(msr, run.cpu.msr);
        assertEquals(KERNEL, run.cpu.ctr);
        assertEquals(FDT, run.cpu.gpr[3]);
    }

    @Test
    void doesNotDependOnRegistersOtherThanR3() {
        Run a = crash(params(BACKUP, true), 17, ENTRY_MSR, 0x1111_1111_1111_1111L);
        Run b = crash(params(BACKUP, true), 17, ENTRY_MSR, 0x7777_0000_ffff_0000L);
        assertEquals(a.cpu.steps, b.cpu.steps);
        for (int r : new int[] {3, 4, 5, 8, 9}) {
            assertEquals(a.cpu.gpr[r], b.cpu.gpr[r], "r" + r);
        }
        assertArrayEquals(a.memory.read(BACKUP, BACKUP_SIZE), b.memory.read(BACKUP, BACKUP_SIZE));
    }

    @Test
    void secondariesFindTheKernelsOwnCodeAtPhysical0x60() {
        Run run = crash(params(BACKUP, true), 17, ENTRY_MSR);
        assertArrayEquals(Arrays.copyOfRange(kernelHead(), 0x60, 0x100), run.memory.read(0x60, 0xa0));
        assertFalse(Arrays.equals(Arrays.copyOf(kernelHead(), 4), run.memory.read(0, 4)), "word 0 is our branch");
    }

    // ---- scenario ----

    private static Run crash(PurgatoryParams p, int fdtVersion, long msr) {
        return crash(p, fdtVersion, msr, 0xdead_beef_dead_beefL);
    }

    private static Run crash(PurgatoryParams p, int fdtVersion, long msr, long junk) {
        PhysicalMemory mem = new PhysicalMemory();
        // What the crashed kernel left in the first 64 KiB.
        mem.write(0, crashedKernelLowMemory(0, BACKUP_SIZE));
        // Segments as kexec_load placed them in the crashkernel area.
        byte[] kernel = Arrays.copyOf(kernelHead(), 0x1000);
        mem.write(KERNEL, kernel);
        mem.write(BACKUP, new byte[BACKUP_SIZE]);
        mem.write(FDT, fdtHeader(fdtVersion));
        byte[] image = Purgatory.build(p, PURGATORY);
        mem.write(PURGATORY, image);

        // kexec_sequence: copy 0x100 bytes at image->start to 0, then enter with r3/r4/r5.
        long entry = PURGATORY + Purgatory.entryOffset();
        mem.write(0, mem.read(entry, 0x100));
        byte[] lowMemoryAtEntry = mem.read(0, BACKUP_SIZE);
        Ppc64Interpreter cpu = new Ppc64Interpreter(mem);
        Arrays.fill(cpu.gpr, junk);
        cpu.ctr = junk;
        cpu.srr0 = junk;
        cpu.srr1 = junk;
        cpu.cr = (int) junk;
        cpu.gpr[3] = CPU_ID;
        cpu.gpr[4] = entry;
        cpu.gpr[5] = 0;
        cpu.lr = entry;
        cpu.msr = msr;
        cpu.pc = entry;
        mem.recordStores(true);
        cpu.runUntil(KERNEL, MAX_STEPS);
        return new Run(mem, cpu, lowMemoryAtEntry, image);
    }

    private static PurgatoryParams params(long backupStart, boolean runAtLoad) {
        return new PurgatoryParams(KERNEL, FDT, backupStart, OPAL_BASE, OPAL_ENTRY, runAtLoad, kernelHead());
    }

    /** A recognisable kernel head with the real kernel's "run0" default at +0x5c. */
    static byte[] kernelHead() {
        byte[] head = new byte[0x100];
        for (int i = 0; i < head.length; i++) {
            head[i] = (byte) (0x80 + i * 3);
        }
        Purgatory.putLe(head, 0x5c, KERNEL_RUN_AT_LOAD_DEFAULT, 4);
        return head;
    }

    private static byte[] crashedKernelLowMemory(int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = from; i < to; i++) {
            b[i - from] = (byte) (i * 7 + (i >>> 8) + 3);
        }
        return b;
    }

    private static byte[] fdtHeader(int version) {
        byte[] h = new byte[0x40];
        putBe(h, 0, 0xd00dfeedL);
        putBe(h, 4, 0x1000);
        putBe(h, 20, version);
        putBe(h, 24, 16);
        return h;
    }

    private static void putBe(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (24 - 8 * i));
        }
    }
}
