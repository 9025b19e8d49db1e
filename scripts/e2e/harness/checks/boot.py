"""Boot checks: the first kernel came up on the machine it was meant to be, the kdump kernel
came up after the crash (or what the post-mortem found when it did not), the guest powered off;
and in E2E_MODE=kexec the regular kexec before the kdump cycle."""
import os
import re

from .. import machines
from ..console import last_line
from ..parsers import fdt_parse
from . import Checks

HANG_LINES = 25


def first_kernel(run):
    out = Checks()
    k1 = run.k1
    out.add('k1-boot', k1 is not None,
            'first kernel ran /init at host %.1fs (guest uptime %s)' % (k1[0] or 0, k1[1].get('uptime'))
            if k1 else 'no @@K1 marker: first kernel or /init did not come up (see console.log)')
    if k1:
        run.timings['boot_s'] = k1[0]
    return out


def never_booted(run):
    out = Checks()
    done = run.c.marker('DONE')
    out.add('poweroff', done is not None and run.qrc == 0, 'qemu exit status %s%s; last console line: %r'
            % (run.qrc, run.killed(), last_line(run.c)[:120]))
    return out


def shape_of(fdt1, c):
    """(machines.Shape, its one-line description) of what the first kernel showed."""
    memnodes = sorted(n for n in fdt1 if re.match(r'^/memory(@|$)', n))
    drmem = fdt1.get('/ibm,dynamic-reconfiguration-memory', {})
    nodes = (c.sec('k1-nodes.txt') or b'').decode().split()
    cpus = (c.sec('k1-cpus.txt') or b'').decode().split('\n')[0]
    cpuinfo = (c.sec('k1-cpuinfo.txt') or b'').decode()
    hash_mmu = bool(re.search(r'^MMU\s*:\s*Hash', cpuinfo, re.M))
    ncpu = len([n for n in fdt1 if re.match(r'^/cpus/[^/]*@', n)])
    s = machines.Shape(memnodes, drmem, nodes, cpus, cpuinfo, hash_mmu, ncpu, '/ibm,opal' in fdt1)
    text = '%d memory node(s) %s, %s, NUMA nodes %d, %s%s' % (
        len(memnodes), ' '.join(memnodes), 'drmem ' + ('v2' if 'ibm,dynamic-memory-v2' in drmem else
                                                       'v1' if 'ibm,dynamic-memory' in drmem else 'absent'),
        len(nodes), cpus, ', OPAL' if s.opal else '')
    text += ', MMU %s, %d CPU nodes' % ('hash' if hash_mmu else 'radix' if cpuinfo else '?', ncpu)
    return s, text


def machine_shape(run):
    """Does the machine look as intended (the point of each machine, machines.MACHINES)? And
    what the loader changed in the kdump kernel's FDT."""
    out = Checks()
    c = run.c
    fdt1 = fdt_parse(c.sec('k1-fdt.bin'))
    fdt2 = fdt_parse(c.sec('k2-fdt.bin'))
    if fdt1 is not None:
        s, text = shape_of(fdt1, c)
        m = machines.BY_NAME.get(run.meta.get('machine', ''))
        want = m.shape(s) if m and m.shape else None
        out.add('machine-shape', bool(want), text, None if want is not None else 'INFO')
    if fdt1 is not None and fdt2 is not None:
        p1 = {(n, k): v for n, ps in fdt1.items() for k, v in ps.items()}
        p2 = {(n, k): v for n, ps in fdt2.items() for k, v in ps.items()}
        added = sorted(set(p2) - set(p1))
        removed = sorted(set(p1) - set(p2))
        changed = sorted(k for k in set(p1) & set(p2) if p1[k] != p2[k])

        def names(ks):
            return ', '.join('%s:%s' % k for k in ks[:8]) + (' ...' if len(ks) > 8 else '')
        out.info('kdump-fdt', 'vs first kernel\'s FDT: added [%s]; removed [%s]; changed [%s]'
                 % (names(added), names(removed), names(changed)))
    return out


def kdump_kernel(run):
    """crash -> kdump kernel: it ran /init; when it did not, what the console and the
    post-mortem show."""
    out = Checks()
    c, k2 = run.c, run.k2
    crash = c.marker('CRASHING')
    if crash is None:
        out.add('kdump-boot', False, 'not reached: the first kernel never triggered the crash', 'SKIP')
    elif k2 is not None:
        out.add('kdump-boot', True, 'kdump kernel ran /init %.1f s after the crash was triggered'
                % ((k2[0] or 0) - (crash[0] or 0)))
    else:
        out.add('kdump-boot', False, 'no @@K2 marker: the kdump kernel did not reach /init%s'
                % (' (QEMU timed out)' if run.qrc == 124 else
                   ' (QEMU killed: no console output for %ss)' % run.meta.get('idle') if run.qrc == 125 else ''))
    if k2 and crash and k2[0] is not None and crash[0] is not None:
        run.timings['crash_to_kdump_s'] = k2[0] - crash[0]
    if not k2 and crash is not None:
        # only kexec-tools' purgatory prints; jkexec's is silent by design
        purg = ''
        if run.meta.get('loader') == 'kexec-tools':
            purg = 'purgatory %s; ' % ('was reached' if any("I'm in purgatory" in l for l in c.lines)
                                       else 'never printed')
        out.info('kdump-diagnosis', '%slast console line: %r' % (purg, last_line(c)[:120]))
        hang = hang_report(run.rundir, c)
        if hang:
            out.info('kdump-log', hang)
    return out


