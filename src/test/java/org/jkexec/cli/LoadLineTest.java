package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@link LoadLine} reads the lines it takes as picocli reads them, and leaves the others to picocli. */
class LoadLineTest {
    /** Every field a load reads from its command line, as one string. */
    static String fields(LoadCommand c) {
        PlanningOptions p = c.planning;
        return "crash=" + c.crash + " regular=" + c.regular + " kernelArg=" + c.kernelArg + " kernel=" + c.kernel
                + " initrd=" + c.initrd + " append=" + c.append + " reuse=" + c.reuseCmdline + " dtb=" + c.dtb
                + " file=" + c.file + " dryRun=" + c.dryRun + " root=" + c.root + " holeSearch=" + p.holeSearch
                + " placement=" + p.placement + " noCrashHotplug=" + p.noCrashHotplug + " fdtSize=" + p.fdtSize
                + " seed=" + p.seed;
    }

    /** picocli's reading of {@code args} (args[0] = "load"), or null where picocli refuses it. */
    static String picocli(String[] args) {
        LoadCommand c = new LoadCommand();
        CommandLine cl = new CommandLine(c);
        try {
            cl.parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
        } catch (CommandLine.ParameterException e) {
            return null;
        }
        return fields(c);
    }

    private static String[] line(String... words) {
        String[] a = new String[words.length + 1];
        a[0] = "load";
        System.arraycopy(words, 0, a, 1, words.length);
        return a;
    }

    @Test
    void theGuestsLineIsTakenAsPicocliTakesIt() {
        String[] a = line(
                "-p",
                "--seed",
                "6a6b",
                "--kernel",
                "/vmlinux",
                "--initrd",
                "/inner.gz",
                "--append",
                "console=hvc0 maxcpus=1 e2e_token=x");
        assertNotNull(LoadLine.parse(a));
        assertEquals(picocli(a), fields(LoadLine.parse(a)));
        String[] b = line(
                "--load-panic",
                "/vmlinux",
                "--initrd=/i",
                "--append=a=b c",
                "--dry-run",
                "--root",
                "/tmp/m",
                "--placement=kernel",
                "--no-crash-hotplug",
                "--fdt-size",
                "linux-6.12",
                "--hole-search=mainline");
        assertEquals(picocli(b), fields(LoadLine.parse(b)));
        String[] none = line();
        assertEquals(picocli(none), fields(LoadLine.parse(none)));
    }

    @Test
    void anythingButThePlainFormsIsLeftToPicocli() {
        for (String[] a : List.of(
                line("-h"),
                line("--help"),
                line("-V"),
                line("-p", "-p", "/k"),
                line("-p", "--kernel", "/a", "--kernel", "/b"),
                line("-pl", "/k"),
                line("-p", "-k/k"),
                line("-p", "--kern", "/k"),
                line("-p", "/k", "/k2"),
                line("-p", "@args"),
                line("-p", "--", "/k"),
                line("-p", "--append", "-x"),
                line("-p", "--append"),
                line("-p", "--append", ""),
                line("-p", "--append="),
                line("-p", "--dry-run=true", "/k"),
                line("-p", "/k\0"),
                line("-p", "-"),
                line("-p", "--unknown"))) {
            assertNull(LoadLine.parse(a), String.join(" ", a));
        }
    }

    /** The model's option names are the ones LoadLine knows, each with its kind (flag or value). */
    @Test
    void namesAreTheModels() {
        CommandLine cl = new CommandLine(new LoadCommand());
        Set<Integer> ids = new HashSet<>();
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) {
                for (String n : o.names()) {
                    assertEquals(-1, LoadLine.id(n), n);
                }
                continue;
            }
            int id = LoadLine.id(o.names()[0]);
            assertTrue(id >= 0, o.longestName());
            assertTrue(ids.add(id), o.longestName());
            for (String n : o.names()) {
                assertEquals(id, LoadLine.id(n), n);
            }
            assertEquals(o.arity().max() == 0, id <= LoadLine.DRY_RUN, o.longestName());
            assertEquals(
                    o.typeInfo().getType() == java.nio.file.Path.class,
                    id >= LoadLine.KERNEL && id <= LoadLine.ROOT,
                    o.longestName());
        }
        assertEquals(LoadLine.SEED + 1, ids.size());
    }

    private static final List<String> WORDS = List.of(
            "-p",
            "--load-panic",
            "--crash",
            "-l",
            "--load",
            "--reuse-cmdline",
            "--file",
            "-s",
            "--no-crash-hotplug",
            "--dry-run",
            "--kernel",
            "-k",
            "--initrd",
            "--ramdisk",
            "--append",
            "--command-line",
            "--dtb",
            "--root",
            "--hole-search",
            "--placement",
            "--fdt-size",
            "--seed",
            "/vmlinux",
            "/i",
            "a b=c",
            "-x",
            "",
            "@f",
            "--",
            "--kernel=/k",
            "--append=x=y",
            "--seed=00",
            "--root=",
            "-h",
            "-V",
            "-pl",
            "--bogus",
            "kernel");

    @Provide
    Arbitrary<List<String>> lines() {
        return Arbitraries.of(WORDS).list().ofMaxSize(8);
    }

    /** Whatever the line, LoadLine takes it as picocli does, or leaves it to picocli. */
    @Property(tries = 3000)
    void takenLinesReadAsPicocliReadsThem(@ForAll("lines") List<String> words) {
        String[] a = line(words.toArray(new String[0]));
        LoadCommand quick = LoadLine.parse(a);
        if (quick != null) {
            assertEquals(picocli(a), fields(quick), String.join(" | ", words));
        }
    }

    @Test
    void mostLinesOfTheGeneratorAreTakenSomewhere() {
        // the property above must see taken lines, not only refused ones
        List<String[]> taken = new ArrayList<>();
        for (String w : WORDS) {
            String[] a = line("-p", w, "/k");
            if (LoadLine.parse(a) != null) {
                taken.add(a);
            }
        }
        assertTrue(taken.size() >= 8, "taken: " + taken.size());
    }
}
