package org.jkexec.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.PlanDocument;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;

/**
 * What a plan ({@code jkexec plan --json}, read as a {@link PlanDocument}) says the kdump kernel should receive. Every field
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
        OptionalLong pageSize,
        Optional<List<MemRange>> crashkernelCma) {

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

    /**
     * Parses plan JSON into the plan document, then takes from it what verify compares;
     * anything malformed is bad input naming {@code source} and the field.
     */
    public static PlanFacts parse(String json, String source) {
        ObjectMapper mapper = reader();
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw JkexecException.badInput(source, "not JSON: " + oneLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw JkexecException.badInput(source, "not a plan (expected a JSON object)");
        }
        if (!root.has("segments") && !root.has("elfcorehdr") && !root.has("reserveMap")) {
            throw JkexecException.badInput(
                    source, "not a plan written by 'jkexec plan --json' " + "(no segments, elfcorehdr or reserveMap)");
        }
        PlanDocument doc;
        try {
            doc = mapper.treeToValue(root, PlanDocument.class);
        } catch (JsonProcessingException e) {
            throw JkexecException.badInput(source, problem(e));
        } catch (IllegalArgumentException e) {
            throw JkexecException.badInput(source, oneLine(e.getMessage()));
        }
        return of(doc, source);
    }

    /** Unknown fields are ignored (newer plans); strings are strings, never numbers or booleans turned into text. */
    private static ObjectMapper reader() {
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        for (CoercionInputShape shape :
                List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /** One line for a document that does not fit the plan's types: the field's path, then what is wrong. */
    private static String problem(JsonProcessingException e) {
        String field = "";
        String why = oneLine(e.getOriginalMessage());
        if (e instanceof JsonMappingException m) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            field = path.toString();
            Throwable cause = m.getCause();
            if (cause instanceof IllegalArgumentException) {
                why = oneLine(cause.getMessage());
            } else if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                Class<?> t = mi.getTargetType();
                why = Collection.class.isAssignableFrom(t)
                        ? "expected an array"
                        : t == String.class
                                ? "expected a string"
                                : t.isRecord()
                                        ? "expected an object"
                                        : t == Boolean.class || t == boolean.class
                                                ? "expected true or false"
                                                : "expected a number";
            }
        }
        return (field.isEmpty() ? "" : field + ": ") + why;
    }

    private static String oneLine(String s) {
        return s == null ? "malformed" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** What verify compares, from a plan document; fields the document lacks stay empty. */
    static PlanFacts of(PlanDocument doc, String source) {
        P p = new P(source);
        List<PlanSegment> segs = new ArrayList<>();
        if (doc.segments() != null) {
            for (int i = 0; i < doc.segments().size(); i++) {
                PlanDocument.SegmentInfo e = doc.segments().get(i);
                String f = "segments[" + i + "]";
                p.object(e, f);
                if (e.kind() == null) {
                    throw p.bad(f + ".kind", "expected a string");
                }
                segs.add(new PlanSegment(
                        e.kind(),
                        p.num(e.mem(), f + ".mem"),
                        p.opt(e.memsz()).orElse(0),
                        p.opt(e.bufsz()).orElse(0)));
            }
        }
        OptionalLong echAddr = OptionalLong.empty();
        OptionalLong echSize = OptionalLong.empty();
        if (doc.elfcorehdr() != null) {
            echAddr = p.opt(doc.elfcorehdr().addr());
            echSize = p.opt(doc.elfcorehdr().size());
        }
        Optional<List<ReserveEntry>> rsv = Optional.empty();
        if (doc.reserveMap() != null) {
            List<ReserveEntry> l = new ArrayList<>();
            for (int i = 0; i < doc.reserveMap().size(); i++) {
                String f = "reserveMap[" + i + "]";
                PlanDocument.Reserve r = doc.reserveMap().get(i);
                p.object(r, f);
                l.add(new ReserveEntry(p.num(r.address(), f + ".address"), p.num(r.size(), f + ".size")));
            }
            rsv = Optional.of(l);
        }
        Optional<List<MemRange>> usable = Optional.empty();
        Optional<List<MemRange>> crash = Optional.empty();
        Optional<List<MemRange>> reserved = Optional.empty();
        PlanDocument.Ranges ranges = doc.ranges();
        if (ranges != null) {
            usable = p.optRanges(ranges.usable(), "ranges.usable");
            crash = p.optRanges(ranges.crash(), "ranges.crash");
            reserved = p.optRanges(ranges.reserved(), "ranges.reserved");
        }
        Optional<MemRange> ck = Optional.empty();
        Optional<List<MemRange>> cma = Optional.empty();
        Optional<List<MemRange>> ram = Optional.empty();
        OptionalInt cpus = OptionalInt.empty();
        OptionalLong page = OptionalLong.empty();
        PlanDocument.Machine m = doc.machine();
        if (m != null) {
            if (m.crashkernel() != null) {
                ck = Optional.of(p.range(m.crashkernel(), "machine.crashkernel"));
            }
            ram = p.optRanges(m.systemRam(), "machine.systemRam");
            cma = p.optRanges(m.crashkernelCma(), "machine.crashkernelCma");
            if (m.possibleCpus() != null) {
                long c = m.possibleCpus().value();
                if (c < 1 || c > 1 << 20) {
                    throw p.bad("machine.possibleCpus", c + " is not a CPU count");
                }
                cpus = OptionalInt.of((int) c);
            }
            if (m.pageSize() != null) {
                page = OptionalLong.of(m.pageSize().value());
            }
        }
        return new PlanFacts(
                source,
                segs,
                echAddr,
                echSize,
                p.opt(doc.backupStart()),
                rsv,
                usable,
                crash,
                reserved,
                Optional.ofNullable(doc.cmdline()),
                ck,
                ram,
                cpus,
                page,
                cma);
    }

    /** Checks on the document's values that its types cannot express, each failing with one line naming the field. */
    private static final class P {
        final String source;

        P(String source) {
            this.source = source;
        }

        JkexecException bad(String field, String problem) {
            return JkexecException.badInput(source, (field.isEmpty() ? "" : field + ": ") + problem);
        }

        void object(Object o, String f) {
            if (o == null) {
                throw bad(f, "expected an object");
            }
        }

        OptionalLong opt(PlanDocument.Hex v) {
            return v == null ? OptionalLong.empty() : OptionalLong.of(v.value());
        }

        long num(PlanDocument.Hex v, String f) {
            if (v == null) {
                throw bad(f, "missing");
            }
            return v.value();
        }

        MemRange range(PlanDocument.Range r, String f) {
            object(r, f);
            long s = num(r.start(), f + ".start");
            long e = num(r.end(), f + ".end");
            if (Long.compareUnsigned(e, s) < 0) {
                throw bad(f, String.format("end 0x%x is below start 0x%x", e, s));
            }
            return new MemRange(s, e);
        }

        Optional<List<MemRange>> optRanges(List<PlanDocument.Range> v, String field) {
            if (v == null) {
                return Optional.empty();
            }
            List<MemRange> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                out.add(range(v.get(i), field + "[" + i + "]"));
            }
            return Optional.of(out);
        }
    }
}
