package org.jkexec.kexec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The plan as a document: what {@code jkexec plan --json} writes and {@code jkexec verify --plan}
 * reads, one set of types for both so the two cannot drift apart. Fields are written in
 * alphabetical order (the order plans have always had); a field that does not apply (a kdump
 * field in a regular kexec plan, a boot problem that is absent) is left out. Readers get
 * {@code null} for anything a plan lacks: plans from other versions, or written by hand, are
 * taken on what they hold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "backupSize",
    "backupStart",
    "bootProblem",
    "cmdline",
    "crashkernelEstimate",
    "elfcorehdr",
    "entry",
    "fdtSize",
    "image",
    "kernelLoadAddr",
    "machine",
    "notes",
    "ranges",
    "reserveMap",
    "segments",
    "vmcore",
    "warnings"
})
public record PlanDocument(
        Hex backupSize,
        Hex backupStart,
        String bootProblem,
        String cmdline,
        Estimate crashkernelEstimate,
        ElfCoreHeaderInfo elfcorehdr,
        Hex entry,
        Integer fdtSize,
        String image,
        Hex kernelLoadAddr,
        Machine machine,
        List<String> notes,
        Ranges ranges,
        List<Reserve> reserveMap,
        List<SegmentInfo> segments,
        Vmcore vmcore,
        List<String> warnings) {

    /**
     * The planned-for machine. {@code crashkernel} is absent when a regular kexec plan's machine
     * reserves none; {@code crashkernelCma}, the crashkernel=SIZE,cma areas, when it has none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"crashkernel", "crashkernelCma", "pageSize", "possibleCpus", "source", "systemRam"})
    public record Machine(
            Range crashkernel,
            List<Range> crashkernelCma,
            Count pageSize,
            Count possibleCpus,
            String source,
            List<Range> systemRam) {}

    /** One kexec segment, by its kind's label. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"bufsz", "kind", "mem", "memsz"})
    public record SegmentInfo(Hex bufsz, String kind, Hex mem, Hex memsz) {}

    /** Where the ELF core header lies, how much is advertised, and how big it really is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"addr", "headerBytes", "programHeaders", "size"})
    public record ElfCoreHeaderInfo(Hex addr, Hex headerBytes, Integer programHeaders, Hex size) {}

    /** One entry of the kdump kernel's FDT reserve map. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"address", "size"})
    public record Reserve(Hex address, Hex size) {}

    /** An inclusive address range. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"end", "start"})
    public record Range(Hex end, Hex start) {
        public static Range of(long start, long end) {
            return new Range(new Hex(end), new Hex(start));
        }
    }

    /** The plan's range lists; {@code usable} and {@code crash} only in kdump plans. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"crash", "exclude", "reserved", "usable"})
    public record Ranges(List<Range> crash, List<Range> exclude, List<Range> reserved, List<Range> usable) {}

    /** The size /proc/vmcore will have, and whether it is exact or an upper bound. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"exact", "size"})
    public record Vmcore(Boolean exact, Long size) {}

    /** How much crashkernel the kdump kernel needs, and what for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"bytes", "parts"})
    public record Estimate(Long bytes, List<EstimatePart> parts) {}

    /** One part of the crashkernel estimate. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"bytes", "what"})
    public record EstimatePart(Long bytes, String what) {}

    /**
     * An address or size, written as a "0x..." string (JSON numbers lose precision above 2^53
     * in many readers). Read from such a string, a decimal string or a non-negative JSON integer.
     */
    public record Hex(long value) {
        @JsonValue
        public String text() {
            return org.jkexec.units.Hex.hex(value);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Hex read(JsonNode v) {
            return new Hex(number(v, "expected a \"0x...\" string"));
        }
    }

    /** A count (a page size, a number of CPUs), written as a JSON number and read like {@link Hex}. */
    public record Count(long value) {
        @JsonValue
        public long json() {
            return value;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Count read(JsonNode v) {
            return new Count(number(v, "expected a number"));
        }
    }

    /** Reads an unsigned 64-bit value; the exception's message is the problem, for the reader to prefix with the field. */
    static long number(JsonNode v, String wrongType) {
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong() || v.asLong() < 0) {
                throw new IllegalArgumentException(v.asText() + " is not an address or size");
            }
            return v.asLong();
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(wrongType);
        }
        String t = v.asText().strip();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                if (t.length() < 3 || t.length() > 18) {
                    throw new NumberFormatException();
                }
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a number");
        }
    }
}
