package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jkexec.units.Hex;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgRendererTest {
    static Document parse(String svg) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }

    static int elementCount(String svg) {
        return parse(svg).getElementsByTagName("*").getLength();
    }

    static List<String> texts(Document d) {
        NodeList n = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) {
            out.add(n.item(i).getTextContent());
        }
        return out;
    }

    static List<Element> byClass(Document d, String prefix) {
        NodeList n = d.getElementsByTagName("*");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) {
            Element e = (Element) n.item(i);
            if (e.getAttribute("class").startsWith(prefix)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void isWellFormedSvgWithViewBoxTitleAndLegend() {
        MapLayout l = MapLayout.of(MapFixtures.reference4g(), 1400);
        Document d = parse(SvgRenderer.render(l));
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        assertEquals("0 0 1400 " + SvgRenderer.num(l.height()), root.getAttribute("viewBox"));
        List<String> texts = texts(d);
        assertTrue(texts.stream().anyMatch(t -> t.contains("pseries-4g-2cpu-crash512m")), "title");
        assertTrue(texts.stream().anyMatch(t -> t.contains("crashkernel 512 MiB at 0x20000000")), "machine summary");
        for (MapLayer layer : List.of(
                MapLayer.RAM,
                MapLayer.CRASHKERNEL,
                MapLayer.KERNEL,
                MapLayer.RTAS,
                MapLayer.SEG_KERNEL,
                MapLayer.SEG_PURGATORY,
                MapLayer.SEG_BACKUP,
                MapLayer.SEG_ELFCOREHDR,
                MapLayer.SEG_INITRD,
                MapLayer.SEG_FDT,
                MapLayer.BACKUP_SOURCE)) {
            assertTrue(texts.contains(layer.legend()), "legend entry " + layer);
        }
    }

    @Test
    void everySegmentIsLabelledWithItsAddressInEveryPanelShowingIt() {
        MemoryMapModel m = MapFixtures.reference4g();
        Document d = parse(SvgRenderer.render(MapLayout.of(m, 1400)));
        List<String> texts = texts(d);
        for (MapRegion r : m.regions()) {
            if (r.layer().row() == MapRow.KEXEC || r.layer().row() == MapRow.EXCLUDED) {
                long labels = texts.stream()
                        .filter(t -> t.equals(r.label()) || t.startsWith(r.label() + " \u00b7"))
                        .count();
                // the overview and one zoom panel (segments and RTAS: A; kernel and backup source: B)
                assertEquals(2, labels, "labels of " + r.label());
                assertTrue(texts.stream().anyMatch(t -> t.contains(Hex.hex(r.start()))), "address of " + r.label());
            }
        }
    }

    @Test
    void oneElementPerRunNotPerLmb() {
        MemoryMapModel m = MapFixtures.huge64t();
        long runs = m.regions().stream().filter(r -> !r.layer().labelled()).count();
        String svg = SvgRenderer.render(MapLayout.of(m, 1400));
        Document d = parse(svg);
        int all = d.getElementsByTagName("*").getLength();
        assertTrue(all < 2000, "elements: " + all);
        List<Element> ram = byClass(d, "bar layer-ram");
        assertTrue(ram.size() >= 3, "the RAM rows are drawn");
        assertTrue(ram.size() <= 3 * runs, ram.size() + " RAM bars for " + runs + " runs in 3 panels");
        List<Element> bars = byClass(d, "bar ");
        int labelled =
                (int) m.regions().stream().filter(r -> r.layer().labelled()).count();
        assertTrue(bars.size() >= labelled, "every labelled region is drawn");
        assertTrue(svg.length() < 400_000, "size " + svg.length());
    }

    @Test
    void barsCarryTheirExactRangeAsATooltip() {
        Document d = parse(SvgRenderer.render(MapLayout.of(MapFixtures.reference4g(), 1400)));
        List<String> tips = new ArrayList<>();
        for (Element e : byClass(d, "bar ")) {
            tips.add(e.getTextContent());
        }
        assertTrue(tips.contains("RTAS [0x2ffff000 - 0x2ffff83b] 2.06 KiB"), tips.toString());
        assertTrue(tips.contains("initrd [0x20861000 - 0x20b3efff] 2.87 MiB"), tips.toString());
    }

    @Test
    void escapesText() {
        List<MapRegion> r = new ArrayList<>(MapFixtures.reference4g().regions());
        r.add(new MapRegion(MapLayer.RESERVED_RANGES, "fw <a&b> \"q\" 'x'", 0x50000000L, 0x5000ffffL));
        MemoryMapModel m = new MemoryMapModel("odd <title> & \"quotes\"", r, null);
        Document d = parse(SvgRenderer.render(MapLayout.of(m, 1000)));
        List<String> texts = texts(d);
        assertTrue(texts.stream().anyMatch(t -> t.contains("odd <title> & \"quotes\"")), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.equals("fw <a&b> \"q\" 'x'")));
    }

    @Test
    void formatsNumbersCompactly() {
        assertEquals("12", SvgRenderer.num(12.0));
        assertEquals("12.5", SvgRenderer.num(12.5));
        assertEquals("0.33", SvgRenderer.num(1 / 3.0));
    }
}
