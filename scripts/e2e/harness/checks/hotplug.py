"""Crash hotplug checks (E2E_HOTPLUG): memory and a CPU added after the load, without a reload
(and with E2E_HOTPLUG_EXPECT=removed the memory given back again), must be in the dump as the
kernel updated the loaded image, or absent when the load gave it no way to."""
import re

from ..parsers import count_prstatus, fdt_parse, pt_load_ranges, subtract_all
from . import Check, Checks

BLOCKS = r'blocks=(\d+)->(\d+)'
CPUS = r'cpus=(\d+)->(\d+)'


def check(run):
    out = Checks()
    c, meta = run.c, run.meta
    if not meta.get('hotplug'):
        return out
    hp = c.marker('HOTPLUG', lambda r: r.startswith('done'))
    q = c.marker('QMP')
    grew = bool(hp and re.search(BLOCKS, hp[2]) and re.search(CPUS, hp[2]))
    if grew:
        b = re.search(BLOCKS, hp[2])
        cc = re.search(CPUS, hp[2])
        grew = int(b.group(2)) > int(b.group(1)) and int(cc.group(2)) > int(cc.group(1))
    out.add('hotplug', bool(q and 'mem=ok' in q[2] and 'cpu=ok' in q[2] and grew),
            'QMP: %s; guest: %s' % (q[2] if q else 'no @@QMP line', hp[2] if hp else 'no @@HOTPLUG done'))
    if meta.get('hotplug_expect') == 'removed':
        qd = c.marker('QMPDEL')
        hr = c.marker('HOTREMOVE', lambda r: r.startswith('done'))
        m = re.search(BLOCKS, hr[2]) if hr else None
        shrank = bool(m and int(m.group(2)) < int(m.group(1)))
        out.add('hotremove', bool(qd and 'mem=ok' in qd[2] and shrank),
                'QMP device_del: %s; guest: %s' % (qd[2] if qd else 'no @@QMPDEL line',
                                                   hr[2] if hr else 'no @@HOTREMOVE done'))
    if run.k2:
        out += in_dump(run, hp)
    return out


def in_dump(run, hp):
    out = Checks()
    c, meta = run.c, run.meta
    hdr = c.sec('k2-vmcorehdr.bin')
    t = c.marker('HPTOKEN2')
    expect = meta.get('hotplug_expect', 'present')
    found = bool(t and t[1].get('result') == 'match')
    base = int(meta['hotplug'], 0)
    dimm = (base, base + (1 << 30))
    dump_ranges = pt_load_ranges(hdr)
    covered = dump_ranges is not None and not subtract_all([dimm], dump_ranges)
    hd = hp[1] if hp else {}
    written = hd.get('token') == 'written'
    # with STRICT_DEVMEM (Debian's kernels) the first kernel cannot write the DIMM: then
    # only the PT_LOADs say whether the dump covers it
    present = covered and (found or not written)
    out.add('hotplug-memory-in-dump', present == (expect == 'present') and (expect == 'present' or not found),
            'hot-added DIMM %#x-%#x %scovered by the PT_LOADs; token written there after the load (%s) %s in '
            '/proc/vmcore (%s); expected %s' % (dimm[0], dimm[1] - 1, '' if covered else 'NOT ',
                                                hd.get('token', '?'), 'found' if found else 'NOT found',
                                                t[2] if t else 'no @@HPTOKEN2', expect))
    # the new CPU: its registers are a NT_PRSTATUS note of the dump; its node in the kdump FDT
    cpus_after = None
    m = re.search(r'cpus=\d+->(\d+)', hp[2]) if hp else None
    if m:
        cpus_after = int(m.group(1))
    nprs = count_prstatus(hdr or b'')
    threads = 0
    for n, ps in (fdt_parse(c.sec('k2-fdt.bin')) or {}).items():
        if re.match(r'^/cpus/[^/]*@', n) and 'ibm,ppc-interrupt-server#s' in ps:
            threads += len(ps['ibm,ppc-interrupt-server#s']) // 4
    ok = cpus_after is not None and (expect == 'missing' or (nprs == cpus_after and threads >= cpus_after))
    out.add('hotplug-cpu-in-dump', ok, 'CPUs online at the crash %s; NT_PRSTATUS notes in /proc/vmcore %s; '
            'CPU threads in the kdump kernel\'s FDT %d' % (cpus_after, nprs, threads))
    return out


PLANNED_BEFORE = ('plan-equals-kernel', 'plan-fdt', 'plan-elfcorehdr', 'jkexec-verify', 'plan-vmcore-size')


def not_counted_after_hotplug(run, checks):
    """After a crash hotplug the kernel rewrote the FDT and ELF core header: what was planned
    from the facts printed before the hotplug is not expected to match any more (in place)."""
    meta = run.meta
    if meta.get('hotplug') and meta.get('hotplug_expect', 'present') in ('present', 'removed'):
        for i, (n, st, d) in enumerate(checks):
            if st == 'FAIL' and n in PLANNED_BEFORE:
                checks[i] = Check(n, 'INFO', d + '; not counted: memory and a CPU were hot-added after the load, '
                                  'the kernel updated the image, the first kernel\'s facts predate that')
