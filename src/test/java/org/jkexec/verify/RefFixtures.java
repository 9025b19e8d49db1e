package org.jkexec.verify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.elf.ElfCoreHeader;
import org.jkexec.elf.ElfCoreHeader.NoteBuffer;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Cells;
import org.jkexec.ppc64.Region;
import org.jkexec.ppc64.RegionKind;
import org.jkexec.testutil.Reference;

/**
 * The two reference runs as checker inputs, built from the reference files without the FDT
 * package: the FDT facts are transcribed from k2-fdt.dts (KdumpFdtReaderTest checks the
 * transcription against the parsed blobs once the parser exists), the machine facts from k1-*.
 */
final class RefFixtures {
    static final String K612 = Reference.KERNEL_612;
    static final String KT = Reference.KEXEC_TOOLS;
    static final MemRange CRASHKERNEL = new MemRange(0x20000000L, 0x3fffffffL);
    static final MemRange RAM = new MemRange(0, 0xffffffffL);

    private RefFixtures() {}

    static byte[] vmcoreBytes(String ref) {
        return Reference.bytes(ref, "k2-vmcorehdr.bin");
    }

    static ElfFile elf(byte[] b, String name) {
        return ElfFile.parse(b, name);
    }

    static OptionalLong vmcoreSize(String ref) {
        return OptionalLong.of(VerifyInputs.parseSize(Reference.text(ref, "k2-vmcoresize.txt"), "k2-vmcoresize.txt"));
    }

    static String cmdline(String ref) {
        return VerifyInputs.cleanCmdline(Reference.text(ref, "k2-cmdline.txt"));
    }

    /** The raw core header (only the kexec_file_load run could read it from /dev/mem). */
    static Optional<ElfFile> elfcorehdr(String ref) {
        return ref.equals(K612)
                ? Optional.of(elf(Reference.bytes(ref, "k2-elfcorehdr.bin"), "k2-elfcorehdr.bin"))
                : Optional.empty();
    }

    static byte[] u64(long... v) {
        byte[] out = new byte[v.length * 8];
        for (int i = 0; i < v.length; i++) {
            Cells.putU64(out, i * 8, v[i]);
        }
        return out;
    }

    static Region rtas(String ref) {
        long base = ref.equals(K612) ? 0x2ffff000L : 0x2fff0000L;
        return new Region(RegionKind.RTAS, MemRange.ofSize(base, 0x83c), "/rtas");
    }

    /** k2-fdt.dts, transcribed. */
    static KdumpFdtFacts fdt(String ref) {
        List<KdumpFdtFacts.MemoryNode> mem = List.of(new KdumpFdtFacts.MemoryNode(
                "/memory@0", List.of(new ReserveEntry(0, 0x100000000L)), Optional.of(u64(0, 0x40000000L))));
        if (ref.equals(K612)) {
            return new KdumpFdtFacts(
                    "k2-fdt.bin",
                    32840,
                    2,
                    2,
                    List.of(
                            new ReserveEntry(0x2ffff000L, 0x1000), new ReserveEntry(0x20861000L, 0x2dd62c),
                            new ReserveEntry(0x207f0000L, 0x71000), new ReserveEntry(0x10000, 0x1fff0000L),
                            new ReserveEntry(0x207e0000L, 0x10000), new ReserveEntry(0x2ffff000L, 0x83c)),
                    Optional.of("elfcorehdr=0x207f0000 console=hvc0 maxcpus=1 kdmode=none"),
                    Optional.of(new ReserveEntry(0x207f0000L, 0x71000)),
                    List.of(new ReserveEntry(0x20000000L, 0x20000000L)),
                    OptionalLong.of(0x20861000L),
                    OptionalLong.of(0x20b3e62cL),
                    mem,
                    Optional.empty(),
                    List.of(rtas(ref)),
                    2);
        }
        return new KdumpFdtFacts(
                "k2-fdt.bin",
                24000,
                2,
                2,
                List.of(
                        new ReserveEntry(0x10000, 0x1fff0000L), new ReserveEntry(0x22880000L, 0x10000),
                        new ReserveEntry(0x22890000L, 0x400), new ReserveEntry(0x228b0000L, 0x2dd5bb),
                        new ReserveEntry(0x2fff0000L, 0x83c), new ReserveEntry(0x2ffe0000L, 0x5dc0)),
                Optional.of("console=hvc0 maxcpus=1 kdmode=none elfcorehdr=565824K "),
                Optional.empty(),
                List.of(),
                OptionalLong.of(0x228b0000L),
                OptionalLong.of(0x22b8d5bbL),
                mem,
                Optional.empty(),
                List.of(rtas(ref)),
                2);
    }

