package org.jkexec.ppc64;

/** What a special physical region is, for lists, messages and the memory map. */
public enum RegionKind {
    KERNEL("kernel [0, _end)"),
    RTAS("RTAS"),
    OPAL("OPAL"),
    TCE("TCE table"),
    HTAB("hash page table"),
    INITRD("retained initrd"),
    RESERVED_RANGES("firmware reserved-ranges"),
    CRASHKERNEL("crashkernel");

    private final String label;

    RegionKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
