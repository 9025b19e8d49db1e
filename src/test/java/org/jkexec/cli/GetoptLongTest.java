package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The kexec personality's scan against getopt_long(3)'s documented behaviour, on kexec-tools'
 * own ppc64 table, as the command uses it; that table is the picocli model's.
 */
class GetoptLongTest {
    static final GetoptLong KEXEC = KexecToolsCommand.GETOPT;

    /** The table the picocli model of the kexec personality makes: its options, in order, with their names. */
    static GetoptLong modelTable() {
        KexecToolsCommand.GetoptTable t = new KexecToolsCommand.GetoptTable();
        for (OptionSpec o :
                new CommandLine(new KexecToolsCommand()).getCommandSpec().options()) {
            t.add(o.arity().max() > 0 ? GetoptLong.Arg.REQUIRED : GetoptLong.Arg.NONE, o.hidden(), o.names());
        }
        return t.build();
    }

    @Test
    void theWrittenOutTableIsTheModels() {
        assertEquals(modelTable(), KexecToolsCommand.GETOPT);
        // and the ids are the model's longest names, which KexecToolsRequest.apply switches on
        for (OptionSpec o :
                new CommandLine(new KexecToolsCommand()).getCommandSpec().options()) {
            GetoptLong.Scan s = KEXEC.scan(List.of(o.longestName() + (o.arity().max() > 0 ? "=v" : "")));
            assertEquals(o.longestName(), s.events().get(0).id(), o.longestName());
        }
    }

    static GetoptLong.Scan scan(String... args) {
        return KEXEC.scan(List.of(args));
    }

    static String ids(GetoptLong.Scan s) {
        StringBuilder b = new StringBuilder();
        for (GetoptLong.Event e : s.events()) {
            b.append(e.isError() ? "ERROR(" + e.error() + ")" : e.id() + (e.value() == null ? "" : "=" + e.value()))
                    .append(' ');
        }
        return b.toString().strip();
    }

    @Test
    void repeatedOptionsAreTakenEachTime() {
        assertEquals("--kexec-file-syscall --kexec-file-syscall --load-panic", ids(scan("-s", "-s", "-p", "K")));
        assertEquals(
                "--debug --debug --command-line=a --command-line=b",
                ids(scan("-d", "-d", "--append=a", "--append", "b")));
    }

    @Test
    void uniquePrefixesMatchAndPrefixesOfOneOptionsSeveralNamesAreNotAmbiguous() {
        assertEquals("--command-line=x --ramdisk=i", ids(scan("--comm=x", "--init=i")));
        assertEquals("--command-line=x", ids(scan("--c=x")), "only command-line starts with c");
        assertEquals("--devicetreeblob=d", ids(scan("--dev=d")));
        assertEquals("--devicetreeblob=d", ids(scan("--dtb", "d")));
        assertEquals("--load-panic", ids(scan("--load-pa")));
        assertEquals("--load", ids(scan("--load")), "an exact match wins over the longer names it prefixes");
    }

    @Test
    void anAmbiguousPrefixIsAnErrorNamingThePossibilities() {
        String e = ids(scan("--load-p"));
        assertTrue(e.startsWith("ERROR(option '--load-p' is ambiguous; possibilities: "), e);
        assertTrue(e.contains("'--load-panic'"), e);
        assertTrue(e.contains("'--load-preserve-context'"), e);
        assertTrue(ids(scan("--a=x")).contains("ambiguous"), "append and args-linux");
        assertTrue(ids(scan("--d")).contains("ambiguous"));
        assertTrue(ids(scan("--r")).contains("ambiguous"));
    }

    @Test
    void jkexecsOwnOptionsMatchOnlyInFullSoNoKexecToolsPrefixChanges() {
        assertEquals("ERROR(unrecognized option '--dry')", ids(scan("--dry")));
        assertEquals("--dry-run", ids(scan("--dry-run")));
        assertEquals("--reuseinitrd", ids(scan("--reusei")), "--root does not join the r prefixes");
    }

    @Test
    void argumentsAsGetoptTakesThem() {
        assertEquals("--command-line=-p", ids(scan("--append", "-p")), "a required argument may start with '-'");
        assertEquals("ERROR(option '--append' requires an argument)", ids(scan("--append")));
        assertEquals("ERROR(option '--load-panic' doesn't allow an argument)", ids(scan("--load-panic=1")));
        assertEquals("--command-line=", ids(scan("--command-line=")), "an empty argument is an argument");
        assertEquals("ERROR(unrecognized option '--nope=1')", ids(scan("--nope=1")));
    }

    @Test
    void shortOptionsBundleAndTakeTheirArgumentFromTheRestOrTheNextWord() {
        assertEquals("--load-panic --debug --kexec-file-syscall", ids(scan("-pds")));
        assertEquals("--load --type=elf-ppc64", ids(scan("-ltelf-ppc64")));
        assertEquals("--type=elf-ppc64 --load-panic", ids(scan("-t", "elf-ppc64", "-p")));
        assertEquals("ERROR(option requires an argument -- 't')", ids(scan("-t")));
        assertEquals("--load-panic ERROR(invalid option -- 'z') --debug", ids(scan("-pzd")));
        assertEquals("-?", ids(scan("-?")));
    }

    @Test
    void operandsAnywhereInOrderAndDoubleDashEndsOptions() {
        GetoptLong.Scan s = scan("K", "-p", "-", "--initrd=I", "--", "-d", "x");
        assertEquals("--load-panic --ramdisk=I", ids(s));
        assertEquals(List.of("K", "-", "-d", "x"), s.operands());
    }
}
