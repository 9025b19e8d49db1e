package org.jkexec.purgatory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fake physical memory for the interpreter: sparse 4 KiB pages, little-endian by default.
 * Reading a page nobody wrote is an error (a wild load in the purgatory shows up as a failure,
 * not as a silent zero). Every store made while {@link #recordStores} is on is logged, so a test
 * can check the purgatory wrote nowhere else.
 */
final class PhysicalMemory {
    private static final int PAGE = 4096;

    /** One store: {@code size} bytes at {@code address}. */
    record Store(long address, int size) {
        long end() {
            return address + size;
        }
    }

    private final Map<Long, byte[]> pages = new HashMap<>();
    private final List<Store> stores = new ArrayList<>();
    private boolean recordStores;

    void recordStores(boolean on) {
        recordStores = on;
    }

    List<Store> stores() {
        return List.copyOf(stores);
    }

    void write(long address, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            page(address + i, true)[(int) ((address + i) % PAGE)] = bytes[i];
        }
    }

    byte[] read(long address, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = page(address + i, false)[(int) ((address + i) % PAGE)];
        }
        return out;
    }

    long loadLe(long address, int size) {
        requireAligned(address, size);
        byte[] b = read(address, size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    long loadBe(long address, int size) {
        requireAligned(address, size);
        byte[] b = read(address, size);
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    void storeLe(long address, long value, int size) {
        requireAligned(address, size);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        logged(address, b);
    }

    void storeBe(long address, long value, int size) {
        requireAligned(address, size);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[size - 1 - i] = (byte) (value >>> (8 * i));
        }
        logged(address, b);
    }

    private void logged(long address, byte[] b) {
        if (recordStores) {
            stores.add(new Store(address, b.length));
        }
        write(address, b);
    }

    // Stricter than the hardware (which handles most misaligned accesses): the purgatory has no
    // reason to make one, so one here is a bug in it.
    private static void requireAligned(long address, int size) {
        if (address % size != 0) {
            throw new IllegalStateException("misaligned " + size + "-byte access at 0x" + Long.toHexString(address));
        }
    }

    private byte[] page(long address, boolean create) {
        long key = Long.divideUnsigned(address, PAGE);
        byte[] p = pages.get(key);
        if (p == null) {
            if (!create) {
                throw new IllegalStateException("read of unmapped physical address 0x" + Long.toHexString(address));
            }
            p = new byte[PAGE];
            pages.put(key, p);
        }
        return p;
    }
}
