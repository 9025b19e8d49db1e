package org.jkexec.verify;

/** Every check of {@code jkexec verify}: its id, typed here once, and what it establishes. Report order. */
public enum CheckId {
    VMCORE_ELF("vmcore.elf", "/proc/vmcore is a ppc64 ELF64 core file with PT_LOADs"),
    VMCORE_RAM("vmcore.ram", "Every RAM range of the crashed kernel (minus crashkernel) is in exactly one PT_LOAD"),
    VMCORE_CRASHKERNEL("vmcore.crashkernel", "No PT_LOAD exports crashkernel (RTAS/OPAL inside it excepted)"),
    VMCORE_BACKUP_LOAD("vmcore.backup-load", "The first 64 KiB has a PT_LOAD of its own (the backup region)"),
    BACKUP_SOURCE("backup.source", "/proc/vmcore reads the first 64 KiB from the backup copy"),
    BACKUP_RESERVED("backup.reserved", "The backup copy is reserved in the kdump kernel's reserve map"),
    NOTES_CORE_HEADER("notes.core-header", "The core header has one PT_NOTE per possible CPU plus one for vmcoreinfo"),
    NOTES_VMCORE(
            "notes.vmcore", "/proc/vmcore's notes: one NT_PRSTATUS per possible CPU, one VMCOREINFO, sizes consistent"),
    CMDLINE_ELFCOREHDR(
            "cmdline.elfcorehdr", "elfcorehdr= points inside crashkernel and matches /chosen/linux,elfcorehdr"),
    RESERVE_ELFCOREHDR("reserve.elfcorehdr", "The ELF core header is reserved in the reserve map"),
    USABLE_CONFINED(
            "usable.confined",
            "Usable memory is crashkernel plus the low memory below it (linux,usable-memory, linux,drconf-usable-memory)"),
    USABLE_RESERVED(
            "usable.reserved",
            "Usable memory outside crashkernel is reserved (the crashed kernel's; first 64 KiB excepted)"),
    RESERVE_FIRMWARE("reserve.firmware", "RTAS, OPAL and TCE tables are in the reserve map"),
    VMCORE_SIZE("vmcore.size", "/proc/vmcore's size is what its program headers describe"),
    VMCORE_LAYOUT("vmcore.layout", "/proc/vmcore's PT_LOADs are the core header's, as the kdump kernel rewrites them"),
    PLAN("plan", "The kdump kernel got exactly what the plan says"),
    PLAN_MACHINE("plan.machine", "The plan was made for this machine (crashkernel, RAM, CPUs)"),
    PLAN_SEGMENTS(
            "plan.segments",
            "Segments are where the plan put them (elfcorehdr, backup, initrd, FDT; all in crashkernel)"),
    PLAN_ELFCOREHDR("plan.elfcorehdr", "elfcorehdr= and /chosen/linux,elfcorehdr are the plan's"),
    PLAN_RESERVE_MAP("plan.reserve-map", "The reserve map is exactly the plan's"),
    PLAN_USABLE(
            "plan.usable", "linux,usable-memory / linux,drconf-usable-memory are what the plan's usable ranges give"),
    PLAN_CRASH_RANGES("plan.crash-ranges", "/proc/vmcore's PT_LOADs are the plan's crash ranges"),
    PLAN_CMDLINE("plan.cmdline", "The kdump kernel's command line is the plan's");

    private final String id;
    private final String description;

    CheckId(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The id reports and tests name the check by ("vmcore.elf", ...). */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }
}
