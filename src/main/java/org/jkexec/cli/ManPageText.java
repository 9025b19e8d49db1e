package org.jkexec.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The written parts of the man pages, which no option model holds: what the pages say beyond
 * the commands' descriptions, their EXAMPLES, FILES and EXIT STATUS, and the machine-capture
 * format. {@link ReferenceDocs} puts them around what it takes from picocli. Plain text: the
 * generator escapes it for troff.
 */
final class ManPageText {
    private ManPageText() {}

    /** A command page's written parts; the option list and synopsis come from the model. */
    record Page(
            List<String> description, Map<String, String> files, Map<String, String> examples, List<String> seeAlso) {}

    static final List<String> OVERVIEW = List.of(
            "jkexec does in Java what Linux's ppc64 kexec_file_load does inside the kernel: it places the segments of "
                    + "a kdump kernel in crashkernel (or of a regular kexec image anywhere in RAM), builds the next kernel's "
                    + "device tree, the ELF core header and the purgatory, and loads them with kexec_load(2). It plans "
                    + "offline from a machine capture too, draws the memory map, and checks, inside a kdump kernel, what it "
                    + "was handed.",
            "Each command has its own page, named jkexec-COMMAND; 'jkexec COMMAND --help' prints its options. Run as "
                    + "kexec, jkexec reads kexec-tools' command line instead (jkexec-kexec(8)).");

    static final String KEXEC_SUMMARY = "kexec-tools' command line, answered by jkexec when it runs as kexec "
            + "(the jkexec-kexec package makes /usr/sbin/kexec jkexec).";

    /** The statuses every command shares; a command's own list (status, verify, kexec) takes precedence. */
    static final Map<String, String> EXIT_STATUS = ordered(
            "0", "Success.",
            "1",
                    "A load, unload or reboot that cannot be made, or a plan that would not boot (the reason in one line; "
                            + "a kdump kernel already loaded stays loaded).",
            "2", "A bad command line or input file (one line naming the file and the problem).",
            "3", "Out of memory.",
            "70", "An internal error (a defect of jkexec: please report it).");

    static final Map<String, String> FILES = ordered(
            "/usr/sbin/jkexec",
                    "The launcher: it runs the Java runtime (JAVA_HOME's, else the java on PATH) with a "
                            + "small heap and the class-data archive when it matches that runtime.",
            "/usr/share/jkexec/jkexec.jar",
                    "The program. It uses Debian's JNA (/usr/share/java/jna.jar), whose native "
                            + "part is installed, never unpacked at run time.",
            "/var/cache/jkexec/jkexec.jsa",
                    "Class-data archive of the classes a load uses, JNA's included, made at install time and "
                            + "again whenever a package changes /usr/lib/jvm or /usr/share/java/jna.jar (dpkg triggers), "
                            + "from a synthetic machine (jkexec-synth(8)). jkexec.jsa.stamp names the Java runtime and jars "
                            + "it was made for: when they differ "
                            + "the launcher says so on standard error and starts without the archive. "
                            + "/usr/share/jkexec/update-class-archive remakes it.",
            "/run/jkexec/kdump-load",
                    "What jkexec last loaded as the kdump kernel (kernel, initrd, crashkernel, backup "
                            + "region, the crashkernel it needs): written after a load, removed by unload, printed by "
                            + "jkexec-status(8). It lives in /run because the load itself does not survive a reboot.",
            "/sys/kernel/kexec_crash_loaded, /sys/kernel/kexec_loaded", "Whether a kdump or kexec image is loaded.",
            "/sys/firmware/fdt, /proc/device-tree",
                    "The boot device tree and the live one, which the next kernel's " + "device tree is built from.");

    static final List<String> CAPTURE_FORMAT = List.of(
            "A machine capture is a directory laid out like the root of the machine it describes, holding only what "
                    + "a kdump load reads; / is therefore a capture of the running machine. jkexec-capture(8) copies one, "
                    + "jkexec-synth(8) makes one up, and plan, map and verify read them. Paths are relative to the "
                    + "capture:");

    static final Map<String, String> CAPTURE_FILES = ordered(
            "sys/firmware/fdt", "The boot device tree blob (required).",
            "proc/device-tree/",
                    "The live device tree, unpacked (hot-plugged CPUs and memory, the kernel's properties).",
            "proc/cmdline", "The running kernel's command line.",
            "proc/iomem", "System RAM and the Crash kernel region.",
            "proc/cpuinfo", "The MMU (radix or hash).",
            "sys/devices/system/cpu/possible", "The possible CPUs, such as 0-1.",
            "sys/devices/system/cpu/cpuN/crash_notes, crash_notes_size",
                    "Physical address and size of CPU N's crash " + "notes (hexadecimal).",
            "sys/kernel/vmcoreinfo", "Address and size of the vmcoreinfo note (hexadecimal).",
            "sys/kernel/kexec_crash_size", "The crashkernel size after the kernel gave back what it did not need.",
            "sys/kernel/kexec_crash_cma_ranges",
                    "Optional: the crashkernel=SIZE,cma areas, one start-end line (hexadecimal) each.",
            "jkexec/facts",
                    "key=value facts no other file gives: page-size, mmu (radix or hash), kernel-end, "
                            + "fdt-address.",
            "kdump/request", "Optional: kernel=, initrd= and append= of a load to plan, paths relative to kdump/.");

