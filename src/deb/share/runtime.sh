# Sourced by /usr/sbin/jkexec and /usr/share/jkexec/update-class-archive: which Java runtime
# runs jkexec, how it is started, and the stamp that ties the class-data archive to that
# runtime and to the jar. POSIX sh, no bashisms: dash runs it at boot.

JKEXEC_JAR=/usr/share/jkexec/jkexec.jar
# Debian's JNA (libjna-java): its native part is libjna-jni's, in the JVM's library path;
# nothing is unpacked into a home directory, which may not exist or be writable at boot
JKEXEC_CLASSPATH=$JKEXEC_JAR:/usr/share/java/jna.jar
JKEXEC_ARCHIVE=/var/cache/jkexec/jkexec.jsa
# A short-lived tool: the simplest collector, the quick compiler only, a small young
# generation, no perf-data file; JNA told never to unpack a native library, and given an empty
# platform library path: jkexec calls libc only, which JNA takes from the process itself, and
# without one JNA's start runs `ldconfig -p` to make it (a process more at each load). A method is
# compiled only once it has run ten times as often as the JVM's default asks (2,000 calls):
# a load runs most of its code a few hundred times, fewer than compiling it pays for, and in
# an emulated guest the compiler thread took as long as the load itself (docs/results/performance.md);
# the loops over a large machine's LMBs still are compiled.
JKEXEC_JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:Tier3InvocationThreshold=2000 \
-XX:Tier3MinInvocationThreshold=1000 -XX:Tier3CompileThreshold=20000 -Xmn8m -XX:-UsePerfData -Djna.nounpack=true \
-Djna.platform.library.path="

# Prints the java to run: JAVA_HOME's, else the one on PATH; fails when there is none.
jkexec_java() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        echo "$JAVA_HOME/bin/java"
    else
        command -v java
    fi
}

# Prints what the archive depends on: the runtime (the resolved java and its JVM library and
# module image, whose size and time change with every update) and the jars of the class path
# (the archive holds JNA's classes too). Coreutils by absolute path: the caller's PATH may be
# anything.
jkexec_stamp() {
    home=$(/usr/bin/readlink -f "$1") && home=${home%/bin/java}
    # the class path split at its colons by the shell itself: no process more at each start
    ifs=$IFS
    IFS=:
    # shellcheck disable=SC2086 # split on purpose
    set -- "$home/lib/server/libjvm.so" "$home/lib/modules" $JKEXEC_CLASSPATH
    IFS=$ifs
    /usr/bin/stat -L -c '%n %s %Y' "$@" 2>&1 || :
}
