package org.jkexec.fdt;

/** A property: name and raw value bytes (big-endian cells, as in the blob). CONTRACT ONLY. */
public final class FdtProperty {
    public String name() { throw new UnsupportedOperationException(); }

    public byte[] value() { throw new UnsupportedOperationException(); }

    public int length() { throw new UnsupportedOperationException(); }
}
