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
    private final byte[] value;
    /** Offset of the name in the owning tree's string table; -1 for a property of no tree. */
    final int nameOffset;
    /** The align4(length) - length bytes after the value in the in-place image; null = zeros. */
    private final byte[] pad;
    /** Number of FDT_NOP tags between the previous item of the node and this property. */
    int nopsBefore;

    /** Takes ownership of {@code value} and {@code pad}. */
    FdtProperty(String name, byte[] value, int nameOffset, byte[] pad) {
        this.name = name;
        this.value = value;
        this.nameOffset = nameOffset;
        this.pad = isAllZero(pad) ? null : pad;
    }

    /** A copy for another tree (value and pad are immutable and shared). */
    FdtProperty(FdtProperty other) {
        this(other.name, other.value, other.nameOffset, other.pad);
        this.nopsBefore = other.nopsBefore;
    }

    public String name() {
        return name;
    }

    /** A copy of the value bytes. */
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** The value without copying; callers must not modify it. */
    byte[] rawValue() {
        return value;
    }

    /** Byte {@code i} of the value followed by its padding, as the in-place image holds them. */
    byte paddedByte(int i) {
        if (i < value.length) {
            return value[i];
        }
        return pad == null ? 0 : pad[i - value.length];
    }

    /** The padding bytes (length align4(len) - len), or null when they are all zero. */
    byte[] pad() {
        return pad;
    }

    /** Bytes this property takes in the struct block: tag, length, name offset, padded value. */
    int structSize() {
        return FdtFormat.PROP_HEADER_SIZE + FdtFormat.align4(value.length);
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
        return o instanceof FdtProperty p && name.equals(p.name) && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        int shown = Math.min(value.length, 32);
        return name + " [" + value.length + " bytes: " + HexFormat.of().formatHex(value, 0, shown)
                + (shown < value.length ? "..." : "") + "]";
    }
}
