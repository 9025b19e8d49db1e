package org.jkexec.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What a kdump kernel makes of an ELF core header: /proc/vmcore's own ELF header, as
 * fs/proc/vmcore.c builds it. All PT_NOTEs are merged into one (their real note sizes summed)
 * placed at the first page boundary after the headers; each PT_LOAD gets the page-rounded
 * span of its source and a new file offset; the file is headers (page-rounded) + notes
 * (page-rounded) + those spans.
 */
public final class VmcoreView {
    /** Size of one ppc64 NT_PRSTATUS note: 12-byte header, "CORE" padded to 8, 504-byte elf_prstatus. */
    public static final long PPC64_PRSTATUS_NOTE = 12 + 8 + 504;

    private final byte[] header;
    private final long size;
    private final List<ProgramHeader> loads;

    private VmcoreView(byte[] header, long size, List<ProgramHeader> loads) {
        this.header = header;
        this.size = size;
        this.loads = loads;
    }

    /** Size of the VMCOREINFO note holding {@code dataLength} bytes of text. */
    public static long vmcoreinfoNoteSize(long dataLength) {
        return 12 + 12 + ((dataLength + 3) & ~3L);
    }

    /**
     * @param coreHeader the ELF core header the loader built
     * @param noteSizes  real size of the notes behind each PT_NOTE, in header order
     * @param pageSize   the kdump kernel's page size
     * @param noteAlign  p_align the kernel gives the merged PT_NOTE (4 since Linux 6.x's fix, 0 before)
     */
    public static VmcoreView of(byte[] coreHeader, List<Long> noteSizes, long pageSize, long noteAlign) {
        ElfFile elf = ElfFile.parse(coreHeader, "elfcorehdr");
        ByteOrder order = elf.byteOrder();
        List<ProgramHeader> ph = elf.programHeaders();
        long notesTotal = 0;
        int nrNotes = 0;
        for (ProgramHeader p : ph) {
            if (p.isNote()) {
                if (nrNotes >= noteSizes.size()) {
                    throw new IllegalArgumentException("no real size given for PT_NOTE " + nrNotes);
                }
                notesTotal += noteSizes.get(nrNotes++);
            }
        }
        int phnum = ph.size() - nrNotes + 1;
        long headerBytes = ElfFile.EHDR_SIZE + (long) phnum * ProgramHeader.SIZE;
        long elfsz = roundUp(headerBytes, pageSize);
        long notesSz = roundUp(notesTotal, pageSize);
        List<ProgramHeader> out = new ArrayList<>();
        out.add(new ProgramHeader(
                ProgramHeader.PT_NOTE,
                0,
                roundUp(ElfFile.EHDR_SIZE + (long) phnum * ProgramHeader.SIZE, pageSize),
                0,
                0,
                notesTotal,
                notesTotal,
                noteAlign));
        long off = elfsz + notesSz;
        List<ProgramHeader> loads = new ArrayList<>();
        for (ProgramHeader p : ph) {
            if (p.isNote()) {
                continue;
            }
            long start = p.offset() & -pageSize;
            long end = roundUp(p.offset() + p.memsz(), pageSize);
            ProgramHeader moved = new ProgramHeader(
                    p.type(),
                    p.flags(),
                    off + (p.offset() - start),
                    p.vaddr(),
                    p.paddr(),
                    p.filesz(),
                    p.memsz(),
                    p.align());
            out.add(moved);
            if (p.isLoad()) {
                loads.add(moved);
            }
            off += end - start;
        }
        ByteBuffer b = ByteBuffer.allocate((int) elfsz).order(order);
        b.put(ByteBuffer.wrap(coreHeader, 0, ElfFile.EHDR_SIZE));
        b.putShort(56, (short) phnum);
        int o = ElfFile.EHDR_SIZE;
        for (ProgramHeader p : out) {
            ElfCoreHeader.writePhdr(b, o, p);
            o += ProgramHeader.SIZE;
        }
        return new VmcoreView(b.array(), off, loads);
    }

    /** The first page(s) of /proc/vmcore: ELF header and program headers, zero-padded. */
    public byte[] header() {
        return header.clone();
    }

    /** Size of /proc/vmcore. */
    public long size() {
        return size;
    }

    /** PT_LOADs with their /proc/vmcore offsets. */
    public List<ProgramHeader> loads() {
        return loads;
    }

    static long roundUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
