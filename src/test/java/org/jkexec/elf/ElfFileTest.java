package org.jkexec.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.memory.MemRange;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;

class ElfFileTest {
    @Test
    void aMappedKernelReadsAsTheSameBytesAndStaysBounded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path k = Reference.capture(Reference.MACHINE).resolve("kdump/vmlinux-phdrs");
        byte[] b = Files.readAllBytes(k);
        ElfFile read = ElfFile.parse(b, "vmlinux");
        ElfFile mapped = ElfFile.parse(org.jkexec.InputFiles.map(k, b.length, "kernel"), "vmlinux");
        assertEquals(read.programHeaders(), mapped.programHeaders());
        assertEquals(b.length, mapped.length());
        for (ProgramHeader ph : read.programHeaders()) {
            assertTrue(java.util.Arrays.equals(read.segmentData(ph), mapped.segmentData(ph)));
        }
        assertTrue(java.util.Arrays.equals(read.bytes(0x10000, 256), mapped.bytes(0x10000, 256)));
        // over its budget, or not a regular file: refused before anything is mapped
        org.jkexec.JkexecException big = org.junit.jupiter.api.Assertions.assertThrows(
                org.jkexec.JkexecException.class, () -> org.jkexec.InputFiles.map(k, b.length - 1, "kernel"));
        assertTrue(big.getMessage().contains("kernel"), big.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(
                org.jkexec.JkexecException.class, () -> org.jkexec.InputFiles.map(dir, 1 << 20, "kernel"));
        // a segment past the end of a mapped file is a bad input, not a fault
        java.nio.file.Path cut = dir.resolve("cut");
        Files.write(cut, java.util.Arrays.copyOf(b, 0x10000 + 16));
        ElfFile truncated = ElfFile.parse(org.jkexec.InputFiles.map(cut, b.length, "kernel"), "cut");
        org.junit.jupiter.api.Assertions.assertThrows(
                org.jkexec.JkexecException.class,
                () -> truncated.segmentData(truncated.programHeaders().get(0)));
    }

    @Test
    void readsTheReferenceKernelsProgramHeaders() throws Exception {
        byte[] b = Files.readAllBytes(Reference.capture(Reference.MACHINE).resolve("kdump/vmlinux-phdrs"));
        ElfFile e = ElfFile.parse(b, "vmlinux");
        assertTrue(e.isLittleEndian());
        assertEquals(ElfFile.EM_PPC64, e.machine());
        assertEquals(2, e.programHeaders().size());
        ProgramHeader load = e.programHeaders().get(0);
        assertEquals(
                List.of(1, 0x10000L, 0xc000000000000000L, 0L, 0x751dacL, 0x7dd530L, 0x10000L),
                List.of(
                        load.type(),
                        load.offset(),
                        load.vaddr(),
                        load.paddr(),
                        load.filesz(),
                        load.memsz(),
                        load.align()));
    }

    @Test
    void readsBigEndianToo() {
        byte[] b = SyntheticKernel.elf(
                ByteOrder.BIG_ENDIAN, 21, 2, new long[][] {{1, 5, 0x100, 0x1000, 0x2000, 0x10, 0x20, 0x10}}, 0x200);
        ElfFile e = ElfFile.parse(b, "be");
        assertEquals(ByteOrder.BIG_ENDIAN, e.byteOrder());
        assertEquals(0x2000, e.programHeaders().get(0).paddr());
        assertEquals(0x10, e.segmentData(e.programHeaders().get(0)).length);
    }

    @Test
    void readsTheKernelsCoreHeaderAndItsNotesOfVmcore() {
        ElfFile e = ElfFile.parse(Reference.bytes(Reference.KERNEL_612, "k2-vmcorehdr.bin"), "vmcore");
        assertEquals(ElfFile.ET_CORE, e.type());
        assertEquals(5, e.programHeaders().size());
        List<ElfNote> notes = e.notes();
        assertEquals(
                List.of("CORE", "CORE", "VMCOREINFO"),
                notes.stream().map(ElfNote::name).toList());
        assertEquals(504, notes.get(0).desc().length);
        assertTrue(new String(notes.get(2).desc()).startsWith("OSRELEASE=6.12"));
    }

