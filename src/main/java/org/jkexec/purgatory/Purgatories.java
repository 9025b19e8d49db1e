package org.jkexec.purgatory;

import org.jkexec.kexec.PurgatoryProvider;

/** The purgatory the planner places: jkexec's own ({@link Purgatory}). */
public final class Purgatories {
    private Purgatories() {}

    public static PurgatoryProvider standard() {
        return new PurgatoryProvider() {
            @Override
            public int size() {
                return Purgatory.size();
            }

            @Override
            public long alignment() {
                return Purgatory.LOAD_ALIGNMENT;
            }

            @Override
            public byte[] build(Params p, long loadAddress) {
                return Purgatory.build(
                        new PurgatoryParams(
                                p.kernelLoadAddr(),
                                p.fdtAddr(),
                                p.backupStart(),
                                p.backupSize(),
                                p.opalBase(),
                                p.opalEntry(),
                                p.runAtLoad(),
                                p.kernelHead256()),
                        loadAddress);
            }
        };
    }
}