    static final Map<String, String> OVERVIEW_EXAMPLES = ordered(
            "Load the kdump kernel of the running system, then show what is loaded:",
            "jkexec load -p --initrd /boot/initrd.img-$(uname -r) \\\n    --reuse-cmdline /boot/vmlinux-$(uname -r)\n"
                    + "jkexec status",
            "Plan the same load on another machine, from a capture of this one:",
            "jkexec capture /tmp/here\n" + "jkexec plan /tmp/here -k vmlinux --initrd initrd.img");

    /** A description for the options whose model has none (picocli prints them bare). */
    static String optionWithoutHelp(String longestName) {
        return switch (longestName) {
            case "--append", "--command-line" ->
                "The new kernel's command line (for a kdump load, elfcorehdr= is put " + "in front).\n";
            case "--initrd", "--ramdisk" -> "The initial ramdisk to load with the kernel.\n";
            case "--kernel" -> "The kernel (an ELF vmlinux), instead of the KERNEL argument.\n";
            default -> throw new IllegalStateException(longestName + " has no description, in the model or here");
        };
    }

    /** What a positional parameter without a description is. */
    static String parameterWithoutHelp(String label) {
        return switch (label) {
            case "KERNEL" -> "The kernel to load (an ELF vmlinux).";
            case "DIR" -> "The capture directory to write (made if missing).";
            default -> throw new IllegalStateException(label + " has no description, in the model or here");
        };
    }

