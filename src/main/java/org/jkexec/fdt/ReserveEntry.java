package org.jkexec.fdt;

/** One memory reserve map entry: {@code size} bytes at physical {@code address}. */
public record ReserveEntry(long address, long size) {
    @Override
    public String toString() {
        return String.format("0x%016x 0x%016x", address, size);
    }
}
