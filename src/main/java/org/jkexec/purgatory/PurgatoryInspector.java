package org.jkexec.purgatory;

import static org.jkexec.purgatory.PurgatoryLayout.HEAD_SIZE;
import static org.jkexec.purgatory.PurgatoryLayout.RUN_AT_LOAD_OFFSET;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jkexec.JkexecException;

/** Reads the patched values back out of a purgatory image built by {@link Purgatory#build}. */
public final class PurgatoryInspector {

    /**
     * What a built image holds.
     *
     * @param runAtLoadWord the u32 at +0x5c (1 for kdump; otherwise whatever the kernel's head had)
     * @param head          the 256-byte head as it will be copied to physical 0 (word 0 is ours)
     */
    public record Contents(
            long kernelLoadAddr,
            long fdtAddr,
            long backupStart,
            long opalBase,
            long opalEntry,
            int runAtLoadWord,
            byte[] head) {
        public Contents {
            head = head.clone();
        }

        @Override
        public byte[] head() {
            return head.clone();
        }

        public boolean runAtLoad() {
            return runAtLoadWord == 1;
        }

        @Override
        public String toString() {
            return String.format(
                    "purgatory[kernel=0x%x, fdt=0x%x, backup=0x%x, opalBase=0x%x, opalEntry=0x%x, " + "runAtLoad=0x%x]",
                    kernelLoadAddr, fdtAddr, backupStart, opalBase, opalEntry, runAtLoadWord);
        }
    }

    private PurgatoryInspector() {}

    /**
     * Decodes {@code image}; {@code source} names where it came from for the error message.
     * Refuses anything that is not byte-for-byte our program outside the patchable fields.
     */
    public static Contents decode(byte[] image, String source) {
        PurgatoryLayout l = Purgatory.layout();
        if (image.length != l.size()) {
            throw JkexecException.badInput(
                    source, "not a jkexec purgatory: " + image.length + " bytes, expected " + l.size());
        }
        String magic = new String(image, l.magicOffset(), 8, StandardCharsets.US_ASCII);
        if (!magic.equals(PurgatoryLayout.MAGIC)) {
            throw JkexecException.badInput(source, "not a jkexec purgatory (no " + PurgatoryLayout.MAGIC + " marker)");
        }
        byte[] template = PurgatoryProgram.INSTANCE.template();
        if (!Arrays.equals(image, 0, 4, template, 0, 4)
                || !Arrays.equals(image, HEAD_SIZE, l.magicOffset(), template, HEAD_SIZE, l.magicOffset())) {
            throw JkexecException.badInput(source, "purgatory code differs from this jkexec version's");
        }
        return new Contents(
                Purgatory.getLe(image, l.kernelOffset(), 8),
                Purgatory.getLe(image, l.dtOffsetOffset(), 8),
                Purgatory.getLe(image, l.backupStartOffset(), 8),
                Purgatory.getLe(image, l.opalBaseOffset(), 8),
                Purgatory.getLe(image, l.opalEntryOffset(), 8),
                (int) Purgatory.getLe(image, RUN_AT_LOAD_OFFSET, 4),
                Arrays.copyOf(image, HEAD_SIZE));
    }
}
