package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jkexec.JkexecException;
import org.jkexec.units.Hex;

/**
 * Random edit sequences applied both to the tree and to {@link LibfdtSimulator} (a port of
 * libfdt working on bytes): {@link Fdt#toBlobInPlace} must equal libfdt's buffer byte for byte,
 * stale padding and stale tail included, and must refuse a buffer exactly when libfdt would
 * have failed with FDT_ERR_NOSPACE somewhere along the way.
 */
class LibfdtEquivalenceProperties {

    private static final List<String> PROPERTY_NAMES = List.of(
            "phandle",
            "reg",
            "cells",
            "size-cells",
            "linux,usable-memory",
            "x",
            "ax",
            "bax",
            "qq",
            "zqq",
            "status",
            "name",
            "rng-seed",
            "linux,elfcorehdr",
            "l".repeat(70),
            "l".repeat(66),
            "k".repeat(66) + "l".repeat(3));
    private static final List<String> NODE_NAMES =
            List.of("n", "n@1", "cpu@8", "sub", "PowerPC,POWER9@10", "memory", "memory@0", "cpus");

    private static final Map<String, byte[]> SOURCES = new HashMap<>();

    @Provide
    Arbitrary<String> sources() {
        return Arbitraries.of(
                "slof-k1", "kernel-k2", "kexec-tools-k2", "compact", "gaps-and-junk", "v16-in-order", "tiny");
    }

    static synchronized byte[] source(String name) {
        byte[] cached = SOURCES.get(name);
        if (cached == null) {
            cached = switch (name) { // may recurse, so no computeIfAbsent
                case "slof-k1" -> References.bytes(References.KERNEL, "k1-fdt.bin");
                case "kernel-k2" -> References.bytes(References.KERNEL, "k2-fdt.bin");
                case "kexec-tools-k2" -> References.bytes(References.KEXEC_TOOLS, "k2-fdt.bin");
                case "compact" ->
                    References.parse(References.KEXEC_TOOLS, "k2-fdt.bin").toBlob();
                case "gaps-and-junk" -> withGapsAndJunk(source("compact"));
                case "v16-in-order" -> asVersion16(source("compact"));
                // a 15-byte string table: shrinking edits leave struct bytes behind the end
                case "tiny" -> FdtHostileInputTest.valid();
                default -> throw new IllegalArgumentException(name);
            };
            SOURCES.put(name, cached);
        }
        return cached;
    }

    /**
     * A valid blob in canonical block order with every oddity fdt_open_into carries along: junk
     * between header and reserve map, a non-zero address in the map's terminator, junk between
     * the blocks, bytes after FDT_END inside size_dt_struct, an unterminated tail in the strings
     * block, and junk after the strings.
     */
    static byte[] withGapsAndJunk(byte[] compact) {
        int offStruct = FdtFormat.getInt(compact, 8);
        int sizeStruct = FdtFormat.getInt(compact, 36);
        int offStrings = FdtFormat.getInt(compact, 12);
        int sizeStrings = FdtFormat.getInt(compact, 32);
        int rsvSize = offStruct - 40;
        int rsv = 48;
        int struct = rsv + rsvSize + 12;
        int structTrailer = 8;
        int strings = struct + sizeStruct + structTrailer + 7;
        int total = strings + sizeStrings + 3 + 20;
        byte[] b = new byte[total];
        Random r = new Random(42);
        r.nextBytes(b); // junk everywhere, then the real content on top
        System.arraycopy(compact, 0, b, 0, 40);
        System.arraycopy(compact, 40, b, rsv, rsvSize);
        FdtFormat.putLong(b, rsv + rsvSize - 16, 0x1234); // terminator address
        FdtFormat.putLong(b, rsv + rsvSize - 8, 0);
        System.arraycopy(compact, offStruct, b, struct, sizeStruct);
        System.arraycopy(compact, offStrings, b, strings, sizeStrings);
        b[strings + sizeStrings] = 'x';
        b[strings + sizeStrings + 1] = 'y';
        b[strings + sizeStrings + 2] = 'z';
        FdtFormat.putInt(b, 4, total);
        FdtFormat.putInt(b, 8, struct);
        FdtFormat.putInt(b, 12, strings);
        FdtFormat.putInt(b, 16, rsv);
        FdtFormat.putInt(b, 32, sizeStrings + 3);
        FdtFormat.putInt(b, 36, sizeStruct + structTrailer);
        return b;
    }

    /** The same blob declared version 16 (no size_dt_struct): libfdt still keeps it in place. */
    static byte[] asVersion16(byte[] compact) {
        byte[] b = compact.clone();
        FdtFormat.putInt(b, 20, 16);
        FdtFormat.putInt(b, 24, 16);
        FdtFormat.putInt(b, 36, 0);
        return b;
    }