    static Page forCommand(String name) {
        return switch (name) {
            case "plan" ->
                new Page(
                        List.of(
                                "Nothing is loaded and no privilege is needed: the plan is what jkexec-load(8) would load on that "
                                        + "machine, printed as text or JSON, and with --out written as the files the kernel would get. "
                                        + "A plan that would not boot is printed with the reason and the crashkernel that would work, "
                                        + "and the exit status is 1."),
                        ordered("CAPTURE/kdump/request", "The load to plan when no --kernel is given."),
                        ordered(
                                "Plan the kdump load of a capture with repeatable seeds:",
                                "jkexec plan /tmp/capture --seed 00",
                                "Plan the running machine's kdump load, as JSON:",
                                "jkexec plan -k /boot/vmlinux-$(uname -r) --json"),
                        List.of("jkexec-load(8)", "jkexec-map(8)", "jkexec-verify(8)"));
            case "map" ->
                new Page(
                        List.of("The map shows the plan jkexec-plan(8) makes, with the same options."),
                        Map.of(),
                        ordered(
                                "Draw the kdump plan of a capture as SVG:",
                                "jkexec map /tmp/capture -k vmlinux --out map.svg",
                                "Show it in a terminal 100 columns wide:",
                                "jkexec map /tmp/capture -k vmlinux --format text --width 100"),
                        List.of("jkexec-plan(8)"));
            case "verify" ->
                new Page(
                        List.of("Each check prints one line: what was compared, and on failure what differed."),
                        ordered(
                                "/proc/vmcore", "The crashed kernel's memory, whose ELF headers are checked.",
                                "/sys/firmware/fdt", "The device tree the kdump kernel was handed."),
                        ordered(
                                "Inside the kdump kernel, against the plan made before the crash:",
                                "jkexec verify / --plan /var/lib/kdump/plan.json",
                                "On files copied from a kdump kernel, with the crashed machine's capture:",
                                "jkexec verify /tmp/kdump-root --capture /tmp/capture"),
                        List.of("jkexec-plan(8)", "makedumpfile(8)"));
            case "load" ->
                new Page(
                        List.of(
                                "jkexec plans the load as jkexec-plan(8) does, checks it (root, kernel lockdown, the segments "
                                        + "against crashkernel and the page size) and calls kexec_load(2). A load known not to boot "
                                        + "is refused before kexec_load, so a kdump kernel already loaded stays loaded. After a kdump "
                                        + "load the kernel updates the image on CPU and memory hot-plug where it supports it."),
                        ordered("/run/jkexec/kdump-load", "The record of the kdump load, for jkexec-status(8)."),
                        ordered(
                                "Load the kdump kernel with the running command line:",
                                "jkexec load -p --reuse-cmdline \\\n    --initrd /boot/initrd.img-$(uname -r) "
                                        + "/boot/vmlinux-$(uname -r)",
                                "Check the same load without making it:",
                                "jkexec load -p --dry-run /boot/vmlinux-$(uname -r)"),
                        List.of("jkexec-unload(8)", "jkexec-status(8)", "kexec_load(2)"));
            case "unload" ->
                new Page(
                        List.of(),
                        ordered("/run/jkexec/kdump-load", "Removed when the kdump kernel is unloaded."),
                        ordered("Unload the kdump kernel:", "jkexec unload -p"),
                        List.of("jkexec-load(8)"));
            case "exec" ->
                new Page(
                        List.of(
                                "Services are not stopped and file systems are not unmounted: stop them first, as for kexec -e."),
                        Map.of(),
                        ordered(
                                "Load a kernel, then reboot into it:",
                                "jkexec load -l --reuse-cmdline /boot/vmlinux-$(uname -r)\njkexec exec"),
                        List.of("jkexec-load(8)", "systemctl(1)"));
            case "status" ->
                new Page(
                        List.of(
                                "For a kdump kernel jkexec loaded since boot, status also prints what was loaded.",
                                "It prints the crashkernel region and the areas of crashkernel=SIZE,cma; when the "
                                        + "kernel reserved no region, it says why, from the crashkernel= words of its "
                                        + "command line (ppc64 ignores SIZE,high and SIZE,low), and names a "
                                        + "crashkernel= the kernel honours."),
                        ordered(
                                "/sys/kernel/kexec_crash_loaded, /sys/kernel/kexec_loaded",
                                        "What the kernel says is loaded.",
                                "/sys/kernel/kexec_crash_size, /proc/device-tree/chosen/linux,crashkernel-base",
                                        "The crashkernel region.",
                                "/sys/kernel/kexec_crash_cma_ranges", "The crashkernel=SIZE,cma areas.",
                                "/run/jkexec/kdump-load", "What jkexec loaded."),
                        ordered(
                                "In a script, load the kdump kernel unless one is loaded:",
                                "jkexec status -p || jkexec load -p /boot/vmlinux-$(uname -r)"),
                        List.of("jkexec-load(8)"));
            case "capture" ->
                new Page(
                        List.of(
                                "Only what a kdump load reads is copied (see the capture format in jkexec(8)); the files keep their "
                                        + "bytes whatever the locale."),
                        Map.of(),
                        ordered(
                                "Capture this machine and plan its kdump load elsewhere:",
                                "jkexec capture /tmp/capture\njkexec plan /tmp/capture -k vmlinux"),
                        List.of("jkexec-plan(8)"));
            case "synth" ->
                new Page(
                        List.of("The package trains its class-data archive on a small synthetic machine and kernel."),
                        Map.of(),
                        ordered(
                                "A 4 GiB machine with 512 MiB of crashkernel and a kernel to plan with:",
                                "jkexec synth /tmp/m --memory 4G --cpus 8 \\\n    --crashkernel 512M --kernel /tmp/vmlinux\n"
                                        + "jkexec plan /tmp/m -k /tmp/vmlinux"),
                        List.of("jkexec-plan(8)"));
            case "kexec" ->
                new Page(
                        List.of(
                                "When jkexec runs by the name kexec (a link named kexec to /usr/sbin/jkexec, which the jkexec-kexec "
                                        + "package installs as a diversion of kexec-tools' /usr/sbin/kexec and /sbin/kexec), or as "
                                        + "'jkexec kexec', it reads kexec-tools' options, so kdump-config(8) and other scripts written "
                                        + "for kexec-tools use it unchanged. kexec-tools' own kexec stays installed as "
                                        + "/usr/sbin/kexec.kexec-tools; removing jkexec-kexec gives it its name back.",
                                "jkexec-kexec also replaces kdump-tools' udev rule with one that reloads the kdump kernel on "
                                        + "memory and CPU hotplug only where the kernel does not update the loaded image itself "
                                        + "(crash_hotplug reads 1 there): one Java start and no window without kdump per event.",
                                "/usr/share/doc/jkexec/kexec-options.md lists every kexec-tools option and what jkexec does with it."),
                        ordered(
                                "/usr/sbin/kexec",
                                "jkexec, when jkexec-kexec is installed.",
                                "/usr/sbin/kexec.kexec-tools",
                                "kexec-tools' kexec, when jkexec-kexec is installed.",
                                "/usr/lib/udev/rules.d/50-kdump-tools.rules",
                                "jkexec-kexec's rule for kdump-tools: no reload on hotplug where the kernel updates the image.",
                                "/usr/lib/udev/rules.d/50-kdump-tools.rules.kdump-tools",
                                "kdump-tools' own rule, diverted while jkexec-kexec is installed."),
                        ordered(
                                "What kdump-config runs to load the kdump kernel:",
                                "kexec -p --command-line=\"$(cat /proc/cmdline)\" \\\n    --initrd=/boot/initrd.img "
                                        + "/boot/vmlinux",
                                "Whether a kdump kernel is loaded (status 1 when it is, as kexec-tools):",
                                "kexec -p -S",
                                "The same load with kexec-tools' own program:",
                                "kexec.kexec-tools -p --initrd=/boot/initrd.img /boot/vmlinux"),
                        List.of("kexec(8)", "kdump-config(8)", "jkexec-load(8)"));
            default -> throw new IllegalArgumentException("no man page text for " + name);
        };
    }

    /** An insertion-ordered map of key, value, key, value... (the order the page lists them in). */
    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
