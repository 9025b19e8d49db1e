package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The string table's hash index answers as libfdt's plain scan does: the first offset where the
 * name and a NUL follow. Names are drawn from two letters, so tails repeat across runs and hashes
 * meet often; runs reach past the indexed length, and an unterminated tail is left open.
 */
class StringTableProperties {
    /** op 0: find, 1: find or append, 2: continue on a copy (after checking a sibling copy's addition stays its own). */
    record Op(int op, String name) {}

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> shortNames =
                Arbitraries.strings().withChars('a', 'b').ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> longNames =
                Arbitraries.strings().withChars('a', 'b').ofMinLength(60).ofMaxLength(80);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, shortNames), net.jqwik.api.Tuple.of(1, longNames));
    }

    @Provide
    Arbitrary<Op> ops() {
        return Arbitraries.integers().between(0, 2).flatMap(op -> names().map(n -> new Op(op, n)));
    }

    @Property(tries = 400)
    void lookupsMatchAPlainScan(
            @ForAll @Size(max = 12) List<@net.jqwik.api.From("names") String> parsed,
            @ForAll("names") String openTail,
            @ForAll @Size(max = 60) List<@net.jqwik.api.From("ops") Op> ops) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String n : parsed) {
            b.writeBytes(n.getBytes(StandardCharsets.ISO_8859_1));
            b.write(0);
        }
        b.writeBytes(openTail.getBytes(StandardCharsets.ISO_8859_1));
        byte[] initial = b.toByteArray();
        StringTable table = new StringTable(initial, 0, initial.length);
        List<Byte> model = new ArrayList<>();
        for (byte x : initial) {
            model.add(x);
        }
        for (Op op : ops) {
            switch (op.op()) {
                case 0 -> assertEquals(firstMatch(model, op.name()), table.find(op.name()), op.name());
                case 1 -> {
                    int expected = firstMatch(model, op.name());
                    if (expected < 0) {
                        expected = model.size();
                        for (byte x : op.name().getBytes(StandardCharsets.ISO_8859_1)) {
                            model.add(x);
                        }
                        model.add((byte) 0);
                    }
                    assertEquals(expected, table.findOrAppend(op.name()), op.name());
                    assertEquals(model.size(), table.size());
                }
                default -> {
                    // "c" is outside the names' alphabet, so it is new in the copy
                    StringTable sibling = table.copy();
                    assertEquals(model.size(), sibling.findOrAppend("c"));
                    assertEquals(-1, table.find("c"), "a copy's addition is seen by its original");
                    table = table.copy();
                }
            }
        }
    }

    /** libfdt's rule, by brute force. */
    static int firstMatch(List<Byte> table, String name) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        for (int s = 0; s + n.length < table.size(); s++) {
            boolean hit = table.get(s + n.length) == 0;
            for (int i = 0; hit && i < n.length; i++) {
                hit = table.get(s + i) == n[i];
            }
            if (hit) {
                return s;
            }
        }
        return -1;
    }
}
