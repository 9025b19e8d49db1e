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

need_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || die "'$c' not found: run scripts/e2e/setup first"
    done
}

# The kernel version unpacked by setup (recorded in $E2E_CACHE/kernel-version).
kernel_version() {
    [ -s "$E2E_CACHE/kernel-version" ] || die "no kernel unpacked: run scripts/e2e/setup first"
    cat "$E2E_CACHE/kernel-version"
}

# Directory of the ppc64el JRE inside $E2E_ROOT (relative path, no leading slash).
jre_relpath() {
    local d
    for d in "$E2E_ROOT"/usr/lib/jvm/java-17-openjdk-ppc64el; do
        [ -x "$d/bin/java" ] && { echo "${d#"$E2E_ROOT"/}"; return 0; }
    done
    return 1
}
