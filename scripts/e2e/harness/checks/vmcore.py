"""vmcore checks: /proc/vmcore in the kdump kernel is an ELF core whose PT_LOADs cover exactly
the crashed kernel's RAM (minus crashkernel, plus the firmware inside it) and whose size
follows from its program headers."""
import os

from ..parsers import (crash_cma_ranges, crashkernel_of, dt_props, elf_phdrs, firmware_regions, fmt_ranges,
                       subtract, subtract_all, system_ram, union)
from . import Checks


def vmcore_size(c):
    vsz = c.marker('VMCORESIZE')
    return int(vsz[2].split()[0]) if vsz and vsz[2].split() and vsz[2].split()[0].isdigit() else None


def check(run):
    out = Checks()
    c, outdir, k2 = run.c, run.outdir, run.k2
    hdr = c.sec('k2-vmcorehdr.bin')
    size = vmcore_size(c)
    if k2:
        out.add('vmcore', size is not None and size > 0 and hdr is not None and hdr[:4] == b'\x7fELF',
                '/proc/vmcore size %s bytes, header %s' % (size, 'ELF' if hdr and hdr[:4] == b'\x7fELF'
                                                           else 'missing/not ELF'))
    eh, ph = elf_phdrs(hdr or b'')
    if eh:
        pl = [p for p in ph if p['type'] == 1]
        notes = [p for p in ph if p['type'] == 4]
        dump_ranges = union([(p['paddr'], p['paddr'] + p['memsz']) for p in pl])
        covered = sum(b - a for a, b in dump_ranges)
        summ = sum(p['memsz'] for p in pl)
        hdr_len = min([p['offset'] for p in pl] or [0])
        end = max([p['offset'] + p['filesz'] for p in pl] or [0])
        with open(os.path.join(outdir, 'k2-vmcore-phdrs.txt'), 'w') as f:
            for p in ph:
                f.write('type=%d offset=%#x paddr=%#x filesz=%#x memsz=%#x\n'
                        % (p['type'], p['offset'], p['paddr'], p['filesz'], p['memsz']))
        out += coverage(run, dump_ranges)
        if size is not None:
            expected = hdr_len + summ
            # the file ends where the last PT_LOAD's data ends (each load occupies its
            # page-rounded span, so a sub-page RTAS load still takes a whole page)
            out.add('vmcore-size', size in (expected, hdr_len + covered, end),
                    'size %d; headers %#x + sum(PT_LOAD memsz) %#x = %d; headers + RAM covered %#x = %d; '
                    'last PT_LOAD ends at %#x; %d PT_LOAD, %d PT_NOTE'
                    % (size, hdr_len, summ, expected, covered, hdr_len + covered, end, len(pl), len(notes)))
            run.timings['vmcore_bytes'] = size
    elif k2:
        out.add('vmcore-header', False, 'k2-vmcorehdr.bin missing or not an ELF64 LE header')
    return out


def memory_at_crash(run):
    """The first kernel's /proc/iomem as it was at the crash (after a hot-add or hot-remove)."""
    c, meta = run.c, run.meta
    iomem = c.sec('k1-iomem.txt')
    if meta.get('hotplug') and meta.get('hotplug_expect', 'present') == 'present' and c.sec('k1-hotplug-iomem.txt'):
        iomem = c.sec('k1-hotplug-iomem.txt')  # the memory at the crash, hot-added DIMM included
    if meta.get('hotplug_expect') == 'removed' and c.sec('k1-hotremove-iomem.txt'):
        iomem = c.sec('k1-hotremove-iomem.txt')  # the memory at the crash: the DIMM gone again
    return iomem


def coverage(run, dump_ranges):
    """Expected coverage: the first kernel's System RAM minus the crash kernel region and its
    crashkernel=SIZE,cma areas (which the kernel leaves out of the dump by design), plus the
    firmware regions (RTAS/OPAL) inside crashkernel, exact or rounded out to pages as a loader would."""
    out = Checks()
    c = run.c
    iomem = memory_at_crash(run)
    dt = dt_props(c.sec('k1-devicetree.tgz') or b'')
    cb, cs = crashkernel_of(dt, c.sec('k1-crashkernel-dt.txt'))
    if not (iomem and cb is not None and cs):
        out.add('vmcore-coverage', False, 'cannot compute: k1 iomem or crashkernel base/size missing')
        return out
    cma = crash_cma_ranges((c.sec('k1-crashcma.txt') or b'').decode())
    exp = subtract_all(subtract(system_ram(iomem.decode()), (cb, cb + cs)), cma)
    # firmware regions inside crashkernel: the kernel (and jkexec) export them exactly,
    # kexec-tools rounds them out to its page size: 64 KiB on Debian's kernels, 4 KiB on the
    # 4 KiB builds; either is a full dump
    exact, rounded, rounded4k = list(exp), list(exp), list(exp)
    fw = []
    for n, a, b in firmware_regions(dt):
        a1, b1 = max(a, cb), min(b, cb + cs)
        if a1 < b1:
            exact.append((a1, b1))
            rounded.append((a1 & ~0xffff, (b1 + 0xffff) & ~0xffff))
            rounded4k.append((a1 & ~0xfff, (b1 + 0xfff) & ~0xfff))
            fw.append('%s %#x-%#x' % (n, a, b - 1))
    which = ('exact' if union(exact) == dump_ranges else
             'page-rounded' if union(rounded) == dump_ranges else
             'rounded to 4 KiB' if union(rounded4k) == dump_ranges else None)
    out.add('vmcore-coverage', which is not None,
            'PT_LOADs cover %s; expected (System RAM minus crashkernel %#x-%#x%s%s, firmware exact or '
            'rounded to 64 KiB) %s%s'
            % (fmt_ranges(dump_ranges), cb, cb + cs - 1,
               (' and its CMA areas ' + fmt_ranges(cma)) if cma else '',
               (', plus ' + ', '.join(fw)) if fw else '', fmt_ranges(union(exact)),
               ('; matched ' + which) if which else ''))
    return out
