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
 * {@link #MAX_INDEXED_RUN} bytes have every tail in a hash map (lookups stay O(name length)
 * however large the table); longer runs, which real tables do not have, are scanned.
 */
final class StringTable {
    private static final int MAX_INDEXED_RUN = 64;

    private byte[] bytes;
    private int size;

    /** Start of the bytes after the last NUL: an unterminated tail of a parsed table, or empty. */
    private int openRunStart;

    /**
     * Tail of a run → first offset where it occurs followed by a NUL, for the runs the table
     * held when it was first searched; built on first lookup and never changed after, so copies
     * share it (a plan copies trees several times, and this map has a few thousand entries).
     */
    private Map<String, Integer> tailIndex;
    /**
     * The same for runs ended since tailIndex was built: this table's own. They all lie after
     * tailIndex's runs, so a name in both is first found through tailIndex.
     */
    private Map<String, Integer> addedTails;
    /** [start, nul) of runs longer than MAX_INDEXED_RUN, in table order; built with tailIndex. */
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
        if (other.tailIndex != null) {
            other.foldAddedTails();
            this.tailIndex = other.tailIndex;
            this.addedTails = new HashMap<>();
            this.longRuns = new ArrayList<>(other.longRuns);
        }
        // the name cache is rebuilt lazily
    }

    /**
     * Moves this table's own tails into a new shared index, so that the tables copied from it
     * share them too (a tree read from a directory appends every name after its first lookup).
     */
    private void foldAddedTails() {
        if (addedTails.isEmpty()) {
            return;
        }
        Map<String, Integer> merged = new HashMap<>(tailIndex);
        addedTails.forEach(merged::putIfAbsent); // offsets in tailIndex come first in the table
        tailIndex = merged;
        addedTails = new HashMap<>();
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
        if (name.length() <= MAX_INDEXED_RUN) {
            Integer hit = tailIndex.get(name);
            if (hit == null) {
                hit = addedTails.get(name);
            }
            return hit == null ? -1 : hit;
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
        if (tailIndex != null) { // else the index is built from the bytes on first lookup
            indexRun(addedTails, openRunStart, at + nb.length);
        }
        openRunStart = size;
        return at;
    }

    private void ensureIndex() {
        if (tailIndex != null) {
            return;
        }
        // about one tail per byte: sized once instead of rehashed a dozen times while it fills
        Map<String, Integer> index = new HashMap<>(Math.max(16, size * 2));
        longRuns = new ArrayList<>();
        int runStart = 0;
        for (int i = 0; i < size; i++) {
            if (bytes[i] == 0) {
                indexRun(index, runStart, i);
                runStart = i + 1;
            }
        }
        tailIndex = index;
        addedTails = new HashMap<>();
    }

    /** Records the run [start, nul) (bytes[nul] == 0) in {@code index}; runs are indexed in table order. */
    private void indexRun(Map<String, Integer> index, int start, int nul) {
        if (nul - start > MAX_INDEXED_RUN) {
            longRuns.add(new int[] {start, nul});
            // its short tails go into the map too, which thus answers every name up to
            // MAX_INDEXED_RUN bytes on its own
            start = nul - MAX_INDEXED_RUN;
        }
        for (int s = start; s <= nul; s++) {
            index.putIfAbsent(new String(bytes, s, nul - s, FdtFormat.NAME_CHARSET), s);
        }
    }
}
