package org.jkexec.verify;

import static org.jkexec.units.Hex.hex;
import static org.jkexec.verify.CheckResult.skip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkexec.elf.ElfCoreHeader.NoteBuffer;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.units.Hex;

/** The ELF notes: one PT_NOTE per possible CPU and one for vmcoreinfo, and the notes /proc/vmcore merges from them. */
final class NoteChecks implements CheckFamily {
    private final CheckContext ctx;
    /** ppc64 NT_PRSTATUS note: 12-byte header, "CORE\0" padded to 8, 504-byte elf_prstatus. */
    static final long PRSTATUS_DESC = 504;

    static final int NT_PRSTATUS = 1;
    /** Smallest VMCOREINFO note: header plus "VMCOREINFO\0" padded to 12, empty descriptor. */
    static final long MIN_VMCOREINFO_NOTE = 24;

    NoteChecks(CheckContext context) {
        this.ctx = context;
    }

    @Override
    public Map<CheckId, Supplier<CheckResult>> checks() {
        Map<CheckId, Supplier<CheckResult>> checks = new EnumMap<>(CheckId.class);
        checks.put(CheckId.NOTES_CORE_HEADER, this::notesCoreHeader);
        checks.put(CheckId.NOTES_VMCORE, this::notesVmcore);
        return checks;
    }

    // ---------------------------------------------------------------- notes

    CheckResult notesCoreHeader() {
        CheckId id = CheckId.NOTES_CORE_HEADER;
        if (ctx.in.elfcorehdr().isEmpty()) {
            return skip(
                    id,
                    "the loader's core header is not available (--elfcorehdr, or /dev/mem in the kdump kernel)"
                            + ctx.noteFor("elfcorehdr") + "; /proc/vmcore merges the PT_NOTEs, see notes.vmcore");
        }
        ElfFile h = ctx.in.elfcorehdr().get();
        List<ProgramHeader> notes =
                h.programHeaders().stream().filter(ProgramHeader::isNote).toList();
        Findings f = new Findings();
        if (ctx.exp.crashNotes().isPresent()) {
            List<ProgramHeader> unmatched = new ArrayList<>(notes);
            List<NoteBuffer> cn = ctx.exp.crashNotes().get();
            for (int i = 0; i < cn.size(); i++) {
                NoteBuffer n = cn.get(i);
                Optional<ProgramHeader> p =
                        notes.stream().filter(x -> x.paddr() == n.address()).findFirst();
                if (p.isEmpty()) {
                    f.fail("no PT_NOTE for CPU " + i + "'s crash notes at " + hex(n.address()) + " (" + n.size()
                            + " bytes): that CPU's registers are missing from the dump");
                    continue;
                }
                unmatched.remove(p.get());
                if (p.get().filesz() != n.size()) {
                    f.fail("PT_NOTE for CPU " + i + " at " + hex(n.address()) + " is "
                            + hex(p.get().filesz()) + " bytes, crash_notes_size is " + hex(n.size()));
                }
            }
            ctx.exp.vmcoreinfo().ifPresent(vi -> {
                Optional<ProgramHeader> p =
                        notes.stream().filter(x -> x.paddr() == vi.address()).findFirst();
                if (p.isEmpty()) {
                    f.fail("no PT_NOTE for vmcoreinfo at " + hex(vi.address())
                            + ": tools cannot read the dump without it");
                } else {
                    unmatched.remove(p.get());
                    if (p.get().filesz() != vi.size()) {
                        f.fail("vmcoreinfo PT_NOTE is " + hex(p.get().filesz()) + " bytes, /sys/kernel/vmcoreinfo says "
                                + hex(vi.size()));
                    }
                }
            });
            for (ProgramHeader p : unmatched) {
                f.fail("PT_NOTE at " + hex(p.paddr()) + " (" + hex(p.filesz())
                        + " bytes) is neither a CPU's crash notes nor vmcoreinfo");
            }
            f.info(notes.size() + " PT_NOTEs: " + cn.size() + " CPU(s) + vmcoreinfo, addresses and sizes as "
                    + ctx.exp.machineSource() + " says");
        } else if (ctx.cpus.isPresent()) {
            int n = ctx.cpus.get().value();
            if (ctx.cpusExact ? notes.size() != n + 1 : notes.size() < n + 1) {
                f.fail(notes.size() + " PT_NOTEs, expected " + (ctx.cpusExact ? "" : "at least ") + (n + 1) + ": " + n
                        + " CPU(s) (" + ctx.cpus.get().source() + ") + vmcoreinfo");
            } else {
                f.info(notes.size() + " PT_NOTEs for " + n + " CPU(s) ("
                        + ctx.cpus.get().source() + ") + vmcoreinfo");
            }
        } else {
            f.info(notes.size() + " PT_NOTEs; the number of possible CPUs is unknown");
        }
        for (ProgramHeader p : notes) {
            if (p.filesz() == 0 || p.filesz() != p.memsz()) {
                f.fail("PT_NOTE at " + hex(p.paddr()) + " has p_filesz " + hex(p.filesz()) + ", p_memsz "
                        + hex(p.memsz()));
            }
        }
        return f.done(id);
    }

