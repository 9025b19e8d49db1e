package org.jkexec.verify;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.jkexec.JkexecException;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a plan ({@code jkexec plan --json}) says the kdump kernel should receive. Every field
 * is optional: a plan from an older or newer jkexec, or hand-written, is compared on what it
 * has. Addresses are "0x..." strings (decimal strings and JSON integers are accepted too).
 * {@code usable}, {@code crash} and {@code reserved} are the plan's range lists (docs/ppc64-kdump.md#range-lists):
 * usable memory, one PT_LOAD per crash range, and RTAS/TCE/reserved-ranges for the reserve map.
 */
public record PlanFacts(
        String source,
        List<PlanSegment> segments,
        OptionalLong elfcorehdrAddr,
        OptionalLong elfcorehdrSize,
        OptionalLong backupStart,
        Optional<List<ReserveEntry>> reserveMap,
        Optional<List<MemRange>> usable,
        Optional<List<MemRange>> crash,
        Optional<List<MemRange>> reserved,
        Optional<String> cmdline,
        Optional<MemRange> crashkernel,
        Optional<List<MemRange>> systemRam,
        OptionalInt possibleCpus,
        OptionalLong pageSize) {

    public PlanFacts {
        Objects.requireNonNull(source);
        segments = List.copyOf(segments);
    }

    /** One kexec segment of the plan. */
    public record PlanSegment(String kind, long mem, long memsz, long bufsz) {
        public MemRange range() {
            return MemRange.ofSize(mem, memsz == 0 ? 1 : memsz);
        }
    }

    /** The plan's first segment of this kind (plans name kinds by their labels). */
    public Optional<PlanSegment> segment(SegmentKind kind) {
        return segments.stream().filter(s -> s.kind().equals(kind.label())).findFirst();
    }

    /** Parses plan JSON; anything malformed is bad input naming {@code source} and the field. */
    public static PlanFacts parse(String json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw JkexecException.badInput(source, "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw JkexecException.badInput(source, "not a plan (expected a JSON object)");
        }
        if (!root.has("segments") && !root.has("elfcorehdr") && !root.has("reserveMap")) {
            throw JkexecException.badInput(source, "not a plan written by 'jkexec plan --json' "
                    + "(no segments, elfcorehdr or reserveMap)");
        }
        P p = new P(source);
        List<PlanSegment> segs = new ArrayList<>();
        JsonNode s = root.get("segments");
        if (s != null && !s.isNull()) {
            p.array(s, "segments");
            for (int i = 0; i < s.size(); i++) {
                JsonNode e = s.get(i);
                String f = "segments[" + i + "]";
                p.object(e, f);
                segs.add(new PlanSegment(p.text(e, "kind", f), p.num(e.get("mem"), f + ".mem"),
                        p.optNum(e, "memsz", f).orElse(0), p.optNum(e, "bufsz", f).orElse(0)));
            }
        }
        JsonNode ech = root.get("elfcorehdr");
        OptionalLong echAddr = OptionalLong.empty();
        OptionalLong echSize = OptionalLong.empty();
        if (ech != null && !ech.isNull()) {
            p.object(ech, "elfcorehdr");
            echAddr = p.optNum(ech, "addr", "elfcorehdr");
            echSize = p.optNum(ech, "size", "elfcorehdr");
        }
        Optional<List<ReserveEntry>> rsv = Optional.empty();
        JsonNode rm = root.get("reserveMap");
        if (rm != null && !rm.isNull()) {
            p.array(rm, "reserveMap");
            List<ReserveEntry> l = new ArrayList<>();
            for (int i = 0; i < rm.size(); i++) {
                String f = "reserveMap[" + i + "]";
                p.object(rm.get(i), f);
                l.add(new ReserveEntry(p.num(rm.get(i).get("address"), f + ".address"), p.num(rm.get(i).get("size"), f + ".size")));
            }
            rsv = Optional.of(l);
        }
        Optional<List<MemRange>> usable = Optional.empty();
        Optional<List<MemRange>> crash = Optional.empty();
        Optional<List<MemRange>> reserved = Optional.empty();
        JsonNode ranges = root.get("ranges");
        if (ranges != null && !ranges.isNull()) {
            p.object(ranges, "ranges");
            usable = p.optRanges(ranges, "usable", "ranges");
            crash = p.optRanges(ranges, "crash", "ranges");
            reserved = p.optRanges(ranges, "reserved", "ranges");
        }
        Optional<MemRange> ck = Optional.empty();
        Optional<List<MemRange>> ram = Optional.empty();
        OptionalInt cpus = OptionalInt.empty();
        OptionalLong page = OptionalLong.empty();
        JsonNode m = root.get("machine");
        if (m != null && !m.isNull()) {
            p.object(m, "machine");
            if (m.hasNonNull("crashkernel")) {
                ck = Optional.of(p.range(m.get("crashkernel"), "machine.crashkernel"));
            }
            ram = p.optRanges(m, "systemRam", "machine");
            OptionalLong c = p.optNum(m, "possibleCpus", "machine");
            if (c.isPresent()) {
                if (c.getAsLong() < 1 || c.getAsLong() > 1 << 20) {
                    throw JkexecException.badInput(source, "machine.possibleCpus: " + c.getAsLong() + " is not a CPU count");
                }
                cpus = OptionalInt.of((int) c.getAsLong());
            }
            page = p.optNum(m, "pageSize", "machine");
        }
        Optional<String> cmdline = root.hasNonNull("cmdline") ? Optional.of(p.text(root, "cmdline", "")) : Optional.empty();
        return new PlanFacts(source, segs, echAddr, echSize, p.optNum(root, "backupStart", ""), rsv, usable, crash, reserved,
                cmdline, ck, ram, cpus, page);
    }

    /** Field readers that turn every type or format error into one line naming the field. */
    private static final class P {
        final String source;

        P(String source) {
            this.source = source;
        }

        JkexecException bad(String field, String problem) {
            return JkexecException.badInput(source, (field.isEmpty() ? "" : field + ": ") + problem);
        }

        void object(JsonNode n, String f) {
            if (n == null || !n.isObject()) {
                throw bad(f, "expected an object");
            }
        }

        void array(JsonNode n, String f) {
            if (!n.isArray()) {
                throw bad(f, "expected an array");
            }
        }

        String text(JsonNode n, String name, String f) {
            JsonNode v = n.get(name);
            String field = f.isEmpty() ? name : f + "." + name;
            if (v == null || !v.isTextual()) {
                throw bad(field, "expected a string");
            }
            return v.asText();
        }

        OptionalLong optNum(JsonNode n, String name, String f) {
            JsonNode v = n.get(name);
            return v == null || v.isNull() ? OptionalLong.empty() : OptionalLong.of(num(v, f.isEmpty() ? name : f + "." + name));
        }

        long num(JsonNode v, String f) {
            if (v == null || v.isNull()) {
                throw bad(f, "missing");
            }
            if (v.isIntegralNumber()) {
                if (!v.canConvertToLong() || v.asLong() < 0) {
                    throw bad(f, v.asText() + " is not an address or size");
                }
                return v.asLong();
            }
            if (!v.isTextual()) {
                throw bad(f, "expected a \"0x...\" string");
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
                throw bad(f, "'" + t + "' is not a number");
            }
        }

        MemRange range(JsonNode n, String f) {
            object(n, f);
            long s = num(n.get("start"), f + ".start");
            long e = num(n.get("end"), f + ".end");
            if (Long.compareUnsigned(e, s) < 0) {
                throw bad(f, String.format("end 0x%x is below start 0x%x", e, s));
            }
            return new MemRange(s, e);
        }

        Optional<List<MemRange>> optRanges(JsonNode n, String name, String f) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            String field = f + "." + name;
            array(v, field);
            List<MemRange> out = new ArrayList<>();
            Iterator<JsonNode> it = v.elements();
            for (int i = 0; it.hasNext(); i++) {
                out.add(range(it.next(), field + "[" + i + "]"));
            }
            return Optional.of(out);
        }
    }
}