def hang_report(rundir, c):
    """What the post-mortem of a silent kdump kernel found (see qemu.post_mortem): the CPUs' NIP
    and LR and the last lines of the kdump kernel's printk buffer, as one detail whose
    continuation lines are indented; None without a post-mortem."""
    m = c.marker('HANGLOG')
    if m is None:
        return None
    head = 'post-mortem through QMP: %s' % m[2].strip()
    regs = os.path.join(rundir, 'hang-registers.txt')
    if os.path.exists(regs):
        with open(regs) as f:
            cpus = f.read().split('\n\n', 1)[0].strip()
        if cpus:
            head += '\n' + '\n'.join('         ' + l for l in cpus.splitlines())
    logp = os.path.join(rundir, 'hang-log.txt')
    if not os.path.exists(logp):
        return head
    with open(logp, errors='replace') as f:
        lines = f.read().splitlines()
    if not lines:
        return head + '\n         no printk records in crashkernel: the kdump kernel stopped before its first message'
    return (head + '\n         last %d of %d lines of its log (hang-log.txt):\n' % (min(HANG_LINES, len(lines)), len(lines))
            + '\n'.join('         | ' + l for l in lines[-HANG_LINES:]))


def end(run):
    """What the guest reported as failed, and whether it powered off by itself."""
    out = Checks()
    c = run.c
    done = c.marker('DONE')
    for t, k, rest in [m for m in c.markers if m[1] == 'FAIL']:
        out.add('guest-fail', False, rest)
    out.add('poweroff', done is not None and run.qrc == 0,
            'guest powered off after %s' % done[2] if done is not None and run.qrc == 0
            else 'qemu exit status %s%s; last @@ marker: %s'
            % (run.qrc, run.killed(), ('@@%s %s' % (c.markers[-1][1], c.markers[-1][2])) if c.markers else 'none'))
    return out


def kexec(run):
    """E2E_MODE=kexec: the booted kernel (k0) loaded itself with jkexec load -l and reboot
    into it with jkexec exec; the kexec'd kernel then ran the kdump cycle as k1."""
    out = Checks()
    c, timings = run.c, run.timings
    k0 = c.marker('K0')
    out.add('k0-boot', k0 is not None, 'booted kernel ran /init' if k0 else 'no @@K0 marker')
    load = c.marker('KEXECLOAD')
    ok = load is not None and load[1].get('rc') == '0' and load[1].get('kexec_loaded') == '1'
    out.add('kexec-load', ok, 'jkexec load -l rc=%s in %s s, kexec_loaded=%s, kexec_crash_loaded=%s'
            % ((load[1].get('rc'), load[1].get('seconds'), load[1].get('kexec_loaded'), load[1].get('kexec_crash_loaded'))
               if load else ('?', '?', '?', '?')))
    if load and load[1].get('seconds'):
        timings['kexec_load_s'] = float(load[1]['seconds'])
    tok = c.marker('KEXECTOKEN')
    done = c.marker('KEXECED')
    ing = c.marker('KEXECING')
    out.add('kexec-boot', done is not None, 'the kexec\'d kernel ran /init %s after jkexec exec'
            % ('%.1f s' % (done[0] - ing[0]) if done and ing and done[0] is not None and ing[0] is not None else '')
            if done else 'no @@KEXECED marker: the kexec\'d kernel did not come up')
    if done and ing and done[0] is not None and ing[0] is not None:
        timings['kexec_to_init_s'] = round(done[0] - ing[0], 1)
    if done is None:
        return out
    out.add('kexec-token', tok is not None and done[1].get('token') == tok[1].get('token'),
            'token %s on the kexec\'d kernel\'s command line (written before the kexec: %s)'
            % (done[1].get('token'), tok[1].get('token') if tok else None))
    k0cmd = (c.sec('k0-cmdline.txt') or b'').decode(errors='replace').split()
    k1cmd = (c.sec('k1-kexeced-cmdline.txt') or b'').decode(errors='replace').split()
    want = [w for w in k0cmd if not w.startswith('BOOT_IMAGE=')] + ['e2e_kexec_token=%s' % done[1].get('token')]
    out.add('kexec-cmdline', k1cmd == want, 'kexec\'d kernel\'s /proc/cmdline %r, expected %r'
            % (' '.join(k1cmd), ' '.join(want)))
    # crashkernel reserved again: kexec_crash_size, and where both kernels export it, the same
    # base in /chosen (Debian's 6.1 ppc64 kernel lists no "Crash kernel" in /proc/iomem)
    size = done[1].get('crash_size', '0')
    base0 = tok[1].get('crash_base') if tok else None
    base1 = done[1].get('crash_base')
    same = not base0 or not base1 or base0 == base1
    out.add('kexec-crashkernel', size.isdigit() and int(size) > 0 and same,
            'crashkernel reserved again after the kexec: kexec_crash_size=%s, /chosen/linux,crashkernel-base %s '
            '(before the kexec %s), "Crash kernel" lines in iomem=%s'
            % (size, base1 or 'not reported', base0 or 'not reported', done[1].get('iomem_crash')))

    return out
