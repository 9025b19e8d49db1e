package org.jkexec.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jkexec.kexec.Segment;

/** A fake that records every call and answers with a preset errno; it never touches the kernel. */
final class RecordingKexecSyscalls implements KexecSyscalls {
    record LoadCall(long entry, List<Segment> segments, long flags) {}

    record FileLoadCall(Path kernel, Optional<Path> initrd, String cmdline, long flags) {}

    /** The decompressed kernels handed over in memory, by call (null: the file itself). */
    final List<byte[]> unpackedKernels = new ArrayList<>();

    final List<LoadCall> loads = new ArrayList<>();
    final List<FileLoadCall> fileLoads = new ArrayList<>();
    int errno;
    /** When set, what kexec_load alone answers (else {@link #errno}). */
    Integer kexecLoadErrno;
    /** When set, what kexec_file_load alone answers (else {@link #errno}). */
    Integer kexecFileLoadErrno;

    long pageSize = 0x10000;
    /** Runs after a call is recorded, before it returns (e.g. to change sysfs files like the kernel would). */
    Runnable sideEffect = () -> {};

    @Override
    public int kexecLoad(long entry, List<Segment> segments, long flags) {
        loads.add(new LoadCall(entry, List.copyOf(segments), flags));
        sideEffect.run();
        return kexecLoadErrno != null ? kexecLoadErrno : errno;
    }

    @Override
    public int kexecFileLoad(Path kernel, byte[] unpackedKernel, Optional<Path> initrd, String cmdline, long flags) {
        fileLoads.add(new FileLoadCall(kernel, initrd, cmdline, flags));
        unpackedKernels.add(unpackedKernel);
        sideEffect.run();
        return kexecFileLoadErrno != null ? kexecFileLoadErrno : errno;
    }

    @Override
    public long pageSize() {
        return pageSize;
    }

    int syncs;
    int reboots;
    /** errno the reboot returns (a real reboot into kexec does not return at all). */
    int rebootErrno;

    @Override
    public void sync() {
        syncs++;
    }

    @Override
    public int rebootIntoKexec() {
        reboots++;
        return rebootErrno;
    }

    int calls() {
        return loads.size() + fileLoads.size() + reboots;
    }
}
