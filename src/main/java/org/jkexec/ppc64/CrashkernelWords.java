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
 * {@code ,cma} (the generic parser from Linux 6.17, ppc64 from a 2025 patch, with CONFIG_CMA)
 * adds a contiguous area beside the region a word without suffix reserves, and no region on its own.
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
        List<String> vs = values(cmdline);
        if (vs.isEmpty()) {
            return "no crashkernel reserved: boot the machine with crashkernel=SIZE";
        }
        String plain = null;
        String suffixed = null;
        for (String v : vs) {
            if (v.endsWith(",high") || v.endsWith(",low") || v.endsWith(",cma")) {
                suffixed = v;
            } else {
                plain = v;
            }
        }
        if (plain != null) {
            return "no crashkernel reserved although the command line asks for crashkernel=" + plain
                    + ": the kernel could not reserve it (its boot log says why: too large, over the running kernel, "
                    + "or no memory at the offset); boot with a smaller size or another offset";
        }
        String size = suffixed.substring(0, suffixed.lastIndexOf(','));
        String form = suffixed.substring(suffixed.lastIndexOf(','));
        String why = form.equals(",cma")
                ? ",cma only adds a contiguous area beside a crashkernel=SIZE region and reserves no crashkernel region on its own"
                : "ppc64 kernels do not honour " + form
                        + " (they ignore crashkernel=SIZE,high and ,low without a message)";
        return "no crashkernel reserved: the command line asks for crashkernel=" + suffixed + ", but " + why
                + "; boot with crashkernel=" + size;
    }
}
