package org.jkexec.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jkexec.JkexecException;

/**
 * An ELF64 file's header and program headers, read from bytes in either byte order. Only
 * what kexec needs: the loader looks at program headers, never at sections. Every offset
 * and count is checked against the bytes present before it is used.
 */
public final class ElfFile {
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;
    public static final int EM_PPC64 = 21;
    public static final int EHDR_SIZE = 64;
    /** More program headers than this is not a kernel or a core header we could have made. */
    private static final int MAX_PHNUM = 0xffff;

    private final String source;
    /** The file's bytes: an array read whole, or a read-only view of a mapped file (absolute reads only). */
    private final ByteBuffer data;

    private final ByteOrder order;
    private final int type;
    private final int machine;
    private final long entry;
    private final long phoff;
    private final int flags;
    private final List<ProgramHeader> programHeaders;

    private ElfFile(
            String source,
            ByteBuffer data,
            ByteOrder order,
            int type,
            int machine,
            long entry,
            long phoff,
            int flags,
            List<ProgramHeader> phdrs) {
        this.source = source;
        this.data = data;
        this.order = order;
        this.type = type;
        this.machine = machine;
        this.entry = entry;
        this.phoff = phoff;
        this.flags = flags;
        this.programHeaders = phdrs;
    }

    /**
     * Parses the ELF header and program headers of {@code data}. {@code data} may be just a
     * prefix of a file (e.g. the first 64 KiB of /proc/vmcore) as long as the headers are in it.
     */
    public static ElfFile parse(byte[] data, String source) {
        return parse(ByteBuffer.wrap(data), source);
    }

