package org.jkexec.fdt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DTB strings block with libfdt's lookup rule.
 *
 * <p>libfdt's {@code fdt_find_string_} returns the first byte position at which the name
 * followed by a NUL occurs, so a name is found inside a longer string when it is that string's
 * tail ("cells" is found in "#size-cells"). dtc's {@code stringtable_insert} uses the same rule
 * when it writes a blob. A name that is not found is appended with its NUL. Bytes are never
 * removed: names of deleted properties stay, as they do in libfdt.
 *
 * <p>Such a match always ends at a NUL and lies within one "run" (the bytes between two NULs),
 * so the first match is the tail of the first run that ends with the name. Runs up to
 * {@link #MAX_INDEXED_RUN} bytes have every tail in a hash index (lookups stay O(name length)
 * however large the table); longer runs, which real tables do not have, are scanned.
 *
 * <p>The index holds offsets, not strings: a tail is hashed from its NUL backwards, so the hash
 * of every tail of a run comes from one pass over the run, and a hit is confirmed against the
 * table's bytes. Reading a machine builds a fresh table and every property name is added to it,
 * so building the index must cost no more than the bytes it covers.
 */
final class StringTable {
    private static final int MAX_INDEXED_RUN = 64;
    private static final int EMPTY = 0;
    private static final int HASH_SEED = 0x2f0e1eb1;
    private static final int HASH_MULTIPLIER = 31;

    private byte[] bytes;
    private int size;

    /** Start of the bytes after the last NUL: an unterminated tail of a parsed table, or empty. */
    private int openRunStart;

    /**
     * Open-addressed index of the tails of terminated runs, one slot per distinct tail at its
     * first offset: (tail hash &lt;&lt; 32) | (offset + 1), {@link #EMPTY} when free. Built on
     * first lookup; a copy clones it (a few thousand slots in a real table).
     */
    private long[] slots;

    private int indexed;
    /** [start, nul) of runs longer than MAX_INDEXED_RUN, in table order; built with the index. */
    private List<int[]> longRuns;

    /** Decoded names by offset, for the parser (many properties share a few names). */
    private final Map<Integer, String> namesByOffset = new HashMap<>();

    StringTable() {
        this(new byte[0], 0, 0);
    }

    /** A table holding a copy of {@code len} bytes of {@code src} from {@code off}. */
    StringTable(byte[] src, int off, int len) {
        this.bytes = Arrays.copyOfRange(src, off, off + Math.max(len, 16));
        this.size = len;
        int lastNul = -1;
        for (int i = len - 1; i >= 0; i--) {
            if (bytes[i] == 0) {
                lastNul = i;
                break;
            }
        }
        this.openRunStart = lastNul + 1;
    }

    private StringTable(StringTable other) {
        this.bytes = Arrays.copyOf(other.bytes, Math.max(other.size, 16));
        this.size = other.size;
        this.openRunStart = other.openRunStart;
        if (other.slots != null) {
            this.slots = other.slots.clone();
            this.indexed = other.indexed;
            this.longRuns = new ArrayList<>(other.longRuns);
        }
        // the name cache is rebuilt lazily
    }

    StringTable copy() {
        return new StringTable(this);
    }

    int size() {
        return size;
    }

    /** The table bytes; the array may be longer than {@link #size()}. Do not modify. */
    byte[] rawBytes() {
        return bytes;
    }

    byte byteAt(int i) {
        return bytes[i];
    }

    /**
     * The NUL-terminated name starting at {@code offset}, or null when the offset is outside the
     * table or no NUL follows it inside the table (libfdt's fdt_get_string checks the same).
     * {@code decodedLength[0]} receives the number of bytes decoded for a name not seen before
     * (0 when it came from the cache), so the caller can bound the work a hostile table causes.
     */
    String nameAt(long offset, int[] decodedLength) {
        decodedLength[0] = 0;
        if (offset < 0 || offset >= size) {
            return null;
        }
        int off = (int) offset;
        String cached = namesByOffset.get(off);
        if (cached != null) {
            return cached;
        }
        int end = off;
        while (end < size && bytes[end] != 0) {
            end++;
        }
        decodedLength[0] = end - off;
        if (end == size) {
            return null;
        }
        String name = new String(bytes, off, end - off, FdtFormat.NAME_CHARSET);
        namesByOffset.put(off, name);
        return name;
    }