    /** k1-crashnotes.txt: "/sys/devices/system/cpu/cpuN ADDR SIZE". */
    static List<NoteBuffer> crashNotes(String ref) {
        List<NoteBuffer> out = new ArrayList<>();
        for (String l : Reference.text(ref, "k1-crashnotes.txt").strip().split("\n")) {
            String[] f = l.strip().split("\\s+");
            out.add(new NoteBuffer(Long.parseUnsignedLong(f[1], 16), Long.parseLong(f[2])));
        }
        return out;
    }

    /** k1-vmcoreinfo.txt: "ADDR SIZE", both hex. */
    static NoteBuffer vmcoreinfo(String ref) {
        String[] f = Reference.text(ref, "k1-vmcoreinfo.txt").strip().split("\\s+");
        return new NoteBuffer(Long.parseUnsignedLong(f[0].replace("0x", ""), 16), Long.parseUnsignedLong(f[1], 16));
    }

    /** What the first kernel's capture says (k1-*), as Expected.of(machine) would give it. */
    static Expected machine(String ref) {
        return new Expected(
                "k1 of " + ref,
                Optional.of(CRASHKERNEL),
                Optional.of(List.of(RAM)),
                Optional.of(crashNotes(ref)),
                Optional.of(vmcoreinfo(ref)),
                Optional.of(List.of(rtas(ref))),
                OptionalLong.of(ref.equals(K612) ? 4096 : 65536),
                Optional.empty(),
                List.of());
    }

    static KdumpReceived received(String ref) {
        return new KdumpReceived(
                Optional.of(elf(vmcoreBytes(ref), ref + "/k2-vmcorehdr.bin")),
                vmcoreSize(ref),
                Optional.of(cmdline(ref)),
                Optional.of(fdt(ref)),
                elfcorehdr(ref),
                List.of());
    }

    // ------------------------------------------------------------ header surgery for corrupt variants

    static List<ProgramHeader> phdrs(byte[] b) {
        return ElfFile.parse(b, "x").programHeaders();
    }

    /** A copy of an ELF header with its program header table replaced (written at the same e_phoff). */
    static byte[] withPhdrs(byte[] b, List<ProgramHeader> ph) {
        byte[] out = b.clone();
        ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int phoff = (int) bb.getLong(32);
        int old = Short.toUnsignedInt(bb.getShort(56));
        Arrays.fill(out, phoff, phoff + Math.max(old, ph.size()) * ProgramHeader.SIZE, (byte) 0);
        for (int i = 0; i < ph.size(); i++) {
            ElfCoreHeader.writePhdr(bb, phoff + i * ProgramHeader.SIZE, ph.get(i));
        }
        bb.putShort(56, (short) ph.size());
        return out;
    }

    static ProgramHeader withMemsz(ProgramHeader p, long memsz) {
        return new ProgramHeader(p.type(), p.flags(), p.offset(), p.vaddr(), p.paddr(), memsz, memsz, p.align());
    }

    static ProgramHeader withPaddr(ProgramHeader p, long paddr) {
        return new ProgramHeader(
                p.type(), p.flags(), p.offset(), 0xc000000000000000L + paddr, paddr, p.filesz(), p.memsz(), p.align());
    }

    static ProgramHeader withOffset(ProgramHeader p, long offset) {
        return new ProgramHeader(p.type(), p.flags(), offset, p.vaddr(), p.paddr(), p.filesz(), p.memsz(), p.align());
    }

    static ProgramHeader withFilesz(ProgramHeader p, long filesz) {
        return new ProgramHeader(p.type(), p.flags(), p.offset(), p.vaddr(), p.paddr(), filesz, filesz, p.align());
    }
}
