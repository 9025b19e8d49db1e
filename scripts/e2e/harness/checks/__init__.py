"""The checks of one run, one module per family (boot, package, load, vmcore, dump, hotplug,
makedumpfile, plan). Each family reads a Run and returns Check records; check() calls them in
the order the summary lists them."""
import json
import os
import re
import shutil
import subprocess
from collections import namedtuple

from ..console import Console

Check = namedtuple('Check', 'name status detail')   # status PASS, FAIL, SKIP or INFO


class Checks(list):
    """The Check records of one family, in the order they were made."""

    def add(self, name, ok, detail, status=None):
        self.append(Check(name, status or ('PASS' if ok else 'FAIL'), detail))

    def info(self, name, detail):
        self.append(Check(name, 'INFO', detail))


class Run:
    """One run directory: meta.json, the console split into markers and sections (written to
    out/), and the timings the families find."""

    def __init__(self, rundir):
        self.rundir = rundir
        self.meta = {}
        mpath = os.path.join(rundir, 'meta.json')
        if os.path.exists(mpath):
            with open(mpath) as f:
                self.meta = json.load(f)
        self.c = Console(rundir)
        self.outdir = os.path.join(rundir, 'out')
        self.timings = {}
        self.qrc = self.meta.get('qemu_rc')
        self.k1 = self.c.marker('K1')
        self.k2 = self.c.marker('K2')

    def write_sections(self):
        os.makedirs(self.outdir, exist_ok=True)
        for name, s in self.c.sections.items():
            safe = re.sub(r'[^A-Za-z0-9._-]', '_', name)
            with open(os.path.join(self.outdir, safe), 'wb') as f:
                f.write(s['data'])
        # Human-readable device trees when dtc is there.
        for n in ('k1-fdt.bin', 'k2-fdt.bin'):
            src = os.path.join(self.outdir, n)
            if os.path.exists(src) and os.path.getsize(src) > 0 and shutil.which('dtc'):
                subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', '-o', src[:-4] + '.dts', src],
                               stderr=subprocess.DEVNULL, check=False)

    def killed(self):
        """' (timeout N s)' or ' (no console output for N s)' when the harness killed QEMU."""
        if self.qrc == 124:
            return ' (timeout %ss)' % self.meta.get('timeout')
        if self.qrc == 125:
            return ' (no console output for %ss)' % self.meta.get('idle')
        return ''

    def jkexec_run(self):
        return self.meta.get('loader') == 'jkexec'

    def file_load(self):
        return self.meta.get('syscall') == 'kexec_file_load'


def check(run):
    """Every check of run, in the summary's order."""
    from . import boot, dump, hotplug, load, makedumpfile, package, plan, udev, vmcore
    checks = boot.first_kernel(run)
    if run.k1 is None:
        return checks + boot.never_booted(run)
    mode = run.meta.get('mode', 'kdump')
    if mode == 'kexec':
        checks += boot.kexec(run)
    if mode == 'java-version':
        return checks + package.check(run) + load.java_version_mode(run)
    for family in (boot.machine_shape, package.check, load.check, boot.kdump_kernel, vmcore.check, dump.check,
                   hotplug.check, udev.check, makedumpfile.check, plan.check):
        checks += family(run)
    hotplug.not_counted_after_hotplug(run, checks)
    checks += missing(run, checks)
    checks += boot.end(run)
    return checks


def missing(run, checks):
    """Every check a kdump run promises is reported, whatever went missing on the way; and
    what firmware printed into the sections."""
    from . import package
    out = Checks()
    have = {ch.name for ch in checks}
    expected = ['load', 'kdump-boot', 'vmcore', 'vmcore-coverage', 'vmcore-size', 'dump-token',
                'backup-region', 'makedumpfile']
    if run.jkexec_run() and run.meta.get('mode') == 'kdump-tools':
        expected = ['jkexec-plan'] + expected   # kdump-config runs jkexec as kexec: no java -version, no dry run
    elif run.jkexec_run():
        expected = ['java-version'] + ([] if run.c.marker('QUICK') else ['jkexec-plan', 'jkexec-dry-run']) + expected
    if run.file_load() or run.jkexec_run():
        expected.append('plan-equals-kernel')
    expected = package.expected(run) + expected
    for n in expected:
        if n in have:
            continue
        if run.k2:
            out.add(n, False, 'no result: the data this check reads is missing from the console log')
        else:
            out.add(n, False, 'not reached: the kdump kernel did not run', 'SKIP')
    for name, count, first in run.c.noise:
        out.info('console-noise', '%d non-base64 line(s) in section %s (firmware messages cut out), first: %r'
                 % (count, name, first))
    return out
