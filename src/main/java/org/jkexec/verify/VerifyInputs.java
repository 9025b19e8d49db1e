package org.jkexec.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.units.Hex;
import org.jkexec.units.Memparse;

/**
 * Reads the inputs of {@code jkexec verify} from files; all checking is in {@link KdumpChecks}.
 *
 * <p>What the kdump kernel received, under ROOT ({@code /} inside a kdump kernel, or a directory
 * of files copied from one):
 * <pre>
 *   sys/firmware/fdt        the FDT it booted with
 *   proc/vmcore             /proc/vmcore, or its first bytes (headers; the notes too, to count them)
 *   proc/cmdline
 *   jkexec/vmcore-size      optional: size of the real /proc/vmcore (a number, or an `ls -l` line)
 *   jkexec/elfcorehdr       optional: the loader's ELF core header as read at elfcorehdr=
 * </pre>
 * When ROOT is the real root, the size is that of /proc/vmcore and the core header is read from
 * /dev/mem at the {@code elfcorehdr=} address if the kernel allows it (STRICT_DEVMEM often does not).
 *
 * <p>What the crashed kernel should have handed over: a machine capture (MachineCapture
 * layout) and/or a plan written by {@code jkexec plan --json}.
 */
public final class VerifyInputs {
    /** /proc/vmcore bytes read at most: headers and notes fit easily. */
    static final long MAX_PREFIX = 64L << 20;

    static final int FIRST_READ = 64 * 1024;
    /** A core header of 8192 ranges plus CPUs is under 0.5 MiB. */
    static final long MAX_CORE_HEADER = 8L << 20;

    static final long MAX_SMALL_FILE = 64L << 20;

    private VerifyInputs() {}

    /** Reads what the kdump kernel received under {@code root}. */
    public static KdumpReceived received(Path root, Optional<Path> elfcorehdrFile, OptionalLong vmcoreSizeOption) {
        if (!Files.isDirectory(root)) {
            throw JkexecException.badInput(
                    root, "not a directory (give / inside a kdump kernel, or a copy of its files)");
        }
        boolean live = isRealRoot(root);
        List<String> notes = new ArrayList<>();
        Path vmcorePath = root.resolve("proc/vmcore");
        Optional<ElfFile> vmcore = Files.exists(vmcorePath) ? Optional.of(readVmcore(vmcorePath)) : Optional.empty();
        Optional<String> cmdline = text(root.resolve("proc/cmdline")).map(VerifyInputs::cleanCmdline);
        Path fdtPath = root.resolve("sys/firmware/fdt");
        Optional<KdumpFdtFacts> fdt = Files.exists(fdtPath)
                ? Optional.of(KdumpFdtReader.read(bytes(fdtPath, MAX_SMALL_FILE), fdtPath.toString()))
                : Optional.empty();
        if (vmcore.isEmpty() && fdt.isEmpty() && cmdline.isEmpty()) {
            throw JkexecException.badInput(
                    root,
                    "has no proc/vmcore, sys/firmware/fdt or proc/cmdline: not a kdump kernel's "
                            + "root nor a copy of its files");
        }
        OptionalLong size = vmcoreSizeOption;
        Path sizeFile = root.resolve("jkexec/vmcore-size");
        if (size.isEmpty() && Files.isRegularFile(sizeFile)) {
            size = OptionalLong.of(parseSize(text(sizeFile).orElse(""), sizeFile.toString()));
        }
        if (size.isEmpty() && live && Files.exists(vmcorePath)) {
            try {
                size = OptionalLong.of(Files.size(vmcorePath));
            } catch (IOException e) {
                notes.add("vmcore size: " + e.getMessage());
            }
        }
        Optional<ElfFile> hdr = Optional.empty();
        Path hdrFile = elfcorehdrFile.orElse(root.resolve("jkexec/elfcorehdr"));
        if (elfcorehdrFile.isPresent() || Files.isRegularFile(hdrFile)) {
            hdr = Optional.of(ElfFile.parse(bytes(hdrFile, MAX_CORE_HEADER), hdrFile.toString()));
        } else if (live && cmdline.isPresent()) {
            hdr = readDevMem(root.resolve("dev/mem"), cmdline.get(), notes);
        }
        return new KdumpReceived(vmcore, size, cmdline, fdt, hdr, notes);
    }

    /** Reads the expectations: a capture of the crashed machine and/or a plan (either may be absent). */
    public static Expected expected(Optional<Path> capture, Optional<Path> plan) {
        Expected e = capture.map(c -> Expected.of(MachineCapture.read(c))).orElse(Expected.none());
        if (plan.isPresent()) {
            Path p = plan.get();
            String json = new String(bytes(p, MAX_SMALL_FILE), StandardCharsets.UTF_8);
            e = e.withPlan(PlanFacts.parse(json, p.toString()));
        }
        return e;
    }

