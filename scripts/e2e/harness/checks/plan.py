"""Plan checks (jkexec, and every kexec_file_load run): what jkexec planned, in the guest and
again on the host from the first kernel's printed facts, equals what the kdump kernel received;
and `jkexec verify` on the host passes on what the kdump kernel received."""
import json
import os
import re
import shlex
import shutil
import struct
import subprocess

from ..parsers import diffcount, elf_phdrs, fdt_blocks_end, fdt_nop_property, fdt_prop, headers_end
from . import Checks

# the checkout: scripts/make-reference-capture turns a run's printed facts into a capture
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))


def host_jar(meta):
    return os.environ.get('JKEXEC_JAR_HOST') or meta.get('jkexec_jar')


def check(run):
    out = Checks()
    c, outdir = run.c, run.outdir
    fdt2 = c.sec('k2-fdt.bin')
    ech = c.sec('k2-elfcorehdr.bin')
    for name, s in sorted(c.sections.items()):
        if not name.startswith('k1-plan-') or s['error']:
            continue
        b = s['data']
        if b[:4] == b'\xd0\x0d\xfe\xed' and fdt2:
            out += plan_fdt(run, name, b, fdt2)
        elif b[:4] == b'\x7fELF' and ech:
            e, _ = elf_phdrs(b)
            n = headers_end(e) if e else len(b)
            out.add('plan-elfcorehdr', b[:n] == ech[:n],
                    '%s vs elfcorehdr in the kdump kernel\'s memory: %d of %d bytes differ'
                    % (name, diffcount(b[:n], ech[:n]), n))
    jkexec_verify(run, out)
    if run.k2 and (run.file_load() or run.jkexec_run()):
        plan_equals_kernel(run, out)
    if ech:
        e, _ = elf_phdrs(ech)
        if e:
            with open(os.path.join(outdir, 'k2-elfcorehdr.cut.bin'), 'wb') as f:
                f.write(ech[:headers_end(e)])
    return out


def as_the_kdump_kernel_leaves_it(planned, received):
    """The planned FDT with the two edits made after the load: the purgatory writes the crashing
    CPU into boot_cpuid_phys, the kdump kernel turns rng-seed into FDT_NOPs."""
    b = bytearray(planned)
    if len(received) >= 32:
        b[28:32] = received[28:32]
    fdt_nop_property(b, b'rng-seed')
    return bytes(b)


def plan_fdt(run, name, planned, fdt2):
    out = Checks()
    file_load = run.file_load()
    b = as_the_kdump_kernel_leaves_it(planned, fdt2)
    tot = struct.unpack_from('>I', b, 4)[0]
    tot2 = struct.unpack_from('>I', fdt2, 4)[0] if len(fdt2) >= 8 else -1
    same = b[:tot] == fdt2[:tot2]
    out.add('plan-fdt', same,
            '%s (%d bytes, boot CPU and rng-seed NOPs as the kdump kernel leaves them) vs FDT the '
            'kdump kernel got (%d bytes): %d bytes differ%s' % (name, tot, tot2, diffcount(b[:tot], fdt2[:tot2]),
                                                        file_load and '; kexec_file_load: the kernel drew '
                                                        'its own seeds, see plan-equals-kernel' or ''),
            'INFO' if file_load and not same else None)
    return out


def jkexec_verify(run, out):
    """Runs `jkexec verify` on the host over what the kdump kernel received (its FDT, the
    start of /proc/vmcore, its command line, the raw core header read through /proc/kcore)
    against the first kernel's capture and the plan made there: the verifier of issue 4
    checked on a real kdump, and the loader checked by the verifier."""
    c, outdir = run.c, run.outdir
    jar = host_jar(run.meta)
    fdt2, vm, cmd = c.sec('k2-fdt.bin'), c.sec('k2-vmcorehdr.bin'), c.sec('k2-cmdline.txt')
    if not jar or not os.path.exists(jar) or not shutil.which('java') or not (fdt2 and vm and cmd):
        return
    args = verify_args(run, jar, fdt2, vm, cmd)
    plan = c.sec('k1-plan-plan.json')
    if plan:
        args += ['--plan', os.path.join(outdir, 'k1-plan-plan.json')]
        out += plan_vmcore_size(plan, c.marker('VMCORESIZE'))
    r = subprocess.run(args, capture_output=True, text=True)
    with open(os.path.join(outdir, 'jkexec-verify.json'), 'w') as f:
        f.write(r.stdout)
    try:
        j = json.loads(r.stdout)
        checks = j.get('checks', [])
        failed = [x.get('id') for x in checks if x.get('status') == 'FAIL']
        counts = {}
        for x in checks:
            counts[x.get('status')] = counts.get(x.get('status'), 0) + 1
        detail = ', '.join('%s %d' % kv for kv in sorted(counts.items()))
        out.add('jkexec-verify', r.returncode == 0 and not failed,
                'jkexec verify on the host (capture%s): %s%s' % (' + plan' if plan else '', detail,
                                                               ('; failed: ' + ', '.join(failed)) if failed else ''))
    except ValueError:
        out.add('jkexec-verify', False, 'jkexec verify rc=%d: %s' % (r.returncode, (r.stderr or r.stdout).strip()[:300]))


