package org.jkexec.elf;

/** An ELF64 program header (Elf64_Phdr), fields as unsigned 64-bit values in {@code long}s. */
public record ProgramHeader(
        int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz, long align) {
    public static final int PT_LOAD = 1;
    public static final int PT_NOTE = 4;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
    /** Size of one Elf64_Phdr. */
    public static final int SIZE = 56;

    public boolean isLoad() {
        return type == PT_LOAD;
    }

    public boolean isNote() {
        return type == PT_NOTE;
    }

    public String typeName() {
        return switch (type) {
            case 0 -> "NULL";
            case PT_LOAD -> "LOAD";
            case 2 -> "DYNAMIC";
            case 3 -> "INTERP";
            case PT_NOTE -> "NOTE";
            case 6 -> "PHDR";
            case 7 -> "TLS";
            default -> String.format("0x%x", type);
        };
    }
}
