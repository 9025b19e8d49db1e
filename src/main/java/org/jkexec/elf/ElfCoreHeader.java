package org.jkexec.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.memory.MemRange;

/**
 * Builds the ELF core header a kdump kernel reads at {@code elfcorehdr=}, the way
 * {@code crash_prepare_elf64_headers} (kernel/crash_core.c) lays it out: an Elf64_Ehdr, one
 * PT_NOTE per possible CPU, one for vmcoreinfo, one PT_LOAD per crash memory range; room for
 * one more header (the kernel-text map the kernel reserves but ppc64 does not emit); the
 * whole rounded up to 4 KiB and zero-filled.
 */
public final class ElfCoreHeader {
    public static final int ALIGN = 4096;
    /**
     * Most program headers a core header can give: e_phnum is 16 bits, and its largest value,
     * 0xffff (PN_XNUM), means "the count is in section header 0", an extension the kdump
     * kernel's /proc/vmcore reader (parse_crash_elf64_headers, fs/proc/vmcore.c) does not
     * follow: it takes e_phnum as the count. So a machine needing more headers is refused rather
     * than given a count modulo 65,536 (a dump silently missing most of RAM) or an escape the
     * reader takes literally.
     */
    public static final int MAX_PHNUM = 0xfffe;

    private ElfCoreHeader() {}

    /** A PT_NOTE's source: physical address and size of a note buffer. */
    public record NoteBuffer(long address, long size) {}

    /**
     * @param cpuNotes   per possible CPU in CPU-number order
     * @param vmcoreinfo the vmcoreinfo note buffer
     * @param loads      crash memory ranges, one PT_LOAD each, in this order
     * @param pageOffset virtual address of physical 0 (0xc000000000000000 on ppc64)
     * @param order      byte order of the fields (the header's EI_DATA says little endian, as
     *                   the kernel hard-codes; ppc64le is the target)
     */
    public static byte[] build(
            List<NoteBuffer> cpuNotes, NoteBuffer vmcoreinfo, List<MemRange> loads, long pageOffset, ByteOrder order) {
        long headers = cpuNotes.size() + 1L + loads.size();
        if (headers > MAX_PHNUM) {
            throw JkexecException.badInput(
                    "ELF core header",
                    String.format(
                            "the crashed machine needs %,d program headers "
                                    + "(%,d CPU notes, 1 vmcoreinfo, %,d memory ranges) but e_phnum holds at most %,d (0xffff is PN_XNUM, "
                                    + "which the kdump kernel's /proc/vmcore reader does not follow)",
                            headers, cpuNotes.size(), loads.size(), MAX_PHNUM));
        }
        int nrPhdr = cpuNotes.size() + 1 + loads.size() + 1;
        long unaligned = ElfFile.EHDR_SIZE + (long) nrPhdr * ProgramHeader.SIZE;
        long size = (unaligned + ALIGN - 1) & -(long) ALIGN;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ELF core header of " + nrPhdr + " program headers is too large");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(order);
        List<ProgramHeader> phdrs = new ArrayList<>(nrPhdr);
        for (NoteBuffer n : cpuNotes) {
            phdrs.add(new ProgramHeader(ProgramHeader.PT_NOTE, 0, n.address(), 0, n.address(), n.size(), n.size(), 0));
        }
        phdrs.add(new ProgramHeader(
                ProgramHeader.PT_NOTE,
                0,
                vmcoreinfo.address(),
                0,
                vmcoreinfo.address(),
                vmcoreinfo.size(),
                vmcoreinfo.size(),
                0));
        int rwx = ProgramHeader.PF_R | ProgramHeader.PF_W | ProgramHeader.PF_X;
        for (MemRange r : loads) {
            phdrs.add(new ProgramHeader(
                    ProgramHeader.PT_LOAD, rwx, r.start(), r.start() + pageOffset, r.start(), r.size(), r.size(), 0));
        }
        writeEhdr(b, phdrs.size());
        int o = ElfFile.EHDR_SIZE;
        for (ProgramHeader p : phdrs) {
            writePhdr(b, o, p);
            o += ProgramHeader.SIZE;
        }
        return b.array();
    }

    private static void writeEhdr(ByteBuffer b, int phnum) {
        b.put(0, (byte) 0x7f).put(1, (byte) 'E').put(2, (byte) 'L').put(3, (byte) 'F');
        b.put(4, (byte) 2); // ELFCLASS64
        b.put(5, (byte) 1); // ELFDATA2LSB, hard-coded by the kernel
        b.put(6, (byte) 1); // EV_CURRENT
        b.put(7, (byte) 0); // ELFOSABI_NONE
        b.putShort(16, (short) ElfFile.ET_CORE);
        b.putShort(18, (short) ElfFile.EM_PPC64);
        b.putInt(20, 1);
        b.putLong(24, 0);
        b.putLong(32, ElfFile.EHDR_SIZE);
        b.putLong(40, 0);
        b.putInt(48, 0);
        b.putShort(52, (short) ElfFile.EHDR_SIZE);
        b.putShort(54, (short) ProgramHeader.SIZE);
        b.putShort(56, (short) phnum);
    }

    /** Writes one Elf64_Phdr at {@code offset}. */
    public static void writePhdr(ByteBuffer b, int offset, ProgramHeader p) {
        b.putInt(offset, p.type());
        b.putInt(offset + 4, p.flags());
        b.putLong(offset + 8, p.offset());
        b.putLong(offset + 16, p.vaddr());
        b.putLong(offset + 24, p.paddr());
        b.putLong(offset + 32, p.filesz());
        b.putLong(offset + 40, p.memsz());
        b.putLong(offset + 48, p.align());
    }

    /**
     * Points the PT_LOAD that starts at physical {@code sourceAddress} at {@code newOffset}
     * (the backup copy of the first 64 KiB), looping over every header (the fix of
     * "powerpc/kexec_file: fix backup region offset update"). Returns false if none matched.
     */
    public static boolean redirectLoad(byte[] header, long sourceAddress, long newOffset, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(header).order(order);
        int phnum = Short.toUnsignedInt(b.getShort(56));
        for (int i = 0; i < phnum; i++) {
            int o = ElfFile.EHDR_SIZE + i * ProgramHeader.SIZE;
            if (b.getInt(o) == ProgramHeader.PT_LOAD && b.getLong(o + 24) == sourceAddress) {
                b.putLong(o + 8, newOffset);
                return true;
            }
        }
        return false;
    }
}
