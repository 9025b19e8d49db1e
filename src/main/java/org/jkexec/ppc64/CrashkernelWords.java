package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a ppc64 kernel reserved no crashkernel, from the words of its command line
 * (docs/ppc64-kdump.md#crashkernel-forms).
 *
 * <p>The kernel reads the last {@code crashkernel=} word without a suffix: {@code SIZE[@OFFSET]}
 * or {@code RANGE:SIZE[,RANGE:SIZE...][@OFFSET]}. ppc64 hands the generic parser no place for
 * {@code ,high} and {@code ,low}, so those forms reserve nothing and the kernel says nothing;
 * {@code ,cma} (Linux 6.17 and later with CONFIG_CMA; on ppc64 {@code arch_reserve_crashkernel}
 * and {@code kdump_cma_reserve}, as in 7.3) adds up to four contiguous areas beside the region a
 * word without suffix reserves: alone it reserves the areas but no region to load into.
 */
public final class CrashkernelWords {
    private CrashkernelWords() {}

    /** The command line's {@code crashkernel=} values, in order. */
    static List<String> values(String cmdline) {
        List<String> out = new ArrayList<>();
        for (String w : cmdline.trim().split("\\s+")) {
            if (w.startsWith("crashkernel=")) {
                out.add(w.substring("crashkernel=".length()));
            }
        }
        return out;
    }

    /** One sentence: why a kernel with this command line reserved no crashkernel, and what to boot with. */
    public static String whyNoneReserved(String cmdline) {
        return whyNoneReserved(cmdline, "");
    }

    /**
     * The same sentence with {@code seen}, what showed that none is reserved, after its first
     * words ("no crashkernel reserved (seen): ...").
     */
    public static String whyNoneReserved(String cmdline, String seen) {
        String none = "no crashkernel reserved" + (seen.isEmpty() ? "" : " (" + seen + ")");
        List<String> vs = values(cmdline);
        if (vs.isEmpty()) {
            return none + ": boot the machine with crashkernel=SIZE";
        }
        String plain = null;
        // the word that says how much the user meant for the kdump kernel: the last ,high (the
        // main region of that form; ,low is its helper below 4 GiB), else the last ,low or ,cma
        String suffixed = null;
        for (String v : vs) {
            if (v.endsWith(",high")) {
                suffixed = v;
            } else if (v.endsWith(",low") || v.endsWith(",cma")) {
                if (suffixed == null || !suffixed.endsWith(",high")) {
                    suffixed = v;
                }
            } else {
                plain = v;
            }
        }
        if (plain != null) {
            return none + " although the command line asks for crashkernel=" + plain
                    + ": the kernel could not reserve it (its boot log says why: too large, over the running kernel, "
                    + "or no memory at the offset); boot with a smaller size or another offset";
        }
        String size = suffixed.substring(0, suffixed.lastIndexOf(','));
        String form = suffixed.substring(suffixed.lastIndexOf(','));
        if (form.equals(",cma")) {
            return none + ": the command line asks for crashkernel=" + suffixed
                    + ", but ,cma only adds contiguous areas beside a crashkernel=SIZE region and reserves no "
                    + "crashkernel region on its own; boot with crashkernel=" + size
                    + ", or a smaller crashkernel=SIZE beside crashkernel=" + suffixed;
        }
        return none + ": the command line asks for crashkernel=" + suffixed + ", but ppc64 kernels do not honour "
                + form + " (they ignore crashkernel=SIZE,high and ,low without a message); boot with crashkernel="
                + size;
    }
}
