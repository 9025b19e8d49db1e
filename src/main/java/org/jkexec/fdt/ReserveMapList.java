package org.jkexec.fdt;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import org.jkexec.units.Hex;

/**
 * The reserve map of a tree as a mutable list. Adding or removing an entry splices 16 bytes at
 * that entry in libfdt's buffer (fdt_add_mem_rsv appends, fdt_del_mem_rsv removes entry n),
 * which moves the struct and strings blocks; the tracker is told so.
 */
final class ReserveMapList extends AbstractList<ReserveEntry> implements RandomAccess {
    private final Fdt fdt;
    private final List<ReserveEntry> entries;

    ReserveMapList(Fdt fdt, List<ReserveEntry> initial) {
        this.fdt = fdt;
        this.entries = new ArrayList<>(initial);
    }

    @Override
    public ReserveEntry get(int index) {
        return entries.get(index);
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public ReserveEntry set(int index, ReserveEntry e) {
        return entries.set(index, check(e));
    }

    @Override
    public void add(int index, ReserveEntry e) {
        check(e);
        if (index < 0 || index > entries.size()) {
            throw new IndexOutOfBoundsException(index);
        }
        entries.add(index, e);
        modCount++;
        fdt.tracker.grew(FdtFormat.RESERVE_ENTRY_SIZE);
    }

    @Override
    public ReserveEntry remove(int index) {
        Objects.checkIndex(index, entries.size());
        fdt.tracker.shrinking(FdtFormat.RESERVE_ENTRY_SIZE);
        modCount++;
        return entries.remove(index);
    }

    private static ReserveEntry check(ReserveEntry e) {
        Objects.requireNonNull(e, "reserve entry");
        if (e.size() == 0) {
            // A size-0 entry is the map's terminator: everything after it would be lost.
            throw FdtException.failed(
                    FdtException.Code.BADVALUE,
                    "reserve map entry at " + Hex.hex(e.address())
                            + " has size 0, which would end the reserve map there");
        }
        return e;
    }
}