    static boolean isRealRoot(Path root) {
        try {
            return root.toRealPath().equals(root.getFileSystem().getPath("/").toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    static String cleanCmdline(String s) {
        int nul = s.indexOf('\0');
        return (nul >= 0 ? s.substring(0, nul) : s).replace('\n', ' ').stripTrailing();
    }

    /** The ELF header, program headers and (when not too far) the notes of /proc/vmcore or a prefix of it. */
    static ElfFile readVmcore(Path p) {
        // a FIFO or device would block or never end: only the headers of a regular file are read
        InputFiles.requireRegular(p, "vmcore");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            byte[] first = read(ch, 0, FIRST_READ);
            if (first.length == FIRST_READ) {
                // a program header table longer than the first read (thousands of PT_LOADs): read all of it
                ByteBuffer b =
                        ByteBuffer.wrap(first).order(first[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                long table = b.getLong(32) + (long) Short.toUnsignedInt(b.getShort(56)) * ProgramHeader.SIZE;
                if (table > first.length && table <= MAX_PREFIX) {
                    first = read(ch, 0, (int) table);
                }
            }
            ElfFile e = ElfFile.parse(first, p.toString());
            long need = e.phoff() + (long) e.programHeaders().size() * ProgramHeader.SIZE;
            for (ProgramHeader ph : e.programHeaders()) {
                if (ph.isNote() && ph.offset() >= 0 && ph.filesz() >= 0 && ph.offset() + ph.filesz() <= MAX_PREFIX) {
                    need = Math.max(need, ph.offset() + ph.filesz());
                }
            }
            if (need <= first.length || first.length < FIRST_READ) {
                return e;
            }
            return ElfFile.parse(read(ch, 0, (int) need), p.toString());
        } catch (IOException x) {
            throw InputFiles.cannotRead(p, "vmcore", x);
        }
    }

    /** Up to {@code len} bytes from {@code pos}; fewer at end of file. */
    static byte[] read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                break;
            }
        }
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    /** The core header at elfcorehdr= from /dev/mem, or empty with a note saying why not. */
    static Optional<ElfFile> readDevMem(Path devMem, String cmdline, List<String> notes) {
        List<KernelCmdline.ElfcorehdrArg> a = KernelCmdline.elfcorehdr(cmdline);
        if (a.isEmpty() || a.get(a.size() - 1).address().isEmpty()) {
            notes.add("elfcorehdr: no usable elfcorehdr= to read the core header at");
            return Optional.empty();
        }
        long addr = a.get(a.size() - 1).address().getAsLong();
        String where = devMem + " at " + Hex.hex(addr);
        try (FileChannel ch = FileChannel.open(devMem, StandardOpenOption.READ)) {
            byte[] ehdr = read(ch, addr, ElfFile.EHDR_SIZE);
            if (ehdr.length < ElfFile.EHDR_SIZE || ehdr[0] != 0x7f || ehdr[1] != 'E') {
                notes.add("elfcorehdr: no ELF header at " + where);
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(ehdr).order(ehdr[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            long phoff = b.getLong(32);
            int phnum = Short.toUnsignedInt(b.getShort(56));
            long len = phoff + (long) phnum * ProgramHeader.SIZE;
            if (phoff < ElfFile.EHDR_SIZE || len > MAX_CORE_HEADER) {
                notes.add("elfcorehdr: implausible header at " + where);
                return Optional.empty();
            }
            return Optional.of(ElfFile.parse(read(ch, addr, (int) len), where));
        } catch (IOException | JkexecException | UnsupportedOperationException e) {
            notes.add("elfcorehdr: " + where + " not readable (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** A size: a number as {@link Memparse} reads it, or an `ls -l` line (its fifth field). */
    public static long parseSize(String text, String where) {
        String t = text.strip();
        String[] f = t.split("\\s+");
        String v = f.length >= 5 ? f[4] : t;
        try {
            return Memparse.value(v);
        } catch (IllegalArgumentException e) {
            throw JkexecException.badInput(where, "'" + t + "' is neither a size nor an `ls -l` line");
        }
    }

    static Optional<String> text(Path p) {
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        return Optional.of(new String(bytes(p, MAX_SMALL_FILE), StandardCharsets.ISO_8859_1));
    }

    static byte[] bytes(Path p, long max) {
        return InputFiles.read(p, max);
    }
}