    @Property(tries = 150)
    void editsGiveLibfdtsExactBytes(@ForAll("sources") String sourceName, @ForAll long seed) {
        byte[] blob = source(sourceName);
        Random r = new Random(seed);
        Fdt fdt = Fdt.parse(blob, sourceName);
        int initialMinimum = fdt.inPlaceMinimumSize();
        int big = Math.max(blob.length, initialMinimum) + 100_000;
        List<Consumer<LibfdtSimulator>> ops = new ArrayList<>();
        int count = 1 + r.nextInt(60);
        for (int i = 0; i < count; i++) {
            randomEdit(fdt, r, ops);
        }

        LibfdtSimulator sim = LibfdtSimulator.openInto(blob, big);
        ops.forEach(op -> op.accept(sim));
        assertSameBytes(sim.buffer(), fdt.toBlobInPlace(big));
        assertEquals(sim.dataSize(), fdt.inPlaceContentSize());
        assertEquals(Optional.empty(), fdt.firstDifference(Fdt.parse(fdt.toBlobInPlace(big), "image")));

        // a tight buffer: libfdt fails at some edit exactly when toBlobInPlace refuses the size
        int low = Math.min(initialMinimum, fdt.inPlaceMinimumSize()) - 8;
        int tight = low + r.nextInt(fdt.inPlaceMinimumSize() + 16 - low);
        LibfdtSimulator small = null;
        try {
            small = LibfdtSimulator.openInto(blob, tight);
            for (Consumer<LibfdtSimulator> op : ops) {
                op.accept(small);
            }
        } catch (LibfdtSimulator.NoSpace e) {
            small = null;
        }
        if (small == null) {
            JkexecException e = assertThrows(JkexecException.class, () -> fdt.toBlobInPlace(tight));
            assertEquals(true, e.getMessage().startsWith("FDT_ERR_NOSPACE"), e.getMessage());
        } else {
            assertSameBytes(small.buffer(), fdt.toBlobInPlace(tight));
        }
    }

    private static void assertSameBytes(byte[] expected, byte[] actual) {
        assertEquals(expected.length, actual.length, "length");
        int i = Arrays.mismatch(expected, actual);
        if (i >= 0) {
            fail("first difference at " + Hex.hex(i) + ": libfdt " + (expected[i] & 0xff) + ", ours "
                    + (actual[i] & 0xff) + " (struct at " + Hex.hex(FdtFormat.getInt(expected, 8))
                    + ", strings at " + Hex.hex(FdtFormat.getInt(expected, 12)) + ")");
        }
    }

    private static byte[] randomValue(Random r) {
        int roll = r.nextInt(100);
        int len = roll < 85 ? r.nextInt(41) : roll < 97 ? 41 + r.nextInt(260) : 3000 + r.nextInt(3000);
        byte[] v = new byte[len];
        r.nextBytes(v);
        return v;
    }

    private static <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    /** One random edit on the tree, recorded as the libfdt call that does the same. */
    static void randomEdit(Fdt fdt, Random r, List<Consumer<LibfdtSimulator>> ops) {
        List<FdtNode> nodes = fdt.root().descendants();
        FdtNode n = pick(r, nodes);
        String path = n.path();
        List<FdtProperty> props = n.properties();
        String existing = props.isEmpty() ? null : pick(r, props).name();
        switch (r.nextInt(12)) {
            case 0, 1, 2 -> {
                String name = pick(r, PROPERTY_NAMES);
                byte[] v = randomValue(r);
                n.setProperty(name, v);
                ops.add(s -> s.setprop(path, name, v));
            }
            case 3 -> {
                if (existing != null) {
                    byte[] v = randomValue(r);
                    n.setProperty(existing, v);
                    ops.add(s -> s.setprop(path, existing, v));
                }
            }
            case 4 -> {
                String name = existing != null && r.nextBoolean() ? existing : pick(r, PROPERTY_NAMES);
                byte[] v = randomValue(r);
                n.appendProperty(name, v);
                ops.add(s -> s.appendprop(path, name, v));
            }
            case 5 -> {
                if (existing != null) {
                    n.deleteProperty(existing);
                    ops.add(s -> s.delprop(path, existing));
                }
            }
            case 6 -> {
                if (existing != null) {
                    n.nopProperty(existing);
                    ops.add(s -> s.nopProperty(path, existing));
                }
            }
            case 7, 8 -> {
                String name = pick(r, NODE_NAMES);
                boolean clash = n.children().stream()
                        .anyMatch(k -> k.name().equals(name)
                                || (name.indexOf('@') < 0 && k.name().startsWith(name + "@")));
                if (clash || n.depth() >= FdtFormat.MAX_DEPTH) {
                    assertThrows(JkexecException.class, () -> n.addChild(name));
                } else {
                    n.addChild(name);
                    ops.add(s -> s.addSubnode(path, name));
                }
            }
            case 9 -> {
                if (n.parent().isPresent()) {
                    n.parent().get().deleteChild(n);
                    ops.add(s -> s.delNode(path));
                }
            }
            case 10 -> {
                long address = r.nextLong();
                long size = 1 + r.nextInt(1 << 20);
                fdt.reserveMap().add(new ReserveEntry(address, size));
                ops.add(s -> s.addMemRsv(address, size));
            }
            default -> {
                if (!fdt.reserveMap().isEmpty()) {
                    int i = r.nextInt(fdt.reserveMap().size());
                    fdt.reserveMap().remove(i);
                    ops.add(s -> s.delMemRsv(i));
                }
            }
        }
    }
}
