package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Copies of a strings block start with its index of names but never see each other's additions. */
class StringTableTest {
    static StringTable parsed(String nulSeparated) {
        byte[] b = nulSeparated.getBytes(StandardCharsets.ISO_8859_1);
        return new StringTable(b, 0, b.length);
    }

    @Test
    void copiesShareTheIndexButNotEachOthersAdditions() {
        StringTable original = parsed("#size-cells\0reg\0");
        assertEquals(6, original.find("cells")); // the tail of a longer name, as libfdt finds it
        int added = original.findOrAppend("compatible");
        assertEquals(16, added);

        StringTable a = original.copy();
        StringTable b = original.copy();
        int onlyInA = a.findOrAppend("linux,usable-memory");
        assertEquals(27, onlyInA);
        assertEquals(-1, b.find("linux,usable-memory"));
        assertEquals(-1, original.find("linux,usable-memory"));
        assertEquals(27, b.findOrAppend("device_type")); // b's own addition takes the same offset
        assertEquals(-1, a.find("device_type"));

        // what each already had is found where it was first written
        for (StringTable t : new StringTable[] {original, a, b, a.copy()}) {
            assertEquals(0, t.find("#size-cells"));
            assertEquals(6, t.find("cells"));
            assertEquals(12, t.find("reg"));
            assertEquals(16, t.find("compatible"));
            assertEquals(21, t.find("tible")); // a tail of an added name
        }
        assertEquals(27, a.copy().find("linux,usable-memory"));
        assertEquals(33, a.copy().find("usable-memory"));
    }

    @Test
    void aNameEndingAnUnterminatedTailIsFoundFromWhereTheTailBegins() {
        StringTable t = parsed("reg\0abc");
        t.find("reg"); // builds the index; "abc" has no NUL yet
        StringTable c = t.copy();
        assertEquals(7, c.findOrAppend("def"));
        assertEquals(4, c.find("abcdef"));
        assertEquals(6, c.find("cdef"));
        assertEquals(-1, t.find("abcdef"));
    }
}