    /** First offset of {@code name} + NUL in the table (libfdt fdt_find_string_), or -1. */
    int find(String name) {
        ensureIndex();
        int len = name.length();
        if (len <= MAX_INDEXED_RUN) {
            int hash = HASH_SEED;
            for (int i = len - 1; i >= 0; i--) {
                hash = hash * HASH_MULTIPLIER + (nameByte(name.charAt(i)) & 0xff);
            }
            int mask = slots.length - 1;
            for (int i = spread(hash) & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
                if ((int) (slots[i] >>> 32) == hash && nameAtOffset(name, (int) slots[i] - 1)) {
                    return (int) slots[i] - 1;
                }
            }
            return -1;
        }
        byte[] nb = name.getBytes(FdtFormat.NAME_CHARSET);
        for (int[] run : longRuns) { // in table order, so the first hit is the earliest
            int start = run[1] - nb.length;
            if (start >= run[0] && Arrays.equals(bytes, start, run[1], nb, 0, nb.length)) {
                return start;
            }
        }
        return -1;
    }

    /** libfdt fdt_find_add_string_: the offset of an existing match, else appends name + NUL. */
    int findOrAppend(String name) {
        int found = find(name);
        if (found >= 0) {
            return found;
        }
        byte[] nb = name.getBytes(FdtFormat.NAME_CHARSET);
        int at = size;
        int newSize = size + nb.length + 1;
        if (newSize > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(newSize, bytes.length * 2));
        }
        System.arraycopy(nb, 0, bytes, at, nb.length);
        bytes[at + nb.length] = 0;
        size = newSize;
        // The new NUL ends a run that may begin in an unterminated tail of the parsed table.
        indexRun(openRunStart, at + nb.length);
        openRunStart = size;
        return at;
    }

    private void ensureIndex() {
        if (slots != null) {
            return;
        }
        // about one tail per byte: sized once instead of grown a dozen times while it fills
        slots = new long[Integer.highestOneBit(Math.max(8, size) * 2) * 2];
        longRuns = new ArrayList<>();
        int runStart = 0;
        for (int i = 0; i < size; i++) {
            if (bytes[i] == 0) {
                indexRun(runStart, i);
                runStart = i + 1;
            }
        }
    }

    /** Records the tails of the run [start, nul) (bytes[nul] == 0); runs are indexed in table order. */
    private void indexRun(int start, int nul) {
        if (nul - start > MAX_INDEXED_RUN) {
            longRuns.add(new int[] {start, nul});
            // its short tails go into the index too, which thus answers every name up to
            // MAX_INDEXED_RUN bytes on its own
            start = nul - MAX_INDEXED_RUN;
        }
        int hash = HASH_SEED; // the empty tail, at the NUL itself
        for (int s = nul; ; s--) {
            addIfAbsent(hash, s, nul - s);
            if (s == start) {
                return;
            }
            hash = hash * HASH_MULTIPLIER + (bytes[s - 1] & 0xff);
        }
    }

    /** Adds the tail [s, s + len) unless an equal tail, which lies earlier in the table, is indexed. */
    private void addIfAbsent(int hash, int s, int len) {
        if ((indexed + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        int i = spread(hash) & mask;
        for (; slots[i] != EMPTY; i = (i + 1) & mask) {
            if ((int) (slots[i] >>> 32) == hash && tailAt((int) slots[i] - 1, s, len)) {
                return;
            }
        }
        slots[i] = ((long) hash << 32) | (s + 1);
        indexed++;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long slot : old) {
            if (slot != EMPTY) {
                int i = spread((int) (slot >>> 32)) & mask;
                while (slots[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                slots[i] = slot;
            }
        }
    }

    /** Whether the terminated tail at {@code at} equals the tail [s, s + len). */
    private boolean tailAt(int at, int s, int len) {
        return at + len < size && bytes[at + len] == 0 && Arrays.equals(bytes, at, at + len, bytes, s, s + len);
    }

    /** Whether {@code name} followed by a NUL is at {@code at}. */
    private boolean nameAtOffset(String name, int at) {
        int len = name.length();
        if (at + len >= size || bytes[at + len] != 0) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (bytes[at + i] != nameByte(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The byte ISO-8859-1 encodes {@code c} as (names are checked to hold no other characters). */
    private static byte nameByte(char c) {
        return (byte) (c <= 0xff ? c : '?');
    }

    /** Fibonacci hashing: polynomial hashes of short names differ mostly in their low bits. */
    private static int spread(int hash) {
        int h = hash * 0x9e3779b9;
        return h ^ (h >>> 16);
    }
}
