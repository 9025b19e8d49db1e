package org.jkexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout launcher ./jkexec: its build step says one line on stderr and nothing else
 * (Maven's output only when the build fails). It runs against stand-ins for mvn and java, so
 * it takes milliseconds and does not depend on Maven's console library.
 */
class LauncherTest {
    @TempDir
    Path checkout;

    Path mvnLog;

    record Result(int status, String out, String err) {}

    /** A checkout with the real launcher, a pom, one source file, and stand-ins for mvn and java on PATH. */
    @BeforeEach
    void checkout() throws IOException {
        Files.copy(Path.of("jkexec"), checkout.resolve("jkexec"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(checkout.resolve("src/main"));
        Files.writeString(checkout.resolve("src/main/Source.java"), "class Source {}\n");
        mvnLog = checkout.resolve("mvn-calls");
        // Maven's chatter and the colour reset jansi writes at exit go to both streams; the
        // build makes the jar, or fails when the checkout holds a file named FAIL
        script("bin/mvn", """
                #!/bin/sh
                echo "args=$* MAVEN_OPTS=$MAVEN_OPTS" >> "%s"
                printf '\\033[0m[INFO] chatter\\n'
                printf '\\033[0m[WARNING] chatter\\n' >&2
                if [ -e FAIL ]; then echo "[ERROR] COMPILATION ERROR"; exit 1; fi
                mkdir -p target && : > target/jkexec.jar
                """.formatted(mvnLog));
        script("bin/java", """
                #!/bin/sh
                echo "java $*"
                """);
    }

    void script(String name, String text) throws IOException {
        Path p = checkout.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Result launch(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = checkout.resolve("jkexec").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
        pb.environment().put("PATH", checkout.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().remove("MAVEN_OPTS");
        Path out = checkout.resolve("stdout");
        Path err = checkout.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher still running after 30 s");
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    String mvnCalls() throws IOException {
        return Files.exists(mvnLog) ? Files.readString(mvnLog) : "";
    }

    @Test
    void theFirstRunBuildsSayingOneLineAndThenRuns() throws Exception {
        Result r = launch("plan", "x");
        assertEquals(0, r.status(), r.err());
        assertEquals("building jkexec (first run)\n", r.err());
        assertFalse(r.out().contains("\033") || r.out().contains("chatter"), r.out());
        assertTrue(
                r.out().endsWith("-jar " + checkout.toRealPath().resolve("target/jkexec.jar") + " plan x\n"), r.out());
        String calls = mvnCalls();
        assertTrue(calls.contains("-B -q -ntp -DskipTests package"), calls);
        assertTrue(calls.contains("-Djansi.noreset=true"), calls);
    }

    @Test
    void aJarNewerThanTheSourcesRunsWithoutBuilding() throws Exception {
        launch("--version");
        Files.delete(mvnLog);
        Files.setLastModifiedTime(
                checkout.resolve("target/jkexec.jar"),
                FileTime.from(Instant.now().plusSeconds(60)));
        Result r = launch("--version");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertEquals("", mvnCalls());
    }

    @Test
    void aSourceNewerThanTheJarRebuilds() throws Exception {
        launch("--version");
        Files.setLastModifiedTime(
                checkout.resolve("target/jkexec.jar"),
                FileTime.from(Instant.now().minusSeconds(60)));
        Result r = launch("--version");
        assertEquals(0, r.status(), r.err());
        assertEquals("building jkexec (sources changed)\n", r.err());
    }

    @Test
    void aFailedBuildShowsMavensOutputAndDoesNotRun() throws Exception {
        Files.writeString(checkout.resolve("FAIL"), "");
        Result r = launch("plan", "x");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("building jkexec (first run)\n"), r.err());
        assertTrue(r.err().contains("[ERROR] COMPILATION ERROR"), r.err());
        assertTrue(
                r.err()
                        .endsWith("jkexec: the build failed (mvn -B -DskipTests package in " + checkout.toRealPath()
                                + ")\n"),
                r.err());
    }

    /**
     * The class-data archive is made once per jar and Java runtime: a stamp of both says when to
     * make it again (after a runtime update the JVM would reject it), and nothing hides what the
     * JVM says about it.
     */
    @Test
    void theClassArchiveIsMadeAgainWhenTheRuntimeChangesAndNeverHidden() throws Exception {
        Files.createDirectories(checkout.resolve("captures/pseries-4g-2cpu-crash512m"));
        Path javaLog = checkout.resolve("java-calls");
        script("bin/java", """
                #!/bin/sh
                echo "java $*" >> "%s"
                for a in "$@"; do
                  case $a in -XX:ArchiveClassesAtExit=*) echo archive > "${a#-XX:ArchiveClassesAtExit=}" ;; esac
                done
                echo "java $*"
                """.formatted(javaLog));
        Result first = launch("--version");
        assertEquals(0, first.status(), first.err());
        Path stamp = checkout.resolve("target/jkexec.jsa.stamp");
        assertTrue(Files.exists(checkout.resolve("target/jkexec.jsa")) && Files.exists(stamp));
        assertTrue(
                first.out()
                        .contains(
                                "-XX:SharedArchiveFile=" + checkout.toRealPath().resolve("target/jkexec.jsa")),
                first.out());
        assertFalse(first.out().contains("-Xlog:cds=off"), "the JVM's word on the archive is never hidden");
        launch("--version");
        assertEquals(1, Files.readString(javaLog).split("ArchiveClassesAtExit", -1).length - 1, "made once");
        Files.writeString(stamp, "the runtime before an update\n");
        launch("--version");
        assertEquals(2, Files.readString(javaLog).split("ArchiveClassesAtExit", -1).length - 1, "made again");
        assertTrue(!Files.readString(stamp).contains("the runtime before an update"), "stamped anew");
    }
}