def verify_args(run, jar, fdt2, vm, cmd):
    """`jkexec verify`'s command line over a root laid out as the kdump kernel's (out/verify-root),
    with the run's vmcore size, elfcorehdr and the first kernel's capture when there."""
    c, outdir = run.c, run.outdir
    root = os.path.join(outdir, 'verify-root')
    for d in ('sys/firmware', 'proc', 'jkexec'):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    for rel, data in (('sys/firmware/fdt', fdt2), ('proc/vmcore', vm), ('proc/cmdline', cmd)):
        with open(os.path.join(root, rel), 'wb') as f:
            f.write(data)
    args = ['java', '-jar', jar, 'verify', root, '--json']
    size = c.marker('VMCORESIZE')
    if size and size[2].strip().isdigit():
        args += ['--vmcore-size', size[2].strip()]
    if c.sec('k2-elfcorehdr.bin'):
        args += ['--elfcorehdr', os.path.join(outdir, 'k2-elfcorehdr.bin')]
    if c.sec('k1-jkexec-capture.tgz'):
        capdir = os.path.join(outdir, 'k1-capture')
        shutil.rmtree(capdir, ignore_errors=True)
        os.makedirs(capdir)
        tgz = os.path.join(outdir, 'k1-jkexec-capture.tgz')
        subprocess.run(['tar', 'xzf', tgz, '-C', capdir], check=False)
        args += ['--capture', os.path.join(capdir, 'capture')]
    return args


def plan_vmcore_size(plan_json, size):
    """/proc/vmcore's size (the VMCORESIZE marker) against what the guest's plan predicted."""
    out = Checks()
    try:
        pv = json.loads(plan_json).get('vmcore', {})
        if size and size[2].strip().isdigit() and 'size' in pv:
            real = int(size[2].strip())
            ok = real == pv['size'] if pv.get('exact') else real <= pv['size']
            out.add('plan-vmcore-size', ok, '/proc/vmcore is %d bytes; the plan predicted %s%d' % (
                    real, '' if pv.get('exact') else 'at most ', pv['size']))
    except ValueError:
        out.add('plan-vmcore-size', False, 'plan.json does not parse')
    return out


def plan_equals_kernel(run, out):
    """Builds a machine capture from the first kernel's printed facts (scripts/make-reference-capture,
    as for the reference runs), plans the same kdump load on the host with the seed the kdump
    kernel's FDT shows, and compares the plan with what the kdump kernel received: the FDT (after
    the purgatory's boot_cpuid_phys edit and the kdump kernel's rng-seed NOPs, up to the end of the
    strings block), the ELF core header (ehdr and phdrs, from memory at elfcorehdr=) and the
    command line. On kexec_file_load the kernel planned the load: this is the reference
    comparison of the unit tests, run on a live kernel."""
    c, meta = run.c, run.meta
    jar = host_jar(meta)
    fdt2, ech, cmd2 = c.sec('k2-fdt.bin'), c.sec('k2-elfcorehdr.bin'), c.sec('k2-cmdline.txt')
    lc = c.sec('load-command.txt')
    vmlinux, initrd = meta.get('vmlinux'), meta.get('initrd')
    missing = [n for n, v in (('k2-fdt.bin', fdt2), ('k2-elfcorehdr.bin', ech), ('k2-cmdline.txt', cmd2),
                              ('load-command.txt', lc)) if not v]
    if not jar or not os.path.exists(jar) or not shutil.which('java'):
        out.add('plan-equals-kernel', False, 'no jkexec.jar or java on the host', 'SKIP')
        return
    if missing or not vmlinux or not initrd or not os.path.exists(vmlinux) or not os.path.exists(initrd):
        out.add('plan-equals-kernel', False, 'missing: %s' % ', '.join(missing or ['vmlinux/initrd of the run']))
        return
    m = re.search(r'--(?:append|command-line)[= ]"([^"]*)"', lc.decode())
    append = m.group(1) if m else ''
    t1 = c.marker('TOKEN1')
    page = t1[1].get('pagesize', '') if t1 else ''
    if not page.isdigit():
        out.add('plan-equals-kernel', False, 'no page size in @@TOKEN1')
        return
    cap, error = host_capture(run, page)
    if error:
        out.add('plan-equals-kernel', False, 'make-reference-capture: %s' % error)
        return
    kaslr = fdt_prop(fdt2, '/chosen', 'kaslr-seed')
    seed = kaslr.hex() if kaslr and len(kaslr) == 8 else 'none'
    plandir, r = host_plan(run, jar, cap, append, seed)
    if r.returncode != 0:
        out.add('plan-equals-kernel', False, 'jkexec plan rc=%d: %s' % (r.returncode, (r.stderr or r.stdout).strip()[-300:]))
        return
    ok, parts = compare_with_kernel(plandir, r.stdout, fdt2, ech, cmd2)
    out.add('plan-equals-kernel', ok, 'host plan (seed %s) vs what the kdump kernel received: %s'
            % (seed, '; '.join(parts)))


