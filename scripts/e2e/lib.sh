# Common settings for the e2e harness; sourced by the scripts in scripts/e2e/.
# shellcheck shell=bash

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${REPO:-$(cd "$E2E_DIR/../.." && pwd)}
# What setup downloads and unpacks depends only on Debian's archive, not on the checkout:
# it lives in a persistent cache outside the work tree, so a fresh clone (CI) reuses it.
E2E_CACHE=${E2E_CACHE:-/var/cache/jkexec-e2e}
# Downloaded .deb files.
E2E_DEBS=${E2E_DEBS:-$E2E_CACHE/debs}
# Unpacked ppc64el packages (dpkg -x of every .deb) and the stripped kernel.
E2E_ROOT=$E2E_CACHE/ppc64el-root
# What depends on the checkout (the initramfs holds its jkexec.jar) and the runs' output
# stay in the work tree (git-ignored).
E2E_WORK=${E2E_WORK:-$REPO/e2e-work}
E2E_ARCH=ppc64el
E2E_TRIPLET=powerpc64le-linux-gnu

log()  { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[e2e] ERROR: %s\n' "$*" >&2; exit 1; }

# E2E_RECORD=1: the scripts that measure (run-all, run-matrix, placement-matrix,
# crashkernel-bisect) append what they print at the end, dated, to their file under
# docs/results/. They take the commit at their start: the code measured is that one.
E2E_RECORD=${E2E_RECORD:-0}
if [ "$E2E_RECORD" = 1 ] && [ -z "${RECORD_COMMIT:-}" ]; then
    RECORD_COMMIT=$("$REPO/scripts/record-result" --commit)
    export RECORD_COMMIT
fi
record() { # record FILE TITLE < TEXT: FILE under docs/results/, only with E2E_RECORD=1
    if [ "$E2E_RECORD" = 1 ]; then
        "$REPO/scripts/record-result" "$REPO/docs/results/$1" "$2"
    else
        cat >/dev/null
    fi
}

need_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || die "'$c' not found: run scripts/e2e/setup first"
    done
}

# The kernel both the first and the kdump kernel run (the guest loads the one it booted):
#   debian12 (default)   Debian 12's image, unpacked by setup (64 KiB pages, kexec_load only)
#   debian13[-64k]       Debian 13's linux-image-6.12 (kexec_load only, crash hotplug), fetch-debian13-kernel
#   source-6.12[-64k], source-7.3   built by build-kernel from Debian's linux source (kexec_file_load too)
#   source-7.3-cma       source-7.3 with CONFIG_CMA (crashkernel=SIZE,cma reserves a CMA area)
E2E_KERNEL=${E2E_KERNEL:-debian12}

# Path of the selected kernel's stripped vmlinux (fetched or built on first use, cached).
kernel_vmlinux() {
    local v
    # E2E_VMLINUX: a vmlinux of the selected kind made elsewhere (names still follow E2E_KERNEL)
    if [ -n "${E2E_VMLINUX:-}" ]; then
        [ -s "$E2E_VMLINUX" ] || die "E2E_VMLINUX=$E2E_VMLINUX: no such file"
        echo "$E2E_VMLINUX"; return 0
    fi
    case $E2E_KERNEL in
    debian12)
        [ -s "$E2E_CACHE/vmlinux" ] || die "no $E2E_CACHE/vmlinux: run scripts/e2e/setup"
        echo "$E2E_CACHE/vmlinux"; return 0 ;;
    debian13) v=$("$E2E_DIR/fetch-debian13-kernel" | tail -n 1) ;;
    debian13-64k) v=$("$E2E_DIR/fetch-debian13-kernel" 64k | tail -n 1) ;;
    source-6.12|source-6.12-64k|source-7.3|source-7.3-cma) v=$("$E2E_DIR/build-kernel" "${E2E_KERNEL#source-}" | tail -n 1) ;;
    *) die "E2E_KERNEL must be debian12, debian13, debian13-64k, source-6.12, source-6.12-64k, source-7.3 or source-7.3-cma, not '$E2E_KERNEL'" ;;
    esac
    [ -s "$v" ] || die "no vmlinux for E2E_KERNEL=$E2E_KERNEL"
    echo "$v"
}

# Suffix of initramfs and run directory names: none for the default kernel, so its names
# stay what they were.
kernel_tag() {
    [ "$E2E_KERNEL" = debian12 ] || printf -- '-%s' "$E2E_KERNEL"
}

# Version of the selected kernel (debian12: recorded by setup in $E2E_CACHE/kernel-version).
kernel_version() {
    if [ "$E2E_KERNEL" = debian12 ]; then
        [ -s "$E2E_CACHE/kernel-version" ] || die "no kernel unpacked: run scripts/e2e/setup first"
        cat "$E2E_CACHE/kernel-version"
    else
        echo "$E2E_KERNEL $(cat "$(dirname "$(kernel_vmlinux)")/version")"
    fi
}

# E2E_SYSCALL: how the loader loads the kdump kernel, kexec_load (default) or
# kexec_file_load (jkexec load -p --file, kexec -s -p: the kernel plans the load itself).
E2E_SYSCALL=${E2E_SYSCALL:-kexec_load}
syscall_tag() {
    case $E2E_SYSCALL in
    kexec_load) ;;
    kexec_file_load) printf -- '-file' ;;
    *) die "E2E_SYSCALL must be kexec_load or kexec_file_load, not '$E2E_SYSCALL'" ;;
    esac
}

# Directory of the ppc64el JRE inside $E2E_ROOT (relative path, no leading slash).
jre_relpath() {
    local d
    for d in "$E2E_ROOT"/usr/lib/jvm/java-17-openjdk-ppc64el; do
        [ -x "$d/bin/java" ] && { echo "${d#"$E2E_ROOT"/}"; return 0; }
    done
    return 1
}

# How the guest gets jkexec (LOADER=jkexec):
#   deb (default)  jkexec's packages (target/jkexec_*_all.deb, target/jkexec-kexec_*_all.deb, from
#                  mvn -Pdeb -DskipTests package), installed by dpkg in the guest with Debian's JNA
#   jar            the bare $JKEXEC_JAR on the image's JRE with $JAVA_OPTS (JVM option experiments,
#                  the stand-in jar of build-stub-jar)
JKEXEC_INSTALL=${JKEXEC_INSTALL:-deb}

# The jkexec and jkexec-kexec packages the guest installs, one path a line: $JKEXEC_DEBS, or the
# newest of each the build left in $REPO/target. Fails naming what is missing.
jkexec_debs() {
    local p f
    if [ -n "${JKEXEC_DEBS:-}" ]; then
        for f in $JKEXEC_DEBS; do [ -s "$f" ] || { echo "JKEXEC_DEBS: no $f" >&2; return 1; }; echo "$f"; done
        return 0
    fi
    for p in jkexec jkexec-kexec; do
        f=$(ls "$REPO"/target/${p}_*_all.deb 2>/dev/null | sort -V | tail -n 1)
        [ -n "$f" ] || { echo "no $REPO/target/${p}_*_all.deb: build the packages (mvn -Pdeb -DskipTests package)" >&2; return 1; }
        echo "$f"
    done
}
