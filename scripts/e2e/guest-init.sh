#!/bin/sh
# /init of the e2e guest (busybox ash). The same script runs in both kernels:
#  - the first kernel (no /proc/vmcore): prints the machine facts, plants a
#    random token in a user page, loads the kdump kernel with $LOADER and
#    crashes through sysrq;
#  - the kdump kernel (/proc/vmcore exists): prints what it received, checks
#    the dump, runs makedumpfile and powers off.
# Output is printed between marker lines that scripts/e2e/e2e.py splits:
#   @@BEGIN name / @@END name rc=N       text section   -> file "name"
#   @@BEGIN64 name / @@END name rc=N     base64 section -> file "name" (decoded)
#   @@KEY k=v ...                        single-line facts
# /e2e.conf (written by build-initramfs) sets LOADER, E2E_MODE, KDUMP_APPEND,
# JAVA_HOME, JKEXEC_INSTALL, JKEXEC_JAR, JAVA_OPTS, MAKEDUMPFILE_OPTS, JKEXEC_PLAN_ARGS.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /tmp && mount -t tmpfs tmpfs /tmp
. /e2e.conf

# Keep kernel messages off the console while we print sections (they would
# interleave with base64 lines); restored before the crash.
echo 1 >/proc/sys/kernel/printk

up() { read -r u _ </proc/uptime; echo "$u"; }
secs() { awk "BEGIN { printf \"%.2f\", $2 - $1 }"; }

txt() { # txt NAME CMD...: text section
    n=$1; shift
    echo "@@BEGIN $n"; "$@" 2>&1; r=$?; echo "@@END $n rc=$r"; return $r
}
b64() { # b64 NAME CMD...: base64 of CMD's stdout; stderr after the end marker
    n=$1; shift
    "$@" >/tmp/.b64 2>/tmp/.b64err; r=$?
    echo "@@BEGIN64 $n"; base64 /tmp/.b64; echo "@@END $n rc=$r"
    [ -s /tmp/.b64err ] && sed 's/^/# /' /tmp/.b64err
    rm -f /tmp/.b64 /tmp/.b64err
    return $r
}
finish() { echo "@@DONE $*"; sync; poweroff -f; sleep 10; echo o >/proc/sysrq-trigger; }

# ---------------------------------------------------------------- ELF tools
# u NAME FILE OFFSET SIZE: read a little-endian unsigned integer (hex, no 0x).
rdx() { dd if="$1" bs="$3" iflag=skip_bytes skip="$2" count=1 2>/dev/null | od -An -tx"$3" | tr -d ' \n'; }
# loads FILE: print "offset paddr filesz" (hex) of every PT_LOAD, in order.
loads() {
    phoff=$((0x$(rdx "$1" 32 8))); phent=$((0x$(rdx "$1" 54 2))); phnum=$((0x$(rdx "$1" 56 2)))
    dd if="$1" bs=4096 iflag=skip_bytes,count_bytes skip="$phoff" count=$((phent * phnum)) 2>/dev/null \
        | od -An -v -tx8 -w"$phent" | while read -r tf off va pa fs ms al; do
            if [ $((0x$tf & 0xffffffff)) -eq 1 ]; then echo "$off $pa $fs"; fi
        done
}
# pa2off LOADSFILE PA: print the file offset of physical address PA and the
# bytes available from there in that segment; fails if no PT_LOAD holds PA.
# Segments with paddr -1 (kcore's non-RAM entries) are skipped.
pa2off() {
    while read -r off pa fs; do
        p=$((0x$pa)); [ "$p" -lt 0 ] && continue
        if [ "$2" -ge "$p" ] && [ "$2" -lt $((p + 0x$fs)) ]; then
            echo "$((0x$off + $2 - p)) $((p + 0x$fs - $2))"; return 0
        fi
    done <"$1"
    return 1
}
# readphys FILE PA LEN: copy LEN bytes at physical address PA of an ELF view
# of memory (/proc/vmcore or /proc/kcore) to stdout.
readphys() {
    loads "$1" >/tmp/.loads || return 1
    set -- "$1" "$2" "$3" $(pa2off /tmp/.loads "$2") || return 1
    [ -n "$4" ] || { echo "no PT_LOAD holds physical address $2" >&2; return 1; }
    [ "$5" -ge "$3" ] || { echo "segment holds only $5 bytes at $2" >&2; return 1; }
    dd if="$1" bs=65536 iflag=skip_bytes,count_bytes skip="$4" count="$3" 2>/dev/null
}
# lowmem: first 64 KiB of this kernel's physical memory (via /dev/mem, else
# /proc/kcore); the source used goes to /tmp/.lmsrc.
lowmem() {
    if dd if=/dev/mem bs=65536 count=1 2>/dev/null >/tmp/.lm && [ "$(wc -c </tmp/.lm)" -eq 65536 ]; then
        echo /dev/mem >/tmp/.lmsrc; cat /tmp/.lm
    elif readphys /proc/kcore 0 65536 >/tmp/.lm && [ "$(wc -c </tmp/.lm)" -eq 65536 ]; then
        echo /proc/kcore >/tmp/.lmsrc; cat /tmp/.lm
    else
        echo "none(/dev/mem,/proc/kcore-unreadable)" >/tmp/.lmsrc; return 1
    fi
}
# lowblocks SOURCE LEN: the md5 of each 256 KiB of physical [0, LEN) (the last block may be
# shorter), one per line, read from /dev/mem or an ELF view of memory (/proc/kcore,
# /proc/vmcore) as lowmem reads the first 64 KiB. For a backup region larger than 64 KiB (a
# kdump kernel that runs at 0 overwrites tens of MiB): the dump must hold the crashed kernel's
# blocks, not the kdump kernel's own.
lowblocks() { # (txt's caller keeps its own variables: every one here is local)
    local src=$1 len=$2 base=0 i=0 count blk=262144
    if [ "$src" != /dev/mem ]; then
        loads "$src" >/tmp/.loads || return 1
        set -- $(pa2off /tmp/.loads 0) || return 1
        base=$1
    fi
    while [ $((i * blk)) -lt "$len" ]; do
        count=$((len - i * blk)); [ "$count" -gt $blk ] && count=$blk
        dd if="$src" bs=65536 iflag=skip_bytes,count_bytes skip=$((base + i * blk)) count="$count" 2>/dev/null \
            | md5sum | cut -c1-32
        i=$((i + 1))
    done
}