def host_capture(run, page):
    """(the capture made from the first kernel's printed facts, None) or (None, the error)."""
    outdir = run.outdir
    ref = os.path.join(outdir, 'k1-ref')
    shutil.rmtree(ref, ignore_errors=True)
    os.makedirs(ref)
    for n in ('k1-devicetree.tgz', 'k1-fdt.bin', 'k1-cmdline.txt', 'k1-iomem.txt', 'k1-crashsize.txt',
              'k1-vmcoreinfo.txt', 'k1-crashnotes.txt', 'load-command.txt'):
        shutil.copy(os.path.join(outdir, n), ref)
    if os.path.exists(os.path.join(outdir, 'k1-crashcma.txt')):  # crashkernel=SIZE,cma areas
        shutil.copy(os.path.join(outdir, 'k1-crashcma.txt'), ref)
    cap = os.path.join(outdir, 'host-capture')
    r = subprocess.run(['bash', os.path.join(REPO, 'scripts', 'make-reference-capture'), ref, cap, page],
                       env=dict(os.environ, STUBS='0'), capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip()[-300:]
    cpuinfo = (run.c.sec('k1-cpuinfo.txt') or b'').decode()
    mmu = 'hash' if re.search(r'^MMU\s*:\s*Hash', cpuinfo, re.M) else 'radix'
    with open(os.path.join(cap, 'jkexec', 'facts'), 'w') as f:
        f.write('# from the e2e run\npage-size=%s\nmmu=%s\n' % (page, mmu))
    return cap, None


def host_plan(run, jar, cap, append, seed):
    """`jkexec plan` of the host capture with the run's kernel and initrd: (its --out directory,
    the finished process); its JSON and command line saved beside."""
    outdir, meta = run.outdir, run.meta
    plandir = os.path.join(outdir, 'host-plan')
    shutil.rmtree(plandir, ignore_errors=True)
    args = ['java', '-jar', jar, 'plan', cap, '--kernel', meta.get('vmlinux'), '--initrd', meta.get('initrd'),
            '--append', append, '--seed', seed, '--json', '--out', plandir]
    r = subprocess.run(args, capture_output=True, text=True)
    with open(os.path.join(outdir, 'host-plan.json'), 'w') as f:
        f.write(r.stdout)
    with open(os.path.join(outdir, 'host-plan-command.txt'), 'w') as f:
        f.write(' '.join(shlex.quote(a) for a in args) + '\n' + r.stderr)
    return plandir, r


def compare_with_kernel(plandir, plan_json, fdt2, ech, cmd2):
    """(all equal, one text per part) of the host plan against what the kdump kernel received."""
    parts = []
    ok = True
    # FDT: the two edits made after the load, then header, reserve map, structure and strings
    with open(os.path.join(plandir, 'kdump.dtb'), 'rb') as f:
        ours = as_the_kdump_kernel_leaves_it(f.read(), fdt2)
    e1, e2 = fdt_blocks_end(ours), fdt_blocks_end(fdt2)
    d = diffcount(ours[:e1], fdt2[:e2])
    tot1, tot2 = struct.unpack_from('>I', ours, 4)[0], struct.unpack_from('>I', fdt2, 4)[0]
    ok &= d == 0
    parts.append('FDT %d of %d bytes differ (totalsize %#x vs kernel %#x)' % (d, max(e1, e2), tot1, tot2))
    # ELF core header
    with open(os.path.join(plandir, 'elfcorehdr.bin'), 'rb') as f:
        oh = f.read()
    eo, _ = elf_phdrs(oh)
    ek, _ = elf_phdrs(ech)
    n1 = headers_end(eo) if eo else len(oh)
    n2 = headers_end(ek) if ek else 0
    d = diffcount(oh[:n1], ech[:n2])
    ok &= d == 0
    parts.append('elfcorehdr %d of %d bytes differ (%s vs kernel %s phdrs)' % (
        d, max(n1, n2), eo['phnum'] if eo else '?', ek['phnum'] if ek else '?'))
    # command line
    try:
        planned = json.loads(plan_json).get('cmdline', '')
    except ValueError:
        planned = ''
    got = cmd2.decode().strip()
    same = planned.strip() == got
    ok &= same
    parts.append('command line %s' % ('equal' if same else 'differs: plan %r, kernel %r' % (planned, got)))
    return ok, parts
