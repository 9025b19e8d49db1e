package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class MapCommandTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = new CommandLine(new MapCommand(MapFixtures::reference4g));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void svgToStandardOutputByDefault() {
        Run r = run();
        assertEquals(0, r.status(), r.err());
        SvgRendererTest.parse(r.out());
        assertTrue(r.out().contains("viewBox=\"0 0 1400 "));
    }

    @Test
    void textWithWidth() {
        Run r = run("--format", "text", "--width", "72");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().allMatch(l -> l.length() <= 72));
        assertTrue(r.out().contains("A: crashkernel 0x20000000 - 0x3fffffff"));
    }

    @Test
    void pngToFile() throws IOException {
        Path f = tmp.resolve("map.png");
        Run r = run("--format", "PNG", "--out", f.toString(), "--width", "900");
        assertEquals(0, r.status(), r.err());
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(900, img.getWidth());
        assertEquals("", r.out());
    }

    @Test
    void svgToFile() throws IOException {
        Path f = tmp.resolve("map.svg");
        assertEquals(0, run("--out", f.toString()).status());
        SvgRendererTest.parse(Files.readString(f));
    }

    @Test
    void refusesBadOptions() {
        assertNotEquals(0, run("--format", "png").status(), "png needs --out");
        assertNotEquals(0, run("--format", "pdf").status());
        assertNotEquals(0, run("--width", "12").status());
        assertNotEquals(0, run("--format", "text", "--width", "5000").status());
    }

    @Test
    void unwiredCommandSaysSo() {
        CommandLine cl = new CommandLine(new MapCommand() {
        });
        cl.setErr(new PrintWriter(new StringWriter()));
        assertNotEquals(0, cl.execute("--format", "text"));
    }

    @Test
    void subclassesCanSupplyTheModel() {
        class Wired extends MapCommand {
            @Override
            protected MemoryMapModel model() {
                return MapFixtures.huge64t();
            }
        }
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new Wired());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--format", "text"));
        assertTrue(out.toString().contains("64 TiB"));
        assertEquals("map", cl.getCommandName());
    }
}
