package org.jkexec.purgatory;

import org.jkexec.kexec.PurgatoryProvider;

/** The purgatory jkexec loads. Until our own is in, a zero-filled stand-in of the kernel's size (4 KiB). */
public final class Purgatories {
    private Purgatories() {
    }

    public static PurgatoryProvider standard() {
        return PurgatoryProvider.placeholder(4096);
    }
}
