package org.jkexec.elf;

/** One ELF note: owner name (without NUL), type and descriptor bytes. */
public record ElfNote(String name, int type, byte[] desc) {}
