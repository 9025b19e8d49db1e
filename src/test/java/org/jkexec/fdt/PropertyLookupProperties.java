package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Name lookups in a node stay right through every kind of edit. Nodes with more than a few
 * properties answer from an index (FdtNode.findProperty); the model here is a plain list of
 * names in property order, so both the index and the order are checked against it.
 */
class PropertyLookupProperties {
    /** op 0..5 and a name out of 24, so names repeat and nodes grow past the index threshold. */
    record Edit(int op, int name) {}

    @Provide
    Arbitrary<Edit> edits() {
        return Arbitraries.integers()
                .between(0, 5)
                .flatMap(op -> Arbitraries.integers().between(0, 23).map(n -> new Edit(op, n)));
    }

    @Property(tries = 300)
    void lookupsMatchAListOfNames(@ForAll @Size(max = 120) List<@net.jqwik.api.From("edits") Edit> edits) {
        Fdt fdt = Fdt.empty();
        FdtNode node = fdt.root().appendChild("cpus");
        List<String> model = new ArrayList<>();
        for (Edit e : edits) {
            String name = "prop-" + e.name();
            byte[] value = {(byte) e.name(), (byte) model.size()};
            switch (e.op()) {
                case 0 -> { // libfdt setprop: in front when new
                    if (!model.contains(name)) {
                        model.add(0, name);
                    }
                    node.setProperty(name, value);
                }
                case 1 -> { // a directory reader's append at the end
                    if (!model.contains(name)) {
                        model.add(name);
                        node.appendPropertyAtEnd(name, value);
                    }
                }
                case 2 -> assertEquals(model.remove(name), node.deleteProperty(name));
                case 3 -> assertEquals(model.remove(name), node.nopProperty(name));
                case 4 -> { // a copy, whose lists are filled directly, then edited
                    fdt = fdt.copy();
                    node = fdt.node("/cpus").orElseThrow();
                }
                default -> { // a parse of the blob, whose lists are filled directly too
                    fdt = Fdt.parse(fdt.toBlob(), "edits");
                    node = fdt.node("/cpus").orElseThrow();
                }
            }
            for (int n = 0; n < 24; n++) {
                String other = "prop-" + n;
                assertEquals(model.contains(other), node.hasProperty(other), other + " after " + e);
                assertEquals(model.contains(other), node.property(other).isPresent(), other);
            }
            assertEquals(
                    model, node.properties().stream().map(FdtProperty::name).toList());
        }
    }
}