# ---------------------------------------------------------------- jkexec as the image has it
# JKEXEC_INSTALL=deb: the installed package (below): /usr/sbin/jkexec with the JVM options and
# the class-data archive its scripts chose and made; java is /usr/bin/java, as the JRE's
# alternatives make it. JKEXEC_INSTALL=jar: the bare jar on the image's JRE with $JAVA_OPTS,
# mapping the archive the jkexec case below makes once $JSA exists.
JSA=/tmp/jkexec.jsa
jk() {
    if [ "$JKEXEC_INSTALL" = deb ]; then jkexec "$@"
    elif [ -s "$JSA" ]; then java $JAVA_OPTS -XX:SharedArchiveFile=$JSA -jar "$JKEXEC_JAR" "$@"
    else java $JAVA_OPTS -jar "$JKEXEC_JAR" "$@"; fi
}
java_env() { [ "$JKEXEC_INSTALL" = deb ] || export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"; }

# e2e.perfdiag=1 (installed package only; issue #23): where jkexec's load spends its time in
# this guest. Dry runs of the load (each its own JVM, with the launcher's options) with
# JKEXEC_TRACE's step times, each timed, some with other JVM options (in _JAVA_OPTIONS, which
# come after the launcher's and override them), some mapping an archive of what a dry run on
# this live machine loads instead of the package's, or none. Arguments: the dry run's
# arguments after load -p --dry-run.
perf_diag() {
    # (sharing off: a class mapped from the archive would not be listed)
    _JAVA_OPTIONS="-Xshare:off -XX:DumpLoadedClassList=/tmp/live.classlist" jkexec load -p --dry-run "$@" >/dev/null 2>&1
    t0=$(up)
    # shellcheck disable=SC2016
    txt k1-perfdiag-dump.txt sh -c '. /usr/share/jkexec/runtime.sh && java $JKEXEC_JAVA_OPTS -Xshare:dump \
        -XX:SharedClassListFile=/tmp/live.classlist -XX:SharedArchiveFile=/tmp/live.jsa -cp $JKEXEC_CLASSPATH'
    echo "@@PERFDIAG dump seconds=$(secs "$t0" "$(up)") classes=$(wc -l </tmp/live.classlist) bytes=$(wc -c </tmp/live.jsa)"
    i=0
    # ARCHIVE:OPTIONS; ARCHIVE package, live or none (-Xshare:off); jvm: the JVM's own
    # compile thresholds instead of the launcher's
    jvm="-XX:Tier3InvocationThreshold=200 -XX:Tier3MinInvocationThreshold=100 -XX:Tier3CompileThreshold=2000"
    for run in package: "package:$jvm" package: "package:$jvm" package:-Xint live: \
        package:-Xlog:class+load:file=/tmp/cl-package.txt live:-Xlog:class+load:file=/tmp/cl-live.txt \
        "package:-XX:+CITime -Xlog:gc" "package:-XX:+CITime $jvm" none:; do
        i=$((i + 1)); archive=${run%%:*}; opts=${run#*:}
        t0=$(up)
        (
            export JKEXEC_TRACE=1
            [ "$archive" = live ] && opts="-XX:SharedArchiveFile=/tmp/live.jsa $opts"
            [ "$archive" = none ] && opts="-Xshare:off $opts"
            [ -n "$opts" ] && export _JAVA_OPTIONS="$opts"
            jkexec load -p --dry-run "$@"
        ) >/tmp/perfdiag.txt 2>&1
        rc=$?
        echo "@@PERFDIAG run=$i archive=$archive rc=$rc seconds=$(secs "$t0" "$(up)") opts=$opts"
        txt "k1-perfdiag-$i.txt" cat /tmp/perfdiag.txt
    done
    for a in package live; do
        echo "@@PERFDIAG classes archive=$a shared=$(grep -c 'shared objects file' /tmp/cl-$a.txt)" \
            "other=$(grep -vc 'shared objects file' /tmp/cl-$a.txt)"
        b64 "k1-perfdiag-classload-$a.txt.gz" gzip -c /tmp/cl-$a.txt
    done
}

# ================================================================ kdump kernel
if [ -e /proc/vmcore ]; then
    echo "@@K2 up uptime=$(up)"
    txt k2-cmdline.txt cat /proc/cmdline
    b64 k2-fdt.bin cat /sys/firmware/fdt
    # the headers, notes included: with 64 KiB pages and the CPUs of a crash hotplug run they
    # outgrow 64 KiB
    n=1; grep -q e2e_hp_pa= /proc/cmdline && n=2
    b64 k2-vmcorehdr.bin dd if=/proc/vmcore bs=65536 count=$n
    txt k2-vmcoresize.txt ls -l /proc/vmcore
    echo "@@VMCORESIZE $(stat -c %s /proc/vmcore)"
    txt k2-iomem.txt cat /proc/iomem
    txt k2-vmcore-loads.txt loads /proc/vmcore
    b64 k2-devicetree.tgz tar -C /proc/device-tree -czf - .
    # The crashed kernel's first 64 KiB: the vmcore PT_LOAD with paddr 0 (on
    # ppc64 its data comes from the backup region the loader set up).
    b64 k2-oldlowmem.bin readphys /proc/vmcore 0 65536
    # The raw ELF core header the loader built (elfcorehdr=[size@]addr[KMG]),
    # read through /proc/kcore: it lies in the kdump kernel's own memory.
    ech=$(sed -n 's/.*elfcorehdr=\([^ ]*\).*/\1/p' /proc/cmdline); ech=${ech#*@}
    case $ech in
        *[kK]) ech=$(( ${ech%?} * 1024 )) ;; *[mM]) ech=$(( ${ech%?} * 1048576 )) ;;
        *[gG]) ech=$(( ${ech%?} * 1073741824 )) ;; ?*) ech=$((ech)) ;;
    esac
    echo "@@ELFCOREHDR addr=$(printf '0x%x' "${ech:-0}")"
    [ -n "$ech" ] && b64 k2-elfcorehdr.bin readphys /proc/kcore "$ech" 65536
    # The kdump kernel's own first 64 KiB, for comparison.
    b64 k2-ownlowmem.bin lowmem; echo "@@LOWMEM kernel=k2 source=$(cat /tmp/.lmsrc)"
    # A backup region beyond 64 KiB (the first PT_LOAD's size), block by block: the dump's and
    # this kernel's own, against the crashed kernel's taken before the crash
    loads /proc/vmcore >/tmp/.vmloads 2>/dev/null
    bklen=$(awk '$2 == "0000000000000000" { print $3; exit }' /tmp/.vmloads)
    if [ -n "$bklen" ] && [ $((0x$bklen)) -gt 65536 ]; then
        txt k2-oldlowblocks.txt lowblocks /proc/vmcore $((0x$bklen))
        own=$(cat /tmp/.lmsrc); [ "$own" = /dev/mem ] || own=/proc/kcore
        txt k2-ownlowblocks.txt lowblocks "$own" $((0x$bklen))
    fi
    # The token planted by the first kernel in one of its user pages.
    tpa=; tok=
    for a in $(cat /proc/cmdline); do
        case $a in e2e_token_pa=*) tpa=${a#*=} ;; e2e_token=*) tok=${a#*=} ;; esac
    done
    if [ -n "$tpa" ] && [ -n "$tok" ]; then
        got=$(readphys /proc/vmcore $((tpa)) ${#tok} 2>&1)
        if [ "$got" = "$tok" ]; then echo "@@TOKEN2 pa=$tpa result=match"
        else echo "@@TOKEN2 pa=$tpa result=mismatch got=$(printf %s "$got" | od -An -c | tr -s ' ' | head -c 200)"; fi
    else
        echo "@@TOKEN2 result=absent (no e2e_token_pa= on the command line)"
    fi
    # crash hotplug runs: a token the first kernel wrote into memory hot-added after the load
    hpa=; htok=
    for a in $(cat /proc/cmdline); do
        case $a in e2e_hp_pa=*) hpa=${a#*=} ;; e2e_hp_token=*) htok=${a#*=} ;; esac
    done
    if [ -n "$hpa" ] && [ -n "$htok" ]; then
        got=$(readphys /proc/vmcore $((hpa)) ${#htok} 2>&1)
        if [ "$got" = "$htok" ]; then echo "@@HPTOKEN2 pa=$hpa result=match"
        else echo "@@HPTOKEN2 pa=$hpa result=missing got=$(printf %s "$got" | head -c 120 | tr -c 'A-Za-z0-9 =:._-' .)"; fi
    fi
    # what the kdump kernel has left before the dump tool runs (the crashkernel estimate's measure)
    txt k2-meminfo.txt head -8 /proc/meminfo
    echo "@@DUMP start uptime=$(up)"
    t0=$(up)
    # shellcheck disable=SC2086
    if [ "$E2E_DUMP" = pipe ]; then
        # the dump leaves the machine (here: counted), so the kdump kernel's memory holds
        # only makedumpfile's own working set, as with a disk or network target
        # shellcheck disable=SC2086
        { makedumpfile -F $MAKEDUMPFILE_OPTS /proc/vmcore 2>/tmp/mdf.err; echo $? >/tmp/mdf.rc; } | wc -c >/tmp/dump.size
        txt k2-makedumpfile.txt cat /tmp/mdf.err; r=$(cat /tmp/mdf.rc); dsize=$(cat /tmp/dump.size)
    else
        # shellcheck disable=SC2086
        txt k2-makedumpfile.txt makedumpfile $MAKEDUMPFILE_OPTS /proc/vmcore /tmp/dump; r=$?
        dsize=$(stat -c %s /tmp/dump 2>/dev/null || echo 0)
    fi
    t1=$(up)
    echo "@@DUMP rc=$r size=$dsize target=$E2E_DUMP seconds=$(secs "$t0" "$t1") uptime=$t1"
    rm -f /tmp/dump
    finish k2
fi

# ================================================ the jkexec package (JKEXEC_INSTALL=deb)
# The image carries jkexec's and jkexec-kexec's .debs and Debian's JNA (libjna-java,
# libjna-jni) in /var/cache/e2e-debs, Debian's dpkg, and a dpkg status declaring what the image
# already has (the JRE, kexec-tools, dpkg, the libraries; build-initramfs). dpkg -i
# installs them as on any Debian system: jkexec-kexec's preinst diverts kexec-tools' kexec,
# jkexec's postinst makes the class-data archive with this JVM. /run is a tmpfs, as on real
# systems. (A kernel kexec'd into an archive of this root file system finds it installed.)
# Debian's dpkg by its path: this busybox's shell runs its own applets first, dpkg among them.
jkexec_package_install() {
    mkdir -p /run && mount -t tmpfs -o nosuid,nodev,mode=755 tmpfs /run
    if ! /usr/bin/dpkg-query -W -f '${db:Status-Abbrev}' jkexec 2>/dev/null | grep '^ii' >/dev/null; then
        t0=$(up)
        # shellcheck disable=SC2046
        txt dpkg-install.txt /usr/bin/dpkg -i $(ls /var/cache/e2e-debs/*.deb); r=$?
        t1=$(up)
        rm -rf /var/cache/e2e-debs
    else
        r=0; t0=0; t1=0
    fi
    st=
    for p in jkexec jkexec-kexec libjna-java libjna-jni; do
        st="$st $p=$(/usr/bin/dpkg-query -W -f '${db:Status-Abbrev}' $p 2>/dev/null | tr -d ' ')"
    done
    a=/var/cache/jkexec/jkexec.jsa
    # does this JVM map the archive with the launcher's options (-Xshare:on fails if not)?
    # shellcheck disable=SC2016
    if sh -c '. /usr/share/jkexec/runtime.sh && java $JKEXEC_JAVA_OPTS -Xshare:on -XX:SharedArchiveFile=$JKEXEC_ARCHIVE \
            -cp $JKEXEC_CLASSPATH -version' >/tmp/archive-map.txt 2>&1; then m=yes; else m=no; fi
    echo "@@DPKG rc=$r seconds=$(secs "$t0" "$t1")$st archive_bytes=$(wc -c <$a 2>/dev/null || echo 0)" \
        "archive_stamp=$([ -s $a.stamp ] && echo yes || echo no) archive_maps=$m kexec=$(readlink -f /sbin/kexec)" \
        "kexec_tools=$([ -x /sbin/kexec.kexec-tools ] && readlink -f /sbin/kexec.kexec-tools)"
    txt dpkg-divert.txt /usr/bin/dpkg-divert --list
    [ $m = yes ] || txt archive-map.txt cat /tmp/archive-map.txt
}
[ "$LOADER" = jkexec ] && [ "$JKEXEC_INSTALL" = deb ] && jkexec_package_install

# e2e.rofs=1: the loads below run as the kdump service may run at boot: the root file system
# read-only, no HOME. rofs_probe says, before and after the load, whether that held and whether
# anything unpacked JNA's native library into the writable places left (/tmp, /run).
rofs_probe() {
    # (in a subshell: a failed redirection of a special builtin ends a non-interactive shell)
    if (: >/.e2e-rofs-probe) 2>/dev/null; then rm -f /.e2e-rofs-probe; w=allowed; else w=refused; fi
    echo "@@ROFS at=$1 root=$(awk '$2 == "/" { o = $4 } END { split(o, f, ","); print f[1] }' /proc/mounts)" \
        "write=$w home=${HOME-unset} jnidispatch_unpacked=$(find /tmp /run -name '*jnidispatch*' 2>/dev/null | wc -l)"
}
if [ "$E2E_ROFS" = 1 ]; then
    mount -o remount,ro /
    unset HOME
fi

# ============================================ E2E_MODE=kexec: a regular kexec first
# The kernel QEMU booted (stage 0) loads the same kernel with `jkexec load -l` and the same
# initramfs (see below for where it comes from), its own command line reused plus a
# token, and reboots into it with `jkexec exec`. The kexec'd kernel (the token on its
# command line) reports what it received and then runs the kdump cycle below as the first
# kernel: jkexec load -p, crash, dump.
kexec_token=
for a in $(cat /proc/cmdline); do case $a in e2e_kexec_token=*) kexec_token=${a#*=} ;; esac; done
if [ "$E2E_MODE" = kexec ] && [ -z "$kexec_token" ]; then
    echo "@@K0 up uptime=$(up) loader=$LOADER"
    txt k0-cmdline.txt cat /proc/cmdline
    txt k0-iomem.txt cat /proc/iomem
    java_env
    tok=KEXEC-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
    echo "@@KEXECTOKEN token=$tok crash_base=$(od -An -tx1 /proc/device-tree/chosen/linux,crashkernel-base 2>/dev/null | tr -d ' \n')"
    # the initramfs this kernel booted: kept by retain_initrd in /sys/firmware/initrd (Linux
    # 6.6 and later); older kernels keep no copy, so the root file system as unpacked (it is
    # that archive, plus the applet links /init made) is archived again, uncompressed
    kinitrd=/sys/firmware/initrd
    if [ ! -s "$kinitrd" ]; then
        kinitrd=/tmp/self.cpio
        ( cd / && find . -xdev | cpio -o -H newc >"$kinitrd" 2>/dev/null ) || rm -f "$kinitrd"
    fi
    [ -s "$kinitrd" ] || { echo "@@KEXECLOAD rc=127 error=no-initrd-to-reuse"; finish k0-no-initrd; }
    echo "@@KEXECINITRD path=$kinitrd bytes=$(wc -c <"$kinitrd") uptime=$(up)"
    t0=$(up)
    txt k0-jkexec-load-l.txt jk load -l --kernel /vmlinux --initrd "$kinitrd" \
        --reuse-cmdline --append "e2e_kexec_token=$tok"; r=$?
    t1=$(up)
    echo "@@KEXECLOAD rc=$r seconds=$(secs "$t0" "$t1") kexec_loaded=$(cat /sys/kernel/kexec_loaded 2>/dev/null) kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded 2>/dev/null)"
    txt k0-jkexec-status.txt jk status -l
    [ "$r" = 0 ] || finish k0-kexec-load-failed
    echo "@@KEXECING uptime=$(up)"
    echo 8 >/proc/sys/kernel/printk
    jk exec
    echo "@@KEXECEXEC rc=$? (jkexec exec returned)"
    finish k0-exec-returned
fi
if [ -n "$kexec_token" ]; then
    # the kexec'd kernel: its command line, and crashkernel reserved again
    ck=$(grep -c 'Crash kernel' /proc/iomem)
    echo "@@KEXECED uptime=$(up) token=$kexec_token crash_size=$(cat /sys/kernel/kexec_crash_size 2>/dev/null) iomem_crash=$ck kexec_loaded=$(cat /sys/kernel/kexec_loaded 2>/dev/null) crash_base=$(od -An -tx1 /proc/device-tree/chosen/linux,crashkernel-base 2>/dev/null | tr -d ' \n')"
    txt k1-kexeced-cmdline.txt cat /proc/cmdline
fi

# ================================================================ first kernel
echo "@@K1 up uptime=$(up) loader=$LOADER mode=$E2E_MODE install=$JKEXEC_INSTALL"
txt k1-cmdline.txt cat /proc/cmdline
txt k1-uname.txt uname -a

if [ "$E2E_MODE" = java-version ]; then
    java_env
    for i in 1 2; do
        t0=$(up); txt k1-java-version-$i.txt java $JAVA_OPTS -version; r=$?; t1=$(up)
        echo "@@JAVAVERSION run=$i rc=$r seconds=$(secs "$t0" "$t1")"
    done
    if [ "$JKEXEC_INSTALL" = deb ] || [ -e "$JKEXEC_JAR" ]; then
        t0=$(up); txt k1-jkexec-help.txt jk --help; r=$?; t1=$(up)
        echo "@@JKEXECHELP rc=$r seconds=$(secs "$t0" "$t1")"
    fi
    finish k1
fi

b64 k1-fdt.bin cat /sys/firmware/fdt
b64 k1-devicetree.tgz tar -C /proc/device-tree -czf - .
txt k1-iomem.txt cat /proc/iomem
txt k1-meminfo.txt head -3 /proc/meminfo
txt k1-cpuinfo.txt cat /proc/cpuinfo
txt k1-vmcoreinfo.txt cat /sys/kernel/vmcoreinfo
txt k1-crashsize.txt cat /sys/kernel/kexec_crash_size
# crashkernel=SIZE,cma (Linux 6.17 and later, CONFIG_CMA): the CMA areas beside crashkernel
[ -e /sys/kernel/kexec_crash_cma_ranges ] && txt k1-crashcma.txt cat /sys/kernel/kexec_crash_cma_ranges
txt k1-crashkernel-dt.txt sh -c 'echo base=$(od -An -tx1 /proc/device-tree/chosen/linux,crashkernel-base | tr -d " \n") size=$(od -An -tx1 /proc/device-tree/chosen/linux,crashkernel-size | tr -d " \n")'
echo "@@BEGIN k1-crashnotes.txt"
for c in /sys/devices/system/cpu/cpu[0-9]*; do
    [ -e "$c/crash_notes" ] && echo "$c $(cat "$c/crash_notes") $(cat "$c/crash_notes_size" 2>/dev/null)"
done
echo "@@END k1-crashnotes.txt rc=0"
txt k1-nodes.txt sh -c 'ls -d /sys/devices/system/node/node* 2>/dev/null'
txt k1-cpus.txt sh -c 'for f in online possible present offline; do echo "$f $(cat /sys/devices/system/cpu/$f)"; done'
b64 k1-lowmem.bin lowmem; echo "@@LOWMEM kernel=k1 source=$(cat /tmp/.lmsrc)"

# Plant a random token in a user page that stays allocated until the crash:
# the argv of a sleeping shell. /proc/PID/stat gives arg_start, pagemap the
# physical page; the kdump kernel reads that address from /proc/vmcore.
tok=E2ETOKEN-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
sh -c 'while :; do sleep 1000; done' "$tok" &
tpid=$!
sleep 1
tpa=
ps_kb=$(awk '/^KernelPageSize/ { print $2; exit }' /proc/self/smaps)
if [ -n "$ps_kb" ]; then
    psz=$((ps_kb * 1024))
    st=$(cat /proc/$tpid/stat); st=${st##*) }
    # shellcheck disable=SC2086
    set -- $st; arg_start=${46}
    toff=$(tr '\0' '\n' </proc/$tpid/cmdline | awk -v t="$tok" '$0 == t { print off + 0; exit } { off += length($0) + 1 }')
    if [ -n "$toff" ] && [ -n "$arg_start" ]; then
        va=$((arg_start + toff))
        pm=$(dd if=/proc/$tpid/pagemap bs=8 skip=$((va / psz)) count=1 2>/dev/null | od -An -tx8 | tr -d ' \n')
        case $pm in [89abcdef]*)  # bit 63: present
            pfn=$((0x${pm#?} & 0x7fffffffffffff))
            [ "$pfn" -gt 0 ] && tpa=$(printf '0x%x' $((pfn * psz + va % psz))) ;;
        esac
    fi
fi
if [ -n "$tpa" ]; then
    chk=$(readphys /proc/kcore $((tpa)) ${#tok} 2>/dev/null)
    [ "$chk" = "$tok" ] && chk=match || chk=unverified
    echo "@@TOKEN1 pa=$tpa token=$tok pagesize=$psz kcore=$chk"
    KDUMP_APPEND="$KDUMP_APPEND e2e_token_pa=$tpa e2e_token=$tok"
else
    echo "@@TOKEN1 pa=none (pagemap gave no physical address) pagesize=${psz:-?}"
fi

# the kdump kernel learns the dump target from its own command line
[ "$E2E_DUMP" = tmpfs ] || KDUMP_APPEND="$KDUMP_APPEND e2e.dump=$E2E_DUMP"
# e2e.hotplug=ADDR (crash hotplug runs): after the load the host hot-adds a DIMM at ADDR and
# a CPU core; the kdump kernel learns now where to look for the token written there later
# e2e.hotremove=1: the DIMM is hot-removed again after the token was written there
E2E_HOTPLUG=; E2E_HOTREMOVE=
for a in $(cat /proc/cmdline); do
    case $a in e2e.hotplug=*) E2E_HOTPLUG=${a#*=} ;; e2e.hotremove=*) E2E_HOTREMOVE=${a#*=} ;; esac
done
if [ -n "$E2E_HOTPLUG" ]; then
    hptok=E2EHPTOKEN-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
    KDUMP_APPEND="$KDUMP_APPEND e2e_hp_pa=$E2E_HOTPLUG e2e_hp_token=$hptok"
fi

# ---------------------------------------------------------------- load
# E2E_SYSCALL=kexec_file_load: the kernel plans the load (kexec -s -p, jkexec load -p --file)
sflag=; jflag=
[ "$E2E_SYSCALL" = kexec_file_load ] && { sflag=-s; jflag=--file; }
# e2e.lockdown=1: jkexec must find the lockdown itself (securityfs) and turn to kexec_file_load
# with no option asking for it, as kdump-tools runs kexec
if [ "$E2E_LOCKDOWN" = 1 ]; then
    mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
    jflag=
fi
[ "$E2E_ROFS" = 1 ] && rofs_probe before-load
echo "@@LOAD start loader=$LOADER syscall=$E2E_SYSCALL uptime=$(up)"
# E2E_MODE=kdump-tools: Debian's kdump-config loads the kdump kernel, with /sbin/kexec being
# jkexec (the installed jkexec-kexec diverted kexec-tools' kexec); jkexec plan
# first, with the same seed and command line, so the planned FDT can be compared.
loader_case=$LOADER
if [ "$E2E_MODE" = kdump-tools ]; then
    loader_case=kdump-tools
    java_env
    seed=6a6b657865632d653265
    mkdir -p /etc/default /var/crash /run/lock
    cat >/etc/default/kdump-tools <<EOC
USE_KDUMP=1
KDUMP_KERNEL=/vmlinux
KDUMP_INITRD=/inner.gz
KDUMP_CMDLINE="$KDUMP_APPEND"
KDUMP_CMDLINE_APPEND="nr_cpus=1"
KDUMP_KEXEC_ARGS="--seed $seed"
EOC
    txt k1-kdump-tools-defaults.txt cat /etc/default/kdump-tools
    mkdir -p /tmp/plan
    t0=$(up)
    txt k1-jkexec-plan.json jk plan --json --out /tmp/plan --seed $seed \
        --kernel /vmlinux --initrd /inner.gz --append "$KDUMP_APPEND nr_cpus=1"; rp=$?
    t1=$(up)
    echo "@@PLAN rc=$rp seconds=$(secs "$t0" "$t1")"
    for f in /tmp/plan/kdump.dtb /tmp/plan/elfcorehdr.bin /tmp/plan/plan.json; do
        [ -f "$f" ] && b64 "k1-plan-${f##*/}" cat "$f"
    done
    t0=$(up)
    txt k1-jkexec-load.txt kdump-config load; r=$?
    t1=$(up)
    echo "@@LOAD rc=$r seconds=$(secs "$t0" "$t1") uptime=$t1 via=kdump-config"
    txt k1-kdump-config-status.txt kdump-config status
    txt load-command.txt cat /var/crash/kexec_cmd
fi
case $loader_case in
kdump-tools) ;;
kexec-tools)
    t0=$(up)
    kexec -d $sflag -p /vmlinux --initrd=/inner.gz --append="$KDUMP_APPEND" >/tmp/kexec.out 2>&1; r=$?
    t1=$(up)
    txt k1-kexecdebug.txt cat /tmp/kexec.out
    echo "@@LOAD rc=$r seconds=$(secs "$t0" "$t1") uptime=$t1"
    echo "kexec -d $sflag -p /vmlinux --initrd=/inner.gz --append=\"$KDUMP_APPEND\"" >/tmp/cmd
    txt load-command.txt cat /tmp/cmd
    ;;
jkexec)
    java_env
    if [ -n "${E2E_PAIR:-}" ]; then
        # kexec-tools' load of the same files in this same boot, then unloaded: the
        # jkexec/kexec-tools ratio then comes from one run (TCG speed varies between runs).
        # With the package installed, kexec is jkexec: kexec-tools' own is the diverted one.
        kt=kexec; [ -x /usr/sbin/kexec.kexec-tools ] && kt=/usr/sbin/kexec.kexec-tools
        t0=$(up); $kt -p /vmlinux --initrd=/inner.gz --append="$KDUMP_APPEND" >/tmp/kexec-pair.out 2>&1; rk=$?; t1=$(up)
        # and its reload as kdump-tools' try-reload makes it: unload, then load again
        t2=$(up); $kt -p -u >/dev/null 2>&1; ru=$?
        $kt -p /vmlinux --initrd=/inner.gz --append="$KDUMP_APPEND" >/dev/null 2>&1; rr=$?; t3=$(up)
        $kt -p -u >/dev/null 2>&1
        echo "@@PAIR loader=kexec-tools program=$kt rc=$rk seconds=$(secs "$t0" "$t1") reload_rc=$ru,$rr reload_seconds=$(secs "$t2" "$t3")"
    fi
    t0=$(up); txt k1-java-version.txt java $JAVA_OPTS -version; r=$?; t1=$(up)
    echo "@@JAVAVERSION rc=$r seconds=$(secs "$t0" "$t1")"
    if [ "$JKEXEC_INSTALL" = jar ] && [ ! -e "$JKEXEC_JAR" ]; then
        echo "@@LOAD rc=127 seconds=0 error=no $JKEXEC_JAR in the initramfs"
        r=127
    else
        # class-data sharing: a dry run of the load (which plans and makes every check a
        # load makes, JNA included, but does not call kexec_load) records the classes jkexec
        # uses (-XX:DumpLoadedClassList), a static archive of them is dumped (what a jkexec
        # package does once at install time), and the load maps it instead of loading and
        # verifying every class again. Debian's own classes.jsa is not usable here: it was
        # made with 4 KiB alignment and this kernel has 64 KiB pages. (With the package, its
        # postinst made the archive at install: the dry run is only the dry run.)
        # one seed for plan and load, so the planned FDT can be compared byte for byte with
        # the one the kdump kernel receives (kaslr-seed/rng-seed are random otherwise)
        JKEXEC_SEED="--seed 6a6b657865632d653265"
        if [ "$E2E_QUICK" = 1 ]; then
            # e2e.quick=1: only the load (bisections of the crashkernel size need many runs)
            echo "@@QUICK plan, dry run, class-data archive and capture skipped"
        else
            txt k1-jkexec-status-before.txt jk status
            mkdir -p /tmp/plan
            t0=$(up)
            # shellcheck disable=SC2086
            txt k1-jkexec-plan.json jk plan --json --out /tmp/plan $JKEXEC_SEED --kernel /vmlinux --initrd /inner.gz --append "$KDUMP_APPEND" $JKEXEC_PLAN_ARGS
            rp=$?; t1=$(up)
            echo "@@PLAN rc=$rp seconds=$(secs "$t0" "$t1")"
            # the planned FDT, core header and plan (not the segments: the kernel is 40 MB)
            for f in /tmp/plan/kdump.dtb /tmp/plan/elfcorehdr.bin /tmp/plan/plan.json; do
                [ -f "$f" ] && b64 "k1-plan-${f##*/}" cat "$f"
            done
            t0=$(up)
            if [ "$JKEXEC_INSTALL" = deb ]; then
                txt k1-jkexec-dry-run.txt jk load -p $jflag --dry-run $JKEXEC_SEED --kernel /vmlinux --initrd /inner.gz \
                    --append "$KDUMP_APPEND"; rc=$?
            else
                txt k1-jkexec-dry-run.txt java $JAVA_OPTS -XX:DumpLoadedClassList=/tmp/jkexec.classlist -jar "$JKEXEC_JAR" \
                    load -p $jflag --dry-run $JKEXEC_SEED --kernel /vmlinux --initrd /inner.gz --append "$KDUMP_APPEND"; rc=$?
            fi
            t1=$(up)
            echo "@@DRYRUN rc=$rc seconds=$(secs "$t0" "$t1")"
            if [ "$E2E_PERFDIAG" = 1 ] && [ "$JKEXEC_INSTALL" = deb ]; then
                # shellcheck disable=SC2086
                perf_diag $jflag $JKEXEC_SEED --kernel /vmlinux --initrd /inner.gz --append "$KDUMP_APPEND"
            fi
            if [ "$JKEXEC_INSTALL" = jar ]; then
                t0=$(up)
                txt k1-jkexec-cds.txt java -Xshare:dump -XX:SharedClassListFile=/tmp/jkexec.classlist \
                    -XX:SharedArchiveFile=$JSA -cp "$JKEXEC_JAR"; rc=$?
                t1=$(up)
                echo "@@CDS rc=$rc seconds=$(secs "$t0" "$t1") bytes=$(wc -c <$JSA 2>/dev/null)"
            fi
            mkdir -p /tmp/capture
            txt k1-jkexec-capture.txt jk capture /tmp/capture
            b64 k1-jkexec-capture.tgz tar -C /tmp -czf - capture
        fi
        # e2e.perfdiag=1: the load prints its step times too (a few lines on standard error)
        [ "$E2E_PERFDIAG" = 1 ] && export JKEXEC_TRACE=1
        t0=$(up)
        txt k1-jkexec-load.txt jk load -p $jflag $JKEXEC_SEED --kernel /vmlinux --initrd /inner.gz --append "$KDUMP_APPEND"; r=$?
        t1=$(up)
        unset JKEXEC_TRACE
        echo "@@LOAD rc=$r seconds=$(secs "$t0" "$t1") uptime=$t1"
        jkcmd=jkexec; [ "$JKEXEC_INSTALL" = deb ] || jkcmd="java -jar $JKEXEC_JAR"
        echo "$jkcmd load -p $jflag --kernel /vmlinux --initrd /inner.gz --append \"$KDUMP_APPEND\"" >/tmp/cmd
        txt load-command.txt cat /tmp/cmd
        txt k1-jkexec-status-after.txt jk status
        if [ -n "${E2E_PAIR:-}" ] && [ "$r" = 0 ] && [ -z "$sflag" ]; then
            # the kexec personality's reload, as kdump-tools' try-reload runs /sbin/kexec
            # (kexec_load runs only: with the seed it plans as jkexec load does)
            t0=$(up); jk kexec -p -u >/dev/null 2>&1; ru=$?
            jk kexec -p /vmlinux --initrd=/inner.gz --append="$KDUMP_APPEND" $JKEXEC_SEED >/tmp/reload.out 2>&1; rr=$?
            t1=$(up)
            echo "@@PAIRRELOAD loader=jkexec rc=$ru,$rr seconds=$(secs "$t0" "$t1")"
            [ "$rr" = 0 ] || { txt k1-jkexec-pair-reload.txt cat /tmp/reload.out; r=$rr; }
        fi
    fi
    ;;
*)
    echo "@@LOAD rc=2 error=unknown LOADER=$LOADER"; r=2 ;;
esac
loaded=$(cat /sys/kernel/kexec_crash_loaded 2>/dev/null)
echo "@@LOADED kexec_crash_loaded=$loaded"
[ "$E2E_ROFS" = 1 ] && rofs_probe after-load
txt k1-dmesg-tail.txt sh -c 'dmesg | tail -40'
if [ "$r" != 0 ] || [ "$loaded" != 1 ]; then
    echo "@@FAIL load failed (rc=$r, kexec_crash_loaded=$loaded)"
    finish k1-load-failed
fi

# A reload that must be refused (e2e.reload=ARGS on the first kernel's command line): it
# must exit 1 before kexec_load, so the kdump kernel loaded above stays loaded.
if [ "$LOADER" = jkexec ] && [ -n "$E2E_RELOAD" ]; then
    # shellcheck disable=SC2046,SC2086
    txt k1-jkexec-reload.txt jk load -p $(echo "$E2E_RELOAD" | tr ',' ' ') $JKEXEC_SEED --kernel /vmlinux --initrd /inner.gz --append "$KDUMP_APPEND"; rr=$?
    echo "@@RELOAD rc=$rr kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded 2>/dev/null) args=$E2E_RELOAD"
    txt k1-jkexec-status-reload.txt jk status
fi

# Lockdown (e2e.lockdown=1): kexec -c -p must be refused naming lockdown and leave the kdump
# kernel loaded above in place; then kexec -p as kdump-tools runs it (no syscall option)
# unloads and loads again, and that load is the one the crash runs.
if [ "$LOADER" = jkexec ] && [ "$E2E_LOCKDOWN" = 1 ]; then
    txt k1-lockdown.txt cat /sys/kernel/security/lockdown
    txt k1-lockdown-c.txt jk kexec -c -p /vmlinux --initrd=/inner.gz --append="$KDUMP_APPEND"; rc=$?
    echo "@@LOCKDOWNC rc=$rc kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded 2>/dev/null)"
    txt k1-lockdown-unload.txt jk kexec -p -u; ru=$?
    t0=$(up)
    txt k1-lockdown-kexec.txt jk kexec -p /vmlinux --initrd=/inner.gz --append="$KDUMP_APPEND"; rk=$?
    t1=$(up)
    echo "@@LOCKDOWNKEXEC unload_rc=$ru rc=$rk seconds=$(secs "$t0" "$t1") kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded 2>/dev/null)"
fi

# ---------------------------------------------------------------- udev (e2e.udev=1)
# Debian 12's systemd-udevd, started standalone as initramfs-tools starts it, after the load
# (no coldplug: only the hotplug events below reach it), with the rule the installed
# jkexec-kexec put in place of kdump-tools' (whose own it diverted), a rule logging every
# memory and CPU event and
# kdump-config as a logged stand-in (scripts/e2e/udev-layer). After the hotplug the guest
# waits until udev has handled every event (the reloads included), then reports the events
# and the reloads.
E2E_UDEV=
for a in $(cat /proc/cmdline); do case $a in e2e.udev=*) E2E_UDEV=${a#*=} ;; esac; done
udev_start() {
    mkdir -p /run
    : >/run/e2e-udev-events.log; : >/run/e2e-kdump-config.log
    SYSTEMD_LOG_TARGET=kmsg /lib/systemd/systemd-udevd --daemon --resolve-names=never --event-timeout=900; ru=$?
    r=/usr/lib/udev/rules.d/50-kdump-tools.rules
    echo "@@UDEV started rc=$ru packaged_rule=$(grep -c 'crash_hotplug' "$r" 2>/dev/null || echo 0) diverted_rule=$([ -f "$r.kdump-tools" ] && echo 1 || echo 0) crash_hotplug_memory=$(cat /sys/devices/system/memory/crash_hotplug 2>/dev/null || echo absent) crash_hotplug_cpu=$(cat /sys/devices/system/cpu/crash_hotplug 2>/dev/null || echo absent) uptime=$(up)"
}
udev_settle() {
    i=0
    # a line every 20 s: the harness kills a guest silent for two minutes
    until udevadm settle --timeout=20; do
        i=$((i + 20))
        echo "@@UDEV settling seconds=$i reloads=$(grep -c '^start try-reload' /run/e2e-kdump-config.log) uptime=$(up)"
        [ $i -ge 900 ] && break
    done
    txt k1-udev-events.txt cat /run/e2e-udev-events.log
    txt k1-udev-kdump-config.txt cat /run/e2e-kdump-config.log
    txt k1-udev-dmesg.txt sh -c 'dmesg | grep -i udev | tail -n 20'
    echo "@@UDEV settled events=$(wc -l </run/e2e-udev-events.log) memory_online=$(grep -c '^online memory' /run/e2e-udev-events.log) cpu_events=$(grep -c '^[a-z]* cpu' /run/e2e-udev-events.log) reloads=$(grep -c '^start try-reload' /run/e2e-kdump-config.log) reloads_ok=$(grep -c '^end try-reload rc=0' /run/e2e-kdump-config.log) kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded) waited=$i uptime=$(up)"
}
[ "$E2E_UDEV" = 1 ] && udev_start

# ---------------------------------------------------------------- hotplug after the load
if [ -n "$E2E_HOTPLUG" ]; then
    nblk() { ls -d /sys/devices/system/memory/memory[0-9]* | wc -l; }
    ncpu() { grep -c '^processor' /proc/cpuinfo; }
    b0=$(nblk); c0=$(ncpu)
    echo "@@HOTPLUG request addr=$E2E_HOTPLUG blocks=$b0 cpus=$c0 uptime=$(up)"
    i=0
    while [ $i -lt 180 ]; do
        sleep 1; i=$((i + 1))
        for m in /sys/devices/system/memory/memory[0-9]*; do
            [ "$(cat "$m/state" 2>/dev/null)" = offline ] && echo online >"$m/state" 2>/dev/null
        done
        for c in /sys/devices/system/cpu/cpu[0-9]*; do
            [ "$(cat "$c/online" 2>/dev/null)" = 0 ] && echo 1 >"$c/online" 2>/dev/null
        done
        [ "$(nblk)" -gt "$b0" ] && [ "$(ncpu)" -gt "$c0" ] && break
    done
    sleep 3
    # the token at the first byte of the new DIMM (/dev/mem writes RAM when STRICT_DEVMEM is off)
    printf %s "$hptok" | dd of=/dev/mem bs=1 seek=$((E2E_HOTPLUG)) conv=notrunc 2>/dev/null
    chk=$(readphys /proc/kcore $((E2E_HOTPLUG)) ${#hptok} 2>/dev/null)
    [ "$chk" = "$hptok" ] && chk=written || chk=unverified
    echo "@@HOTPLUG done blocks=$b0->$(nblk) cpus=$c0->$(ncpu) token=$chk waited=$i uptime=$(up)"
    txt k1-hotplug-crashnotes.txt sh -c 'for c in /sys/devices/system/cpu/cpu[0-9]*; do [ -e $c/crash_notes ] && echo "$c $(cat $c/crash_notes) $(cat $c/online 2>/dev/null)"; done'
    txt k1-hotplug-iomem.txt cat /proc/iomem
    txt k1-hotplug-dmesg.txt sh -c 'dmesg | grep -i -E "crash|hotplug|elfcorehdr|kexec" | tail -30'
    echo "@@LOADED after-hotplug kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded 2>/dev/null)"
    if [ "$E2E_HOTREMOVE" = 1 ]; then
        # the host unplugs the DIMM (QMP device_del); the kernel offlines and removes its
        # memory blocks, and with crash hotplug rewrites the loaded ELF core header (a kernel
        # built without CONFIG_MEMORY_HOTREMOVE refuses the request and says nothing)
        b1=$(nblk)
        echo "@@HOTREMOVE request blocks=$b1 uptime=$(up)"
        txt k1-hotremove-zones.txt sh -c 'for m in /sys/devices/system/memory/memory[0-9]*; do echo "$m $(cat $m/state) $(cat $m/valid_zones 2>/dev/null) removable=$(cat $m/removable 2>/dev/null)"; done'
        i=0
        while [ $i -lt 150 ]; do
            sleep 1; i=$((i + 1))
            [ "$(nblk)" -lt "$b1" ] && break
            # a line now and then: the harness kills a guest silent for two minutes
            [ $((i % 15)) = 0 ] && echo "@@HOTREMOVE waiting blocks=$(nblk) seconds=$i $(dmesg | grep -i -E 'hotplug-mem|offline|remove' | tail -n 1 | tr -s ' ' | cut -c1-120)"
        done
        sleep 3
        echo "@@HOTREMOVE done blocks=$b1->$(nblk) waited=$i uptime=$(up)"
        txt k1-hotremove-iomem.txt cat /proc/iomem
        txt k1-hotremove-dmesg.txt sh -c 'dmesg | grep -i -E "crash|hotplug|elfcorehdr|kexec|memory" | tail -30'
        echo "@@LOADED after-hotremove kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded 2>/dev/null)"
    fi
fi

[ "$E2E_UDEV" = 1 ] && udev_settle

# ---------------------------------------------------------------- crash
# a backup region beyond 64 KiB (jkexec's record of the load says its size): the crashed
# kernel's blocks of it, as late as possible before the crash
bk=$(sed -n 's/.*backup region 0x\([0-9a-f]*\) bytes.*/\1/p' /run/jkexec/kdump-load 2>/dev/null)
if [ -n "$bk" ] && [ $((0x$bk)) -gt 65536 ]; then
    lowmem >/dev/null
    txt k1-lowblocks.txt lowblocks "$(cat /tmp/.lmsrc)" $((0x$bk))
fi
echo "@@CRASHING uptime=$(up)"
echo 8 >/proc/sys/kernel/printk
echo 1 >/proc/sys/kernel/sysrq
echo c >/proc/sysrq-trigger
echo "@@FAIL still alive after sysrq-c"
finish k1-crash-failed
