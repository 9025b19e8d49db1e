package org.jkexec.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import org.jkexec.kexec.Segment;

/**
 * The {@code struct kexec_segment} array kexec_load(2) reads, in native memory
 * (include/uapi/linux/kexec.h):
 *
 * <pre>
 * struct kexec_segment {
 *     const void *buf;   // user-space source
 *     size_t bufsz;      // bytes to copy
 *     const void *mem;   // physical destination
 *     size_t memsz;      // bytes reserved there, page aligned; the rest is zeroed
 * };
 * </pre>
 *
 * Four machine words, so 32 bytes per entry on 64-bit hosts. Each buffer gets its own native
 * copy; all of it stays allocated until {@link #close()}, which must come after the syscall.
 */
final class KexecSegmentTable implements AutoCloseable {
    static final int WORD = Native.POINTER_SIZE;
    static final int BUF_OFFSET = 0;
    static final int BUFSZ_OFFSET = WORD;
    static final int MEM_OFFSET = 2 * WORD;
    static final int MEMSZ_OFFSET = 3 * WORD;
    static final int ENTRY_SIZE = 4 * WORD;

    private final Memory table;
    private final List<Memory> buffers;
    private final int count;

    private KexecSegmentTable(Memory table, List<Memory> buffers, int count) {
        this.table = table;
        this.buffers = buffers;
        this.count = count;
    }

    static KexecSegmentTable of(List<Segment> segments) {
        if (Native.SIZE_T_SIZE != WORD) {
            throw new IllegalStateException("size_t and pointers differ in size on this host");
        }
        if (segments.isEmpty()) {
            return new KexecSegmentTable(null, List.of(), 0);
        }
        Memory table = new Memory((long) ENTRY_SIZE * segments.size());
        List<Memory> buffers = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            long at = (long) i * ENTRY_SIZE;
            Pointer buf = null;
            if (s.bufsz() > 0) {
                Memory copy = new Memory(s.bufsz());
                copy.write(0, s.buffer(), 0, s.buffer().length);
                buffers.add(copy);
                buf = copy;
            }
            table.setPointer(at + BUF_OFFSET, buf);
            putWord(table, at + BUFSZ_OFFSET, s.bufsz());
            putWord(table, at + MEM_OFFSET, s.mem());
            putWord(table, at + MEMSZ_OFFSET, s.memsz());
        }
        return new KexecSegmentTable(table, buffers, segments.size());
    }

    /** Address of the first entry (NULL for an empty table, as an unload passes). */
    Pointer address() {
        return table;
    }

    int count() {
        return count;
    }

    @Override
    public void close() {
        buffers.forEach(Memory::close);
        if (table != null) {
            table.close();
        }
    }

    private static void putWord(Memory m, long offset, long value) {
        if (WORD == 8) {
            m.setLong(offset, value);
        } else {
            m.setInt(offset, (int) value);
        }
    }
}
