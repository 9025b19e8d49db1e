package org.jkexec.purgatory;

import static org.jkexec.purgatory.PurgatoryLayout.HEAD_SIZE;
import static org.jkexec.purgatory.PurgatoryLayout.RUN_AT_LOAD_OFFSET;
import static org.jkexec.purgatory.PurgatoryLayout.SECONDARY_ENTRY_OFFSET;

import java.nio.charset.StandardCharsets;
import org.jkexec.purgatory.Ppc64Assembler.Label;

/**
 * The purgatory program text, assembled once into a template with all data words zero.
 *
 * <h2>Entry contract (what the running kernel does before jumping here)</h2>
 * On the crashing CPU, {@code default_machine_kexec} (arch/powerpc/kexec/core_64.c) calls
 * {@code kexec_sequence} (arch/powerpc/kernel/misc_64.S), which: disables external interrupts
 * (MSR[EE]=0); copies the segments and flushes the caches ({@code kexec_copy_flush}); switches to
 * real mode with an rfid that clears only MSR[IR] and MSR[DR], so MSR[LE] stays as the running
 * kernel had it (set on ppc64le) and we are 64-bit; copies the 0x100 bytes at {@code image->start}
 * to physical 0; releases the other CPUs, which rfid to physical 0x60 with MSR[LE] cleared and
 * r3 = their hardware CPU id; then jumps to {@code image->start} with r3 = this CPU's hardware id,
 * r4 = {@code image->start}, r5 = 0 (LR = {@code image->start}).
 *
 * <p>Hence: the image is entered at offset 0, its first 0x100 bytes must be the next kernel's head
 * (so the secondaries find the kernel's own hold loop at 0x60), and bytes 0..0xff of the crashed
 * kernel are already gone when we take the backup of physical 0..64 KiB.
 *
 * <h2>What the boot CPU does here</h2>
 * <ol>
 *   <li>Drop to low SMT priority, save the CPU id, find our own address with bcl/mflr (the code is
 *       position independent; data is addressed relative to label {@code here}).</li>
 *   <li>If {@code backup_start != 0}: copy {@code backup_dwords} doublewords (64 KiB as the kernel
 *       does, more when the planner enlarged the backup region) from physical 0 to
 *       {@code backup_start} (the kdump kernel exposes it as the start of /proc/vmcore's memory).</li>
 *   <li>Back to medium priority; spin 0x10000 times so the secondaries are parked in the kernel's
 *       code at 0x60 before the new kernel touches 0..0x100 again.</li>
 *   <li>r3 = FDT; if its header version (BE u32 at +20) is ≥ 2, write our CPU id as BE u32 into
 *       {@code boot_cpuid_phys} (+28). We execute little-endian, so the byte-reversed forms
 *       lwbrx/stwbrx give big-endian accesses.</li>
 *   <li>r8 = {@code opal_base}, r9 = {@code opal_entry}, r4 = kernel; copy our word at +0x5c
 *       ({@code run_at_load}) to kernel+0x5c; r5 = 0; sync.</li>
 *   <li>If MSR[LE] is set, enter the kernel big-endian through srr0/srr1/rfid with LE cleared,
 *       as the kernel's own purgatory (arch/powerpc/purgatory/trampoline_64.S) does: a ppc64
 *       kernel is entered big-endian, its first instructions switch to its own byte order. Else
 *       branch to it through CTR.</li>
 * </ol>
 * The MSR[LE]=0 branch mirrors the kernel's purgatory; our words are little-endian, so in practice
 * the image only runs on ppc64le hosts (org.jkexec.linux.KexecLoader refuses others).
 */
final class PurgatoryProgram {
    // General-purpose registers, named by their role here.
    private static final int R0_TMP = 0;
    private static final int R3 = 3;
    private static final int R4 = 4;
    private static final int R5 = 5;
    private static final int R6 = 6;
    private static final int R8_OPAL_BASE = 8;
    private static final int R9_OPAL_ENTRY = 9;
    private static final int R10_TMP = 10;
    private static final int R11_MSR = 11;
    private static final int R17_CPU_ID = 17;
    private static final int R18_HERE = 18;

    private static final int SECONDARY_SPIN_COUNT = 0x10000; // loaded with lis, so a multiple of 0x10000
    private static final int FDT_VERSION_OFFSET = 20;
    private static final int FDT_BOOT_CPUID_OFFSET = 28;
    private static final int MSR_LE = 1; // MSR bit 63 (ISA numbering)

    static final PurgatoryProgram INSTANCE = new PurgatoryProgram();

    private final byte[] template;
    private final PurgatoryLayout layout;