    /** As {@link #parse(byte[], String)} for bytes in a buffer (a mapped file): its whole capacity is the file. */
    public static ElfFile parse(ByteBuffer data, String source) {
        int length = data.capacity();
        if (length < EHDR_SIZE) {
            throw JkexecException.badInput(source, "not an ELF file (only " + length + " bytes)");
        }
        if (data.get(0) != 0x7f || data.get(1) != 'E' || data.get(2) != 'L' || data.get(3) != 'F') {
            throw JkexecException.badInput(source, "not an ELF file (bad magic)");
        }
        if (data.get(4) != 2) {
            throw JkexecException.badInput(source, "not a 64-bit ELF file (EI_CLASS " + data.get(4) + ")");
        }
        ByteOrder order = switch (data.get(5)) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw JkexecException.badInput(source, "bad ELF byte order (EI_DATA " + data.get(5) + ")");
        };
        ByteBuffer b = data.duplicate().order(order);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int flags = b.getInt(48);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        if (phnum > 0 && phentsize != ProgramHeader.SIZE) {
            throw JkexecException.badInput(source, "program header size " + phentsize + ", expected 56");
        }
        if (phnum > MAX_PHNUM) {
            throw JkexecException.badInput(source, "too many program headers: " + phnum);
        }
        long tableEnd = phoff + (long) phnum * ProgramHeader.SIZE;
        if (phnum > 0 && (phoff < 0 || phoff > length || tableEnd > length || tableEnd < phoff)) {
            throw JkexecException.badInput(
                    source,
                    String.format(
                            "program headers at 0x%x (%d of them) extend past the end of the file (%d bytes)",
                            phoff, phnum, length));
        }
        List<ProgramHeader> phdrs = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int o = (int) phoff + i * ProgramHeader.SIZE;
            phdrs.add(new ProgramHeader(
                    b.getInt(o),
                    b.getInt(o + 4),
                    b.getLong(o + 8),
                    b.getLong(o + 16),
                    b.getLong(o + 24),
                    b.getLong(o + 32),
                    b.getLong(o + 40),
                    b.getLong(o + 48)));
        }
        return new ElfFile(
                source,
                data.duplicate(),
                order,
                type,
                machine,
                entry,
                phoff,
                flags,
                Collections.unmodifiableList(phdrs));
    }

    public String source() {
        return source;
    }

    public ByteOrder byteOrder() {
        return order;
    }

    public boolean isLittleEndian() {
        return order == ByteOrder.LITTLE_ENDIAN;
    }

    public int type() {
        return type;
    }

    public int machine() {
        return machine;
    }

    public long entry() {
        return entry;
    }

    public long phoff() {
        return phoff;
    }

    public int flags() {
        return flags;
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    public List<ProgramHeader> loadSegments() {
        List<ProgramHeader> loads = new ArrayList<>();
        for (ProgramHeader h : programHeaders) {
            if (h.isLoad()) {
                loads.add(h);
            }
        }
        return List.copyOf(loads);
    }

    /** Total length of the underlying bytes. */
    public int length() {
        return data.capacity();
    }

    /**
     * How many of the segment's bytes the file holds ({@link #segmentData}'s length), checked
     * without copying them (a kernel's are tens of MiB).
     */
    public long segmentFileSize(ProgramHeader ph) {
        long size = Long.compareUnsigned(ph.filesz(), ph.memsz()) <= 0 ? ph.filesz() : ph.memsz();
        if (ph.offset() < 0 || size < 0 || ph.offset() + size > length() || ph.offset() + size < ph.offset()) {
            throw JkexecException.badInput(
                    source,
                    String.format(
                            "segment at file offset 0x%x size 0x%x extends past the end of the file (%d bytes)",
                            ph.offset(), size, length()));
        }
        return size;
    }

    /**
     * The file bytes of a segment ({@code p_filesz} bytes at {@code p_offset}, clipped to
     * {@code p_memsz}); a segment reaching past the end of the file is a bad input.
     */
    public byte[] segmentData(ProgramHeader ph) {
        long size = segmentFileSize(ph);
        byte[] out = new byte[(int) size];
        data.get((int) ph.offset(), out, 0, (int) size);
        return out;
    }

    /**
     * As {@link #segmentData} without copying: a view of the file's bytes (of the mapped file,
     * when the kernel was mapped), so a large PT_LOAD is not copied onto the heap to be planned.
     */
    public ByteBuffer segmentView(ProgramHeader ph) {
        long size = segmentFileSize(ph);
        return data.slice((int) ph.offset(), (int) size);
    }

    /** Bytes of the file from {@code offset}, {@code length} long, checked. */
    public byte[] bytes(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > length()) {
            throw JkexecException.badInput(
                    source, String.format("read of %d bytes at 0x%x is past the end", length, offset));
        }
        byte[] out = new byte[length];
        data.get((int) offset, out, 0, length);
        return out;
    }

    /** Notes of every PT_NOTE segment whose bytes are in the file. */
    public List<ElfNote> notes() {
        List<ElfNote> out = new ArrayList<>();
        for (ProgramHeader ph : programHeaders) {
            if (ph.isNote()) {
                out.addAll(parseNotes(segmentData(ph), order, source));
            }
        }
        return out;
    }

    /** Parses a sequence of notes (Elf64_Nhdr, 4-byte aligned name and descriptor). */
    public static List<ElfNote> parseNotes(byte[] bytes, ByteOrder order, String source) {
        List<ElfNote> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        int pos = 0;
        while (pos + 12 <= bytes.length) {
            long namesz = Integer.toUnsignedLong(b.getInt(pos));
            long descsz = Integer.toUnsignedLong(b.getInt(pos + 4));
            int type = b.getInt(pos + 8);
            if (namesz == 0 && descsz == 0 && type == 0) {
                break; // zero padding after the last note
            }
            long nameEnd = pos + 12L + namesz;
            long descStart = pos + 12L + align4(namesz);
            long descEnd = descStart + descsz;
            if (nameEnd > bytes.length || descEnd > bytes.length) {
                throw JkexecException.badInput(
                        source,
                        String.format(
                                "note at offset %d claims name %d / descriptor %d bytes, past the end (%d bytes)",
                                pos, namesz, descsz, bytes.length));
            }
            int nlen = (int) namesz;
            while (nlen > 0 && bytes[pos + 12 + nlen - 1] == 0) {
                nlen--;
            }
            String name = new String(bytes, pos + 12, nlen, java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] desc = new byte[(int) descsz];
            System.arraycopy(bytes, (int) descStart, desc, 0, (int) descsz);
            out.add(new ElfNote(name, type, desc));
            pos = (int) (descStart + align4(descsz));
        }
        return out;
    }

    private static long align4(long v) {
        return (v + 3) & ~3L;
    }
}
