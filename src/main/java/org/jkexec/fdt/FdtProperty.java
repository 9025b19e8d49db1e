package org.jkexec.fdt;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A property: name and raw value bytes (big-endian cells, as in the blob).
 *
 * <p>Name and value never change; editing a property replaces the object in its node. Besides
 * them a property remembers what libfdt's in-place image needs and a tree does not show: the
 * offset of its name in the string table, the padding bytes after its value (libfdt never
 * clears them, and firmware leaves garbage there), and the FDT_NOP tags in front of it.
 */
public final class FdtProperty {
    private final String name;
    /** The value is {@code data[offset, offset + length)}: its own array, or a slice of a parsed blob. */
    private final byte[] data;

    private final int offset;
    private final int length;
    /** Offset of the name in the owning tree's string table; -1 for a property of no tree. */
    final int nameOffset;
    /** The align4(length) - length bytes after the value in the in-place image; null = zeros. */
    private final byte[] pad;
    /** Number of FDT_NOP tags between the previous item of the node and this property. */
    int nopsBefore;

    /** Takes ownership of {@code value} and {@code pad}. */
    FdtProperty(String name, byte[] value, int nameOffset, byte[] pad) {
        this(name, value, 0, value.length, nameOffset, pad);
    }

    /** A value that is {@code length} bytes of {@code data} at {@code offset}; the array is never changed. */
    FdtProperty(String name, byte[] data, int offset, int length, int nameOffset, byte[] pad) {
        this.name = name;
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.nameOffset = nameOffset;
        this.pad = isAllZero(pad) ? null : pad;
    }

    /** A copy for another tree (value and pad are immutable and shared). */
    FdtProperty(FdtProperty other) {
        this(other.name, other.data, other.offset, other.length, other.nameOffset, other.pad);
        this.nopsBefore = other.nopsBefore;
    }

    public String name() {
        return name;
    }

    /** A copy of the value bytes. */
    public byte[] value() {
        return Arrays.copyOfRange(data, offset, offset + length);
    }

    public int length() {
        return length;
    }

    /** The value as an array of its length (shared when it is one; callers must not modify it). */
    byte[] rawValue() {
        return offset == 0 && length == data.length ? data : value();
    }

    /** Array holding the value at {@link #arrayOffset()}, without copying; callers must not modify it. */
    byte[] array() {
        return data;
    }

    int arrayOffset() {
        return offset;
    }

    /** Byte {@code i} of the value followed by its padding, as the in-place image holds them. */
    byte paddedByte(int i) {
        if (i < length) {
            return data[offset + i];
        }
        return pad == null ? 0 : pad[i - length];
    }

    /** The padding bytes (length align4(len) - len), or null when they are all zero. */
    byte[] pad() {
        return pad;
    }

    /** Bytes this property takes in the struct block: tag, length, name offset, padded value. */
    int structSize() {
        return FdtFormat.PROP_HEADER_SIZE + FdtFormat.align4(length);
    }

    static boolean isAllZero(byte[] b) {
        if (b == null) {
            return true;
        }
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Equal when name and value are equal (string-table offset, padding and NOPs are layout). */
    @Override
    public boolean equals(Object o) {
        return o instanceof FdtProperty p
                && name.equals(p.name)
                && Arrays.equals(data, offset, offset + length, p.data, p.offset, p.offset + p.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + data[i];
        }
        return name.hashCode() * 31 + h;
    }

    @Override
    public String toString() {
        int shown = Math.min(length, 32);
        return name + " [" + length + " bytes: " + HexFormat.of().formatHex(data, offset, offset + shown)
                + (shown < length ? "..." : "") + "]";
    }
}