    @Test
    void everyTruncationIsACleanError() {
        byte[] b = SyntheticKernel.ppc64le(0x100000, 0x10000);
        for (int len = 0; len < 64 + 56; len++) {
            byte[] cut = Arrays.copyOf(b, len);
            JkexecException ex = assertThrows(JkexecException.class, () -> {
                ElfFile e = ElfFile.parse(cut, "cut.elf");
                e.segmentData(e.programHeaders().get(0));
            });
            assertTrue(ex.getMessage().startsWith("cut.elf: "), ex.getMessage());
        }
        ElfFile e = ElfFile.parse(Arrays.copyOf(b, 0x10000 + 100), "short.elf");
        assertThrows(
                JkexecException.class, () -> e.segmentData(e.programHeaders().get(0)));
    }

    @Test
    void hostileCountsAndOffsetsAreRefused() {
        byte[] b = SyntheticKernel.ppc64le(0x100000, 0x10000);
        ByteBuffer bb = ByteBuffer.wrap(b.clone()).order(ByteOrder.LITTLE_ENDIAN);
        bb.putShort(56, (short) 0xffff);
        assertThrows(JkexecException.class, () -> ElfFile.parse(bb.array(), "phnum"));
        ByteBuffer off = ByteBuffer.wrap(b.clone()).order(ByteOrder.LITTLE_ENDIAN);
        off.putLong(32, Long.MAX_VALUE - 10);
        assertThrows(JkexecException.class, () -> ElfFile.parse(off.array(), "phoff"));
        ByteBuffer seg = ByteBuffer.wrap(b.clone()).order(ByteOrder.LITTLE_ENDIAN);
        seg.putLong(64 + 8, Long.MAX_VALUE); // p_offset
        ElfFile e = ElfFile.parse(seg.array(), "poffset");
        assertThrows(
                JkexecException.class, () -> e.segmentData(e.programHeaders().get(0)));
        byte[] notElf = "#!/bin/sh\necho not a kernel\n".getBytes();
        assertTrue(assertThrows(JkexecException.class, () -> ElfFile.parse(Arrays.copyOf(notElf, 100), "script"))
                .getMessage()
                .contains("bad magic"));
    }

    @Test
    void hostileNoteSizesAreRefused() {
        ByteBuffer n = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        n.putInt(0, 5).putInt(4, 0x7fffffff).putInt(8, 1);
        assertThrows(JkexecException.class, () -> ElfFile.parseNotes(n.array(), ByteOrder.LITTLE_ENDIAN, "notes"));
    }

    @Test
    void coreHeaderLayout() {
        byte[] h = ElfCoreHeader.build(
                List.of(new ElfCoreHeader.NoteBuffer(0x1000, 0x218)),
                new ElfCoreHeader.NoteBuffer(0x2000, 0x1024),
                List.of(new MemRange(0, 0xffff), new MemRange(0x10000, 0x1ffff)),
                0xc000000000000000L,
                ByteOrder.LITTLE_ENDIAN);
        assertEquals(4096, h.length);
        ElfFile e = ElfFile.parse(h, "core");
        assertEquals(4, e.programHeaders().size());
        assertTrue(ElfCoreHeader.redirectLoad(h, 0, 0x5000, ByteOrder.LITTLE_ENDIAN));
        ElfFile moved = ElfFile.parse(h, "core");
        assertEquals(0x5000, moved.programHeaders().get(2).offset());
        assertEquals(0, moved.programHeaders().get(2).paddr());
        assertEquals(0x10000, moved.programHeaders().get(3).offset());
    }
}