    private PurgatoryProgram() {
        Ppc64Assembler a = new Ppc64Assembler();
        Label master = a.newLabel("master");
        Label runAtLoad = a.newLabel("run_at_load");
        Label here = a.newLabel("here");
        Label copyLoop = a.newLabel("copy_loop");
        Label skipBackup = a.newLabel("skip_backup");
        Label spin = a.newLabel("spin");
        Label skipCpuId = a.newLabel("skip_cpuid");
        Label bigEndianEntry = a.newLabel("big_endian_entry");
        Label magic = a.newLabel("magic");
        Label kernel = a.newLabel("kernel");
        Label dtOffset = a.newLabel("dt_offset");
        Label backupStart = a.newLabel("backup_start");
        Label backupDwords = a.newLabel("backup_dwords");
        Label opalBase = a.newLabel("opal_base");
        Label opalEntry = a.newLabel("opal_entry");

        // ---- head: replaced by the kernel's first 256 bytes except word 0 ----
        a.b(master);
        a.padTo(RUN_AT_LOAD_OFFSET).bind(runAtLoad).data32(0);
        // A secondary that somehow ran the unpatched template would just spin here.
        a.padTo(SECONDARY_ENTRY_OFFSET).emit(Ppc64Encoder.b(0, false));
        a.padTo(HEAD_SIZE);

        // ---- boot CPU ----
        a.bind(master);
        a.priorityLow().isync();
        a.mr(R17_CPU_ID, R3);
        a.bclAlways(here);
        a.bind(here).mflr(R18_HERE);

        a.ld(R3, backupStart, here, R18_HERE); // r3 = destination
        a.cmpdi(R3, 0).beq(skipBackup);
        a.li(R4, 0); // r4 = source, physical 0
        a.ld(R5, backupDwords, here, R18_HERE).mtctr(R5);
        a.bind(copyLoop);
        a.ld(R0_TMP, 0, R4).std(R0_TMP, 0, R3);
        a.addi(R4, R4, 8).addi(R3, R3, 8);
        a.bdnz(copyLoop);
        a.bind(skipBackup);

        a.priorityMedium();
        a.lis(R6, SECONDARY_SPIN_COUNT >>> 16).mtctr(R6);
        a.bind(spin).bdnz(spin);

        a.ld(R3, dtOffset, here, R18_HERE); // r3 = FDT, kept for the kernel
        a.li(R4, FDT_VERSION_OFFSET).lwbrx(R6, R3, R4);
        a.cmpdi(R6, 2).blt(skipCpuId); // r6 is a zero-extended u32
        a.li(R4, FDT_BOOT_CPUID_OFFSET).stwbrx(R17_CPU_ID, R3, R4);
        a.bind(skipCpuId);

        a.ld(R8_OPAL_BASE, opalBase, here, R18_HERE);
        a.ld(R9_OPAL_ENTRY, opalEntry, here, R18_HERE);
        a.ld(R4, kernel, here, R18_HERE); // r4 = kernel
        a.lwz(R6, runAtLoad, here, R18_HERE).stw(R6, RUN_AT_LOAD_OFFSET, R4);
        a.li(R5, 0);
        a.sync();

        a.mfmsr(R11_MSR);
        a.andiDot(R10_TMP, R11_MSR, MSR_LE).bne(bigEndianEntry);
        a.mtctr(R4).bctr();
        a.bind(bigEndianEntry);
        a.mtsrr0(R4);
        a.clrrdi(R11_MSR, R11_MSR, 1); // clear MSR[LE]
        a.mtsrr1(R11_MSR);
        a.rfid();

        // ---- data, patched by Purgatory.build ----
        a.align(8);
        a.bind(magic).bytes(PurgatoryLayout.MAGIC.getBytes(StandardCharsets.US_ASCII));
        a.bind(kernel).data64(0);
        a.bind(dtOffset).data64(0);
        a.bind(backupStart).data64(0);
        a.bind(opalBase).data64(0);
        a.bind(opalEntry).data64(0);
        a.bind(backupDwords).data64(0);

        template = a.assemble();
        layout = new PurgatoryLayout(
                Ppc64Assembler.offsetOf(master),
                Ppc64Assembler.offsetOf(magic),
                Ppc64Assembler.offsetOf(kernel),
                Ppc64Assembler.offsetOf(dtOffset),
                Ppc64Assembler.offsetOf(backupStart),
                Ppc64Assembler.offsetOf(opalBase),
                Ppc64Assembler.offsetOf(opalEntry),
                Ppc64Assembler.offsetOf(backupDwords),
                template.length);
    }

    PurgatoryLayout layout() {
        return layout;
    }

    /** A fresh copy of the image with every patchable field zero. */
    byte[] template() {
        return template.clone();
    }
}