    /** One note as laid out in a note segment. */
    record RawNote(String name, int type, long namesz, long descsz, byte[] desc) {
        long size() {
            return 12 + ((namesz + 3) & ~3L) + ((descsz + 3) & ~3L);
        }
    }

    /** Walks notes until a zero header or the end; throws on a note claiming bytes past the end. */
    static List<RawNote> walkNotes(byte[] b, ByteOrder order) {
        List<RawNote> out = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b).order(order);
        long pos = 0;
        while (pos + 12 <= b.length) {
            long namesz = Integer.toUnsignedLong(bb.getInt((int) pos));
            long descsz = Integer.toUnsignedLong(bb.getInt((int) pos + 4));
            int type = bb.getInt((int) pos + 8);
            if (namesz == 0) {
                break;
            }
            long descStart = pos + 12 + ((namesz + 3) & ~3L);
            long end = descStart + ((descsz + 3) & ~3L);
            if (end > b.length) {
                throw new IllegalArgumentException(String.format(
                        "note at +0x%x (namesz %d, descsz %d) runs past the segment's 0x%x bytes",
                        pos, namesz, descsz, b.length));
            }
            int nl = (int) namesz;
            while (nl > 0 && b[(int) pos + 12 + nl - 1] == 0) {
                nl--;
            }
            String name = new String(b, (int) pos + 12, nl, StandardCharsets.ISO_8859_1);
            out.add(new RawNote(
                    name, type, namesz, descsz, Arrays.copyOfRange(b, (int) descStart, (int) (descStart + descsz))));
            pos = end;
        }
        return out;
    }

    CheckResult notesVmcore() {
        CheckId id = CheckId.NOTES_VMCORE;
        if (ctx.in.vmcore().isEmpty()) {
            return skip(id, "no /proc/vmcore given");
        }
        ElfFile v = ctx.in.vmcore().get();
        List<ProgramHeader> pn =
                v.programHeaders().stream().filter(ProgramHeader::isNote).toList();
        Findings f = new Findings();
        if (pn.isEmpty()) {
            f.fail("/proc/vmcore has no PT_NOTE: no CPU registers and no vmcoreinfo in the dump");
            return f.done(id);
        }
        OptionalLong vmcoreinfoMax =
                ctx.exp.vmcoreinfo().map(n -> OptionalLong.of(n.size())).orElse(OptionalLong.empty());
        boolean inPrefix = pn.stream()
                .allMatch(p -> p.offset() >= 0
                        && p.filesz() >= 0
                        && p.offset() <= v.length()
                        && p.filesz() <= v.length() - p.offset());
        if (!inPrefix) {
            return notesPastPrefix(id, v, pn, vmcoreinfoMax, f);
        }
        List<RawNote> notes = new ArrayList<>();
        long real = readNotes(v, pn, notes, f);
        List<RawNote> prs = notes.stream()
                .filter(n -> n.type() == NT_PRSTATUS && n.name().equals("CORE"))
                .toList();
        List<RawNote> vmci =
                notes.stream().filter(n -> n.name().equals("VMCOREINFO")).toList();
        checkPrstatus(prs, f);
        checkVmcoreinfo(vmci, vmcoreinfoMax, prs.size(), real, f);
        if (notes.size() != prs.size() + vmci.size()) {
            f.info((notes.size() - prs.size() - vmci.size()) + " other note(s)");
        }
        return f.done(id);
    }

    /** Notes beyond the bytes of /proc/vmcore given: judged by their total size alone. */
    private CheckResult notesPastPrefix(
            CheckId id, ElfFile v, List<ProgramHeader> pn, OptionalLong vmcoreinfoMax, Findings f) {
        long total = pn.stream().mapToLong(ProgramHeader::filesz).sum();
        ProgramHeader p = pn.get(0);
        String where = String.format(
                "note data (0x%x bytes at offset 0x%x) lies past the %d bytes of /proc/vmcore given",
                total, p.offset(), v.length());
        if (ctx.cpus.isEmpty() || !ctx.cpusExact) {
            return skip(id, where);
        }
        long n = ctx.cpus.get().value();
        long rest = total - n * (12 + 8 + PRSTATUS_DESC);
        if (rest < MIN_VMCOREINFO_NOTE || (vmcoreinfoMax.isPresent() && rest > vmcoreinfoMax.getAsLong())) {
            f.fail(where + "; its size " + Hex.hex(total) + " cannot be " + n + " NT_PRSTATUS notes (0x20c each) plus "
                    + "a VMCOREINFO note"
                    + (vmcoreinfoMax.isPresent() ? " of at most " + hex(vmcoreinfoMax.getAsLong()) + " bytes" : ""));
            return f.done(id);
        }
        return skip(
                id,
                where + "; by size it fits " + n + " NT_PRSTATUS notes (0x20c each) plus a " + hex(rest)
                        + "-byte VMCOREINFO note (read at least " + (p.offset() + p.filesz())
                        + " bytes to count them)");
    }

    /** Walks every PT_NOTE's notes into {@code notes}; returns the bytes they add up to. */
    private static long readNotes(ElfFile v, List<ProgramHeader> pn, List<RawNote> notes, Findings f) {
        long real = 0;
        for (ProgramHeader p : pn) {
            byte[] data = v.bytes(p.offset(), (int) p.filesz());
            try {
                List<RawNote> l = walkNotes(data, v.byteOrder());
                notes.addAll(l);
                long sum = l.stream().mapToLong(RawNote::size).sum();
                real += sum;
                if (sum != p.filesz()) {
                    f.fail(String.format(
                            "the notes add up to 0x%x bytes but the PT_NOTE at offset 0x%x says 0x%x: "
                                    + "a note buffer had a wrong size in the core header or was cut short",
                            sum, p.offset(), p.filesz()));
                }
            } catch (IllegalArgumentException e) {
                f.fail("malformed notes in /proc/vmcore: " + e.getMessage());
            }
        }
        return real;
    }

    /** One NT_PRSTATUS of ppc64's size per possible CPU. */
    private void checkPrstatus(List<RawNote> prs, Findings f) {
        for (int i = 0; i < prs.size(); i++) {
            if (prs.get(i).descsz() != PRSTATUS_DESC) {
                f.fail("NT_PRSTATUS note " + i + " has a " + prs.get(i).descsz()
                        + "-byte descriptor; ppc64's elf_prstatus is 504");
            }
        }
        if (ctx.cpus.isPresent()) {
            int n = ctx.cpus.get().value();
            if (ctx.cpusExact ? prs.size() != n : prs.size() < n) {
                f.fail(prs.size() + " NT_PRSTATUS notes for " + (ctx.cpusExact ? "" : "at least ") + n
                        + " possible CPU(s) ("
                        + ctx.cpus.get().source() + "): "
                        + (prs.size() < n
                                ? "registers of " + (n - prs.size()) + " CPU(s) are missing"
                                : "more notes than CPUs"));
            }
        }
    }

    /** Exactly one VMCOREINFO note, no larger than the buffer the crashed kernel announced. */
    private static void checkVmcoreinfo(
            List<RawNote> vmci, OptionalLong vmcoreinfoMax, int prstatus, long real, Findings f) {
        if (vmci.size() != 1) {
            f.fail(vmci.size() + " VMCOREINFO notes, expected exactly one (crash/makedumpfile need it)");
            return;
        }
        RawNote vi = vmci.get(0);
        if (vmcoreinfoMax.isPresent() && vi.size() > vmcoreinfoMax.getAsLong()) {
            f.fail("the VMCOREINFO note is " + hex(vi.size()) + " bytes, larger than the "
                    + hex(vmcoreinfoMax.getAsLong()) + "-byte buffer /sys/kernel/vmcoreinfo announced");
        }
        String text = new String(vi.desc(), StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("OSRELEASE=(\\S+)").matcher(text);
        f.info(String.format(
                "%d NT_PRSTATUS + VMCOREINFO (%s), 0x%x bytes of notes",
                prstatus, m.find() ? "OSRELEASE=" + m.group(1) : hex(vi.descsz()) + " bytes", real));
    }
}
