#!/usr/bin/env python3
"""Host side of the QEMU kdump harness (stdlib only).

  e2e.py qemu LOG TLOG TIMEOUT IDLE -- QEMU...
                                run QEMU (stdin /dev/null), copy its output to LOG,
                                and to TLOG with the host time (seconds since start)
                                before each line; echo @@ marker lines to stderr;
                                kill it after TIMEOUT s (exit 124) or IDLE s
                                without output (exit 125)
  e2e.py check RUNDIR           split RUNDIR/console.log into RUNDIR/out/, run the
                                checks, write RUNDIR/summary.txt and result.json;
                                exit 0 when every check passed
  e2e.py table RUNDIR...        one summary table over several runs
"""
import base64
import io
import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tarfile
import time

MARK = re.compile(r'@@([A-Z0-9]+)(?:\s(.*))?$')
B64_LINE = re.compile(r'^[A-Za-z0-9+/]*={0,2}$')
# a firmware console message: skiboot's "[  113.429307019,3] SBE: ..." or the kernel's "[   12.3] ..."
FW_MESSAGE = re.compile(r'\[\s*\d+\.\d+(,\d+)?\]')


def cmd_qemu(argv):
    """qemu LOG TLOG TIMEOUT IDLE -- CMD...: run CMD (QEMU), stdin from /dev/null,
    its stdout+stderr copied as by 'tee'; kill it after TIMEOUT seconds in all or
    IDLE seconds without output. Exit status: CMD's, 124 on timeout, 125 on idle."""
    import select
    import signal
    import subprocess as sp
    log, tlog, timeout, idle = argv[0], argv[1], float(argv[2]), float(argv[3])
    cmd = argv[argv.index('--') + 1:]
    t0 = time.time()
    proc = sp.Popen(cmd, stdin=sp.DEVNULL, stdout=sp.PIPE, stderr=sp.STDOUT, start_new_session=True)
    fd = proc.stdout.fileno()
    last = t0
    buf = b''
    why = None

    def emit(line, lf, tf):
        now = time.time()
        lf.write(line)
        lf.flush()
        tf.write(b'%.3f ' % (now - t0) + line)
        tf.flush()
        i = line.find(b'@@')
        if i >= 0 and not line[i:].startswith((b'@@BEGIN', b'@@END')):
            sys.stderr.write('  [%6.1fs] %s\n' % (now - t0, line[i:].decode('utf-8', 'replace').rstrip()[:160]))
        elif b'Kernel panic' in line or b"I'm in purgatory" in line:
            sys.stderr.write('  [%6.1fs] %s\n' % (now - t0, line.decode('utf-8', 'replace').strip()[:160]))
        sys.stderr.flush()

    qmp_sock = os.environ.get('E2E_QMP_SOCKET')
    # what a post-mortem needs: where crashkernel is (the first kernel prints it), and
    # whether the crash happened and the kdump kernel's /init ran
    state = {'ck': None, 'in_ck': False, 'crashed': False, 'k2': False}

    def watch(line):
        if line.startswith(b'@@BEGIN k1-crashkernel-dt.txt'):
            state['in_ck'] = True
        elif state['in_ck']:
            m = re.match(rb'base=([0-9a-f]{16}) size=([0-9a-f]{16})', line)
            if m:
                state['ck'] = (int(m.group(1), 16), int(m.group(2), 16))
            state['in_ck'] = False
        if line.startswith(b'@@CRASHING'):
            state['crashed'] = True
        elif line.startswith(b'@@K2 '):
            state['k2'] = True
    with open(log, 'wb') as lf, open(tlog, 'wb') as tf:
        while True:
            now = time.time()
            if now - t0 > timeout:
                why = 124
                break
            if now - last > idle:
                why = 125
                break
            r, _, _ = select.select([fd], [], [], 1.0)
            if not r:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            last = time.time()
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                emit(line + b'\n', lf, tf)
                watch(line.rstrip(b'\r'))
                m = re.search(rb'@@HOTPLUG request addr=(\S+)', line)
                if m and qmp_sock:
                    emit(('@@QMP %s\n' % qmp_hotplug(qmp_sock, int(m.group(1), 0))).encode(), lf, tf)
                if b'@@HOTREMOVE request' in line and qmp_sock:
                    emit(('@@QMPDEL %s\n' % qmp_unplug(qmp_sock, 'hpd1')).encode(), lf, tf)
        if buf:
            emit(buf + b'\n', lf, tf)
        if why is not None:
            msg = ('timeout: QEMU killed after %.0f s' % timeout if why == 124 else
                   'idle: QEMU killed after %.0f s without console output' % idle)
            emit(('@@HARNESS %s\n' % msg).encode(), lf, tf)
            if qmp_sock and state['crashed'] and not state['k2'] and state['ck']:
                emit(('@@HANGLOG %s\n' % post_mortem(qmp_sock, os.path.dirname(log), *state['ck'])).encode(), lf, tf)
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(5)
            except (sp.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            proc.wait()
            return why
        return proc.wait()


def qmp_session(path):
    """A QMP connection past its greeting and capabilities: (socket, cmd), where cmd(name,
    args) sends one command and returns its answer (events in between are skipped)."""
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    f = s.makefile('rwb')

    def cmd(execute, args=None):
        f.write(json.dumps({'execute': execute, 'arguments': args or {}}).encode() + b'\n')
        f.flush()
        while True:
            r = json.loads(f.readline())
            if 'return' in r or 'error' in r:
                return r
    json.loads(f.readline())  # greeting
    cmd('qmp_capabilities')
    return s, cmd


def post_mortem(path, rundir, base, size):
    """A kdump kernel that printed nothing, before QEMU is killed: through QMP, every CPU's
    registers (rundir/hang-registers.txt, NIP and LR named from E2E_SYMBOLS, an unstripped
    vmlinux, when set) and crashkernel's memory, in which kernellog finds the kdump kernel's
    printk records (rundir/hang-log.txt; the image is deleted unless E2E_KEEP_HANG_MEMORY=1).
    Returns one line: what was found."""
    import kernellog
    out = []
    image = os.path.join(rundir, 'hang-crashkernel.bin')
    try:
        s, cmd = qmp_session(path)
        regs = cmd('human-monitor-command', {'command-line': 'info registers -a'}).get('return', '')
        if 'CPU#' not in regs:
            regs = cmd('human-monitor-command', {'command-line': 'info registers'}).get('return', '')
        r = cmd('pmemsave', {'val': base, 'size': size, 'filename': image})
        s.close()
    except (OSError, ValueError) as e:
        return 'error=%s' % str(e).replace(' ', '_')[:80]
    named = []
    syms = symbols()
    for cpu, nip, lr in re.findall(r'CPU#(\d+)\s+NIP ([0-9a-f]+)\s+LR ([0-9a-f]+)', regs):
        named.append('CPU%s NIP %s LR %s' % (cpu, where(int(nip, 16), syms, base), where(int(lr, 16), syms, base)))
    with open(os.path.join(rundir, 'hang-registers.txt'), 'w') as f:
        f.write('\n'.join(named) + '\n\n' + regs)
    out.append('cpus=%d' % len(named))
    if 'error' in r or not os.path.exists(image):
        out.append('pmemsave=%s' % r.get('error', {}).get('desc', 'no file').replace(' ', '_')[:80])
        return ' '.join(out)
    with open(image, 'rb') as f:
        mem = f.read()
    recs = kernellog.records(mem)
    if os.environ.get('E2E_KEEP_HANG_MEMORY') != '1':
        os.unlink(image)
    with open(os.path.join(rundir, 'hang-log.txt'), 'w') as f:
        for rec in recs:
            f.write(rec.line() + '\n')
    out.append('records=%d crashkernel=%#x+%#x' % (len(recs), base, size))
    if named:
        out.append(named[0].replace(' ', '_'))
    return ' '.join(out)


def symbols():
    """Text symbols of E2E_SYMBOLS (an unstripped vmlinux) through nm, or none."""
    import kernellog
    path = os.environ.get('E2E_SYMBOLS')
    nm = shutil.which('powerpc64le-linux-gnu-nm') or shutil.which('nm')
    if not path or not os.path.exists(path) or not nm:
        return []
    r = subprocess.run([nm, '-n', path], capture_output=True, text=True)
    return kernellog.load_symbols(r.stdout)


def where(addr, syms, base):
    """A kdump kernel's address named by symbol: it runs at crashkernel's base, linked at
    0xc000000000000000; in real mode its addresses are physical."""
    import kernellog
    if not syms:
        return '%#x' % addr
    kernel = 0xc000000000000000
    return kernellog.symbolize(addr if addr >= kernel else addr + kernel, syms, base)


def qmp_unplug(path, dev):
    """Over QEMU's QMP socket: ask the guest to give back device dev (device_del; the guest
    finishes the removal on its own). Returns one line: mem=ok, or the error."""
    try:
        s, cmd = qmp_session(path)
        r = cmd('device_del', {'id': dev})
        s.close()
        return 'mem=' + ('ok' if 'error' not in r else r['error'].get('desc', '?').replace(' ', '_')[:80])
    except (OSError, ValueError) as e:
        return 'error=%s' % str(e).replace(' ', '_')[:80]


def qmp_hotplug(path, addr):
    """Over QEMU's QMP socket: a 1 GiB pc-dimm at addr and the first hot-pluggable CPU core.
    Returns one line of results (mem=ok cpu=ok, or the errors)."""
    out = []
    try:
        s, cmd = qmp_session(path)
        r = cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'hpm1', 'size': 1 << 30})
        if 'error' not in r:
            r = cmd('device_add', {'driver': 'pc-dimm', 'id': 'hpd1', 'memdev': 'hpm1', 'addr': addr})
        out.append('mem=' + ('ok' if 'error' not in r else r['error'].get('desc', '?').replace(' ', '_')[:80]))
        cpus = cmd('query-hotpluggable-cpus').get('return', [])
        free = [c for c in cpus if 'qom-path' not in c]
        if free:
            c = sorted(free, key=lambda c: c['props'].get('core-id', 0))[0]
            r = cmd('device_add', dict({'driver': c['type'], 'id': 'hpcpu1'}, **c['props']))
            out.append('cpu=' + ('ok' if 'error' not in r else r['error'].get('desc', '?').replace(' ', '_')[:80]))
        else:
            out.append('cpu=none_free')
        s.close()
    except (OSError, ValueError) as e:
        out.append('error=%s' % str(e).replace(' ', '_')[:80])
    return ' '.join(out)


def kv(s):
    """'a=1 b=x y' -> {'a': '1', 'b': 'x'}; words without '=' are kept under their index."""
    d = {}
    for i, w in enumerate((s or '').split()):
        if '=' in w:
            k, v = w.split('=', 1)
            d[k] = v
        else:
            d[i] = w
    return d


class Console:
    """Parsed console log: markers (with host times) and sections."""

    def __init__(self, rundir):
        self.markers = []      # (time or None, key, rest)
        self.sections = {}     # name -> dict(kind, data(bytes), rc, error)
        self.lines = []
        self.noise = []        # (section, lines left out, first such line) of base64 sections
        times = []
        tpath = os.path.join(rundir, 'console.tlog')
        if os.path.exists(tpath):
            with open(tpath, 'rb') as f:
                for raw in f:
                    t, _, line = raw.partition(b' ')
                    try:
                        times.append(float(t))
                    except ValueError:
                        times.append(None)
                    self.lines.append(line.decode('utf-8', 'replace').rstrip('\r\n').rstrip('\r'))
        else:
            with open(os.path.join(rundir, 'console.log'), 'rb') as f:
                for raw in f:
                    times.append(None)
                    self.lines.append(raw.decode('utf-8', 'replace').rstrip('\r\n').rstrip('\r'))
        cur = None
        for t, line in zip(times, self.lines):
            if cur is not None:
                if line.startswith('@@END ' + cur['name']):
                    cur['rc'] = kv(line[len('@@END ' + cur['name']):]).get('rc')
                    self._close(cur)
                    cur = None
                else:
                    cur['lines'].append(line)
                continue
            i = line.find('@@')
            if i < 0:
                continue
            m = MARK.match(line[i:])
            if not m:
                continue
            key, rest = m.group(1), m.group(2) or ''
            if key in ('BEGIN', 'BEGIN64'):
                cur = {'name': rest.strip(), 'kind': 'b64' if key == 'BEGIN64' else 'txt',
                       'lines': [], 'rc': None}
                continue
            self.markers.append((t, key, rest))
        if cur is not None:
            cur['rc'] = None
            cur['error'] = 'section not terminated (console cut off?)'
            self._close(cur)

    def _close(self, cur):
        name = cur['name']
        err = cur.get('error')
        if cur['kind'] == 'b64':
            # Firmware may print into the console while a section streams (skiboot's
            # "SBE: Timer stuck" on powernv9): such lines are not base64 and are left out;
            # the decode (and the length checks on the result) still catch a real loss.
            # A message may also land in the middle of a line: the base64 before it is kept
            # (the rest of that line follows on the next one).
            body, noise = [], []
            for l in (x.strip() for x in cur['lines']):
                if B64_LINE.match(l):
                    body.append(l)
                    continue
                noise.append(l)
                m = FW_MESSAGE.search(l)
                if m and B64_LINE.match(l[:m.start()]):
                    body.append(l[:m.start()])
            try:
                data = base64.b64decode(''.join(body), validate=True)
            except Exception as e:  # noqa: BLE001
                data, err = b'', 'base64 decode failed: %s' % e
            if noise:
                self.noise.append((name, len(noise), noise[0][:80]))
        else:
            data = ('\n'.join(cur['lines']) + ('\n' if cur['lines'] else '')).encode()
        self.sections[name] = {'kind': cur['kind'], 'data': data, 'rc': cur['rc'], 'error': err}

    def marker(self, key, pred=None):
        for t, k, rest in self.markers:
            if k == key and (pred is None or pred(rest)):
                return t, kv(rest), rest
        return None

    def sec(self, name):
        s = self.sections.get(name)
        return s['data'] if s and not s['error'] else None


# ---------------------------------------------------------------- ELF helpers
def elf_phdrs(buf):
    """Program headers of a 64-bit little-endian ELF image in buf (may be truncated)."""
    if len(buf) < 64 or buf[:4] != b'\x7fELF' or buf[4] != 2 or buf[5] != 1:
        return None, None
    e_type, = struct.unpack_from('<H', buf, 16)
    e_phoff, = struct.unpack_from('<Q', buf, 32)
    e_phentsize, e_phnum = struct.unpack_from('<HH', buf, 54)
    out = []
    for i in range(e_phnum):
        o = e_phoff + i * e_phentsize
        if o + 56 > len(buf):
            break
        p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align = \
            struct.unpack_from('<IIQQQQQQ', buf, o)
        out.append(dict(type=p_type, offset=p_offset, vaddr=p_vaddr, paddr=p_paddr,
                        filesz=p_filesz, memsz=p_memsz))
    return {'type': e_type, 'phoff': e_phoff, 'phentsize': e_phentsize, 'phnum': e_phnum}, out


def union(ranges):
    out = []
    for a, b in sorted(r for r in ranges if r[1] > r[0]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [tuple(r) for r in out]


def subtract(ranges, cut):
    out = []
    for a, b in ranges:
        ca, cb = cut
        if cb <= a or ca >= b:
            out.append((a, b))
            continue
        if a < ca:
            out.append((a, ca))
        if cb < b:
            out.append((cb, b))
    return out


def fmt_ranges(rs):
    return ', '.join('%#x-%#x' % (a, b - 1) for a, b in rs) or '(none)'


def system_ram(iomem):
    rs = []
    for line in iomem.splitlines():
        if line.startswith(' '):
            continue  # only top-level resources
        m = re.match(r'([0-9a-f]+)-([0-9a-f]+) : System RAM', line.strip())
        if m:
            rs.append((int(m.group(1), 16), int(m.group(2), 16) + 1))
    return union(rs)


def dt_props(tgz):
    """{path: bytes} of the properties in a tar.gz of /proc/device-tree."""
    out = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tgz), mode='r:gz') as t:
            for m in t.getmembers():
                if m.isfile():
                    out[m.name.lstrip('./')] = t.extractfile(m).read()
    except (tarfile.TarError, OSError, EOFError):
        return None
    return out


def fdt_parse(b):
    """{node path: {property: bytes}} of a flattened device tree blob."""
    if not b or len(b) < 40 or b[:4] != b'\xd0\x0d\xfe\xed':
        return None
    _, total, off_struct, off_strings, _, _, _, _, size_strings, size_struct = \
        struct.unpack_from('>10I', b, 0)
    strings = b[off_strings:off_strings + size_strings]
    nodes, stack, p = {}, [], off_struct
    end = off_struct + size_struct if size_struct else total
    while p < end:
        tok, = struct.unpack_from('>I', b, p)
        p += 4
        if tok == 1:      # FDT_BEGIN_NODE
            e = b.index(b'\0', p)
            name = b[p:e].decode('ascii', 'replace')
            p = (e + 4) & ~3
            stack.append(name)
            nodes.setdefault('/' + '/'.join(x for x in stack if x), {})
        elif tok == 2:    # FDT_END_NODE
            stack.pop()
        elif tok == 3:    # FDT_PROP
            ln, nameoff = struct.unpack_from('>II', b, p)
            p += 8
            pname = strings[nameoff:strings.index(b'\0', nameoff)].decode('ascii', 'replace')
            nodes['/' + '/'.join(x for x in stack if x)][pname] = b[p:p + ln]
            p = (p + ln + 3) & ~3
        elif tok == 4:    # FDT_NOP
            continue
        elif tok == 9:    # FDT_END
            break
        else:
            return None
    return nodes


def be(b):
    return int.from_bytes(b, 'big') if b else None


def firmware_regions(dt):
    """Firmware memory a ppc64 loader keeps in the dump although it lies in the
    crash kernel region: RTAS (pseries) and OPAL (powernv)."""
    rs = []
    if dt:
        base, size = be(dt.get('rtas/linux,rtas-base')), be(dt.get('rtas/rtas-size'))
        if base is not None and size:
            rs.append(('rtas', base, base + size))
        base, size = be(dt.get('ibm,opal/opal-base-address')), be(dt.get('ibm,opal/opal-runtime-size'))
        if base is not None and size:
            rs.append(('opal', base, base + size))
    return rs


def diffcount(a, b):
    n = min(len(a), len(b))
    return sum(1 for i in range(n) if a[i] != b[i]) + abs(len(a) - len(b))



def fdt_nop_property(b, name):
    """libfdt's fdt_nop_property on every property called name (in place)."""
    if len(b) < 40 or b[:4] != b'\xd0\x0d\xfe\xed':
        return
    off, strs = struct.unpack_from('>I', b, 8)[0], struct.unpack_from('>I', b, 12)[0]
    while off + 4 <= len(b):
        tag = struct.unpack_from('>I', b, off)[0]
        if tag == 1:
            e = b.index(b'\0', off + 4)
            off = (e + 1 + 3) & ~3
        elif tag == 3:
            ln, no = struct.unpack_from('>II', b, off + 4)
            end = off + 12 + ((ln + 3) & ~3)
            n = b[strs + no:b.index(b'\0', strs + no)]
            if n == name:
                for i in range(off, end, 4):
                    struct.pack_into('>I', b, i, 4)
            off = end
        elif tag in (2, 4):
            off += 4
        else:
            return


def jkexec_verify(c, outdir, meta, add):
    """Runs `jkexec verify` on the host over what the kdump kernel received (its FDT, the
    start of /proc/vmcore, its command line, the raw core header read through /proc/kcore)
    against the first kernel's capture and the plan made there: the verifier of issue 4
    checked on a real kdump, and the loader checked by the verifier."""
    jar = os.environ.get('JKEXEC_JAR_HOST') or meta.get('jkexec_jar')
    fdt2, vm, cmd = c.sec('k2-fdt.bin'), c.sec('k2-vmcorehdr.bin'), c.sec('k2-cmdline.txt')
    if not jar or not os.path.exists(jar) or not shutil.which('java') or not (fdt2 and vm and cmd):
        return
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
    ech = c.sec('k2-elfcorehdr.bin')
    if ech:
        p = os.path.join(outdir, 'k2-elfcorehdr.bin')
        args += ['--elfcorehdr', p]
    cap = c.sec('k1-jkexec-capture.tgz')
    if cap:
        capdir = os.path.join(outdir, 'k1-capture')
        shutil.rmtree(capdir, ignore_errors=True)
        os.makedirs(capdir)
        tgz = os.path.join(outdir, 'k1-jkexec-capture.tgz')
        subprocess.run(['tar', 'xzf', tgz, '-C', capdir], check=False)
        args += ['--capture', os.path.join(capdir, 'capture')]
    plan = c.sec('k1-plan-plan.json')
    if plan:
        args += ['--plan', os.path.join(outdir, 'k1-plan-plan.json')]
        try:
            pv = json.loads(plan).get('vmcore', {})
            if size and size[2].strip().isdigit() and 'size' in pv:
                real = int(size[2].strip())
                ok = real == pv['size'] if pv.get('exact') else real <= pv['size']
                add('plan-vmcore-size', ok, '/proc/vmcore is %d bytes; the plan predicted %s%d' % (
                    real, '' if pv.get('exact') else 'at most ', pv['size']))
        except ValueError:
            add('plan-vmcore-size', False, 'plan.json does not parse')
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
        add('jkexec-verify', r.returncode == 0 and not failed,
            'jkexec verify on the host (capture%s): %s%s' % (' + plan' if plan else '', detail,
                                                           ('; failed: ' + ', '.join(failed)) if failed else ''))
    except ValueError:
        add('jkexec-verify', False, 'jkexec verify rc=%d: %s' % (r.returncode, (r.stderr or r.stdout).strip()[:300]))

def subtract_all(ranges, cuts):
    """What of ranges [a, b) no range of cuts covers."""
    rest = list(ranges)
    for cut in cuts:
        rest = subtract(rest, cut)
    return rest


def count_prstatus(hdr):
    """NT_PRSTATUS notes in /proc/vmcore's merged PT_NOTE (which follows the headers; None when
    it lies beyond the bytes read)."""
    eh, ph = elf_phdrs(hdr)
    if not eh:
        return None
    notes = [p for p in ph if p['type'] == 4]
    if not notes or notes[0]['offset'] + notes[0]['filesz'] > len(hdr):
        return None
    off, end, n = notes[0]['offset'], notes[0]['offset'] + notes[0]['filesz'], 0
    while off + 12 <= end:
        namesz, descsz, typ = struct.unpack_from('<III', hdr, off)
        if namesz == 0 and descsz == 0:
            break
        n += typ == 1
        off += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)
    return n


def fdt_prop(b, path, name):
    """Value of property name of node path ('/chosen') in an FDT blob, or None."""
    t = fdt_parse(b)
    return (t or {}).get(path, {}).get(name)


def fdt_blocks_end(b):
    """End of the strings block: beyond it a kernel's FDT buffer holds whatever its allocation held."""
    off_strings, = struct.unpack_from('>I', b, 12)
    size_strings, = struct.unpack_from('>I', b, 32)
    return off_strings + size_strings


def plan_equals_kernel(c, outdir, meta, add):
    """Builds a machine capture from the first kernel's printed facts (scripts/make-reference-capture,
    as for the reference runs), plans the same kdump load on the host with the seed the kdump
    kernel's FDT shows, and compares the plan with what the kdump kernel received: the FDT (after
    the purgatory's boot_cpuid_phys edit and the kdump kernel's rng-seed NOPs, up to the end of the
    strings block), the ELF core header (ehdr and phdrs, from memory at elfcorehdr=) and the
    command line. On kexec_file_load the kernel planned the load: this is the reference
    comparison of the unit tests, run on a live kernel."""
    jar = os.environ.get('JKEXEC_JAR_HOST') or meta.get('jkexec_jar')
    fdt2, ech, cmd2 = c.sec('k2-fdt.bin'), c.sec('k2-elfcorehdr.bin'), c.sec('k2-cmdline.txt')
    lc = c.sec('load-command.txt')
    vmlinux, initrd = meta.get('vmlinux'), meta.get('initrd')
    missing = [n for n, v in (('k2-fdt.bin', fdt2), ('k2-elfcorehdr.bin', ech), ('k2-cmdline.txt', cmd2),
                              ('load-command.txt', lc)) if not v]
    if not jar or not os.path.exists(jar) or not shutil.which('java'):
        add('plan-equals-kernel', False, 'no jkexec.jar or java on the host', 'SKIP')
        return
    if missing or not vmlinux or not initrd or not os.path.exists(vmlinux) or not os.path.exists(initrd):
        add('plan-equals-kernel', False, 'missing: %s' % ', '.join(missing or ['vmlinux/initrd of the run']))
        return
    m = re.search(r'--(?:append|command-line)[= ]"([^"]*)"', lc.decode())
    append = m.group(1) if m else ''
    t1 = c.marker('TOKEN1')
    page = t1[1].get('pagesize', '') if t1 else ''
    if not page.isdigit():
        add('plan-equals-kernel', False, 'no page size in @@TOKEN1')
        return
    ref = os.path.join(outdir, 'k1-ref')
    shutil.rmtree(ref, ignore_errors=True)
    os.makedirs(ref)
    for n in ('k1-devicetree.tgz', 'k1-fdt.bin', 'k1-cmdline.txt', 'k1-iomem.txt', 'k1-crashsize.txt',
              'k1-vmcoreinfo.txt', 'k1-crashnotes.txt', 'load-command.txt'):
        shutil.copy(os.path.join(outdir, n), ref)
    cap = os.path.join(outdir, 'host-capture')
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    r = subprocess.run(['bash', os.path.join(repo, 'scripts', 'make-reference-capture'), ref, cap, page],
                       env=dict(os.environ, STUBS='0'), capture_output=True, text=True)
    if r.returncode != 0:
        add('plan-equals-kernel', False, 'make-reference-capture: %s' % (r.stderr.strip()[-300:]))
        return
    cpuinfo = (c.sec('k1-cpuinfo.txt') or b'').decode()
    mmu = 'hash' if re.search(r'^MMU\s*:\s*Hash', cpuinfo, re.M) else 'radix'
    with open(os.path.join(cap, 'jkexec', 'facts'), 'w') as f:
        f.write('# from the e2e run\npage-size=%s\nmmu=%s\n' % (page, mmu))
    kaslr = fdt_prop(fdt2, '/chosen', 'kaslr-seed')
    seed = kaslr.hex() if kaslr and len(kaslr) == 8 else 'none'
    plandir = os.path.join(outdir, 'host-plan')
    shutil.rmtree(plandir, ignore_errors=True)
    args = ['java', '-jar', jar, 'plan', cap, '--kernel', vmlinux, '--initrd', initrd, '--append', append,
            '--seed', seed, '--json', '--out', plandir]
    r = subprocess.run(args, capture_output=True, text=True)
    with open(os.path.join(outdir, 'host-plan.json'), 'w') as f:
        f.write(r.stdout)
    with open(os.path.join(outdir, 'host-plan-command.txt'), 'w') as f:
        f.write(' '.join(shlex.quote(a) for a in args) + '\n' + r.stderr)
    if r.returncode != 0:
        add('plan-equals-kernel', False, 'jkexec plan rc=%d: %s' % (r.returncode, (r.stderr or r.stdout).strip()[-300:]))
        return
    parts = []
    ok = True
    # FDT: the two edits made after the load, then header, reserve map, structure and strings
    with open(os.path.join(plandir, 'kdump.dtb'), 'rb') as f:
        ours = bytearray(f.read())
    ours[28:32] = fdt2[28:32]
    fdt_nop_property(ours, b'rng-seed')
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
    n1 = eo['phoff'] + eo['phnum'] * eo['phentsize'] if eo else len(oh)
    n2 = ek['phoff'] + ek['phnum'] * ek['phentsize'] if ek else 0
    d = diffcount(oh[:n1], ech[:n2])
    ok &= d == 0
    parts.append('elfcorehdr %d of %d bytes differ (%s vs kernel %s phdrs)' % (
        d, max(n1, n2), eo['phnum'] if eo else '?', ek['phnum'] if ek else '?'))
    # command line
    try:
        planned = json.loads(r.stdout).get('cmdline', '')
    except ValueError:
        planned = ''
    got = cmd2.decode().strip()
    same = planned.strip() == got
    ok &= same
    parts.append('command line %s' % ('equal' if same else 'differs: plan %r, kernel %r' % (planned, got)))
    add('plan-equals-kernel', ok, 'host plan (seed %s) vs what the kdump kernel received: %s'
        % (seed, '; '.join(parts)))


# ---------------------------------------------------------------- checks
def cmd_check(rundir):
    meta = {}
    mpath = os.path.join(rundir, 'meta.json')
    if os.path.exists(mpath):
        with open(mpath) as f:
            meta = json.load(f)
    c = Console(rundir)
    outdir = os.path.join(rundir, 'out')
    os.makedirs(outdir, exist_ok=True)
    for name, s in c.sections.items():
        safe = re.sub(r'[^A-Za-z0-9._-]', '_', name)
        with open(os.path.join(outdir, safe), 'wb') as f:
            f.write(s['data'])

    # Human-readable device trees when dtc is there.
    for n in ('k1-fdt.bin', 'k2-fdt.bin'):
        src = os.path.join(outdir, n)
        if os.path.exists(src) and os.path.getsize(src) > 0 and shutil.which('dtc'):
            subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', '-o', src[:-4] + '.dts', src],
                           stderr=subprocess.DEVNULL, check=False)

    checks = []   # (name, status PASS/FAIL/SKIP/INFO, detail)

    def add(name, ok, detail, status=None):
        checks.append((name, status or ('PASS' if ok else 'FAIL'), detail))

    mode = meta.get('mode', 'kdump')
    timings = {}
    qrc = meta.get('qemu_rc')
    k1 = c.marker('K1')
    add('k1-boot', k1 is not None,
        'first kernel ran /init at host %.1fs (guest uptime %s)' % (k1[0] or 0, k1[1].get('uptime'))
        if k1 else 'no @@K1 marker: first kernel or /init did not come up (see console.log)')
    if k1:
        timings['boot_s'] = k1[0]

    if k1 is None:
        done = c.marker('DONE')
        add('poweroff', done is not None and qrc == 0, 'qemu exit status %s%s; last console line: %r'
            % (qrc, ' (timeout %ss)' % meta.get('timeout') if qrc == 124 else
               ' (no console output for %ss)' % meta.get('idle') if qrc == 125 else '',
               last_line(c)[:120]))
        return finish(rundir, meta, checks, timings)

    if mode == 'kexec':
        kexec_checks(c, add, timings)

    if mode == 'java-version':
        runs = [m for m in c.markers if m[1] == 'JAVAVERSION']
        for t, k, rest in runs:
            d = kv(rest)
            add('java-version-%s' % d.get('run', '?'), d.get('rc') == '0',
                'java -version rc=%s in %s s (guest wall time)' % (d.get('rc'), d.get('seconds')))
            timings['java_version_%s_s' % d.get('run', '?')] = float(d.get('seconds', 'nan'))
        if not runs:
            add('java-version', False, 'no @@JAVAVERSION marker')
        ver = c.sec('k1-java-version-1.txt')
        if ver:
            add('java-version-text', True, ver.decode().strip().splitlines()[0], 'INFO')
        jh = c.marker('JKEXECHELP')
        if jh:
            add('jkexec-help', jh[1].get('rc') == '0', 'jkexec --help rc=%s in %s s'
                % (jh[1].get('rc'), jh[1].get('seconds')), 'INFO')
        done = c.marker('DONE')
        add('poweroff', done is not None and qrc == 0,
            'guest powered off cleanly' if done is not None and qrc == 0
            else 'qemu exit status %s%s' % (qrc, ' (timeout)' if qrc == 124 else ''))
        return finish(rundir, meta, checks, timings)

    # ---- does the machine look as intended (the point of each machine)?
    fdt1 = fdt_parse(c.sec('k1-fdt.bin'))
    fdt2 = fdt_parse(c.sec('k2-fdt.bin'))
    machine = meta.get('machine', '')
    if fdt1 is not None:
        memnodes = sorted(n for n in fdt1 if re.match(r'^/memory(@|$)', n))
        drmem = fdt1.get('/ibm,dynamic-reconfiguration-memory', {})
        nodes = (c.sec('k1-nodes.txt') or b'').decode().split()
        cpus = (c.sec('k1-cpus.txt') or b'').decode().split('\n')[0]
        shape = '%d memory node(s) %s, %s, NUMA nodes %d, %s%s' % (
            len(memnodes), ' '.join(memnodes), 'drmem ' + ('v2' if 'ibm,dynamic-memory-v2' in drmem else
                                                           'v1' if 'ibm,dynamic-memory' in drmem else 'absent'),
            len(nodes), cpus, ', OPAL' if '/ibm,opal' in fdt1 else '')
        cpuinfo = (c.sec('k1-cpuinfo.txt') or b'').decode()
        hash_mmu = bool(re.search(r'^MMU\s*:\s*Hash', cpuinfo, re.M))
        ncpu = len([n for n in fdt1 if re.match(r'^/cpus/[^/]*@', n)])
        shape += ', MMU %s, %d CPU nodes' % ('hash' if hash_mmu else 'radix' if cpuinfo else '?', ncpu)
        want = {'pseries-numa': len(nodes) >= 2 and len(memnodes) >= 2,
                'pseries-hotplug': 'ibm,dynamic-memory-v2' in drmem,
                'powernv9': '/ibm,opal' in fdt1,
                'powernv8': '/ibm,opal' in fdt1 and hash_mmu,
                'pseries-power8': hash_mmu,
                'pseries-power10': bool(re.search(r'POWER10', cpuinfo)),
                'pseries-8cpu': ncpu >= 8,
                'pseries-16g': 'ibm,dynamic-memory-v2' in drmem}.get(machine)
        add('machine-shape', bool(want), shape, None if want is not None else 'INFO')
    if fdt1 is not None and fdt2 is not None:
        p1 = {(n, k): v for n, ps in fdt1.items() for k, v in ps.items()}
        p2 = {(n, k): v for n, ps in fdt2.items() for k, v in ps.items()}
        added = sorted(set(p2) - set(p1))
        removed = sorted(set(p1) - set(p2))
        changed = sorted(k for k in set(p1) & set(p2) if p1[k] != p2[k])

        def names(ks):
            return ', '.join('%s:%s' % k for k in ks[:8]) + (' ...' if len(ks) > 8 else '')
        checks.append(('kdump-fdt', 'INFO', 'vs first kernel\'s FDT: added [%s]; removed [%s]; changed [%s]'
                       % (names(added), names(removed), names(changed))))

    # ---- load
    load = c.marker('LOAD', lambda r: 'rc=' in r)
    loaded = c.marker('LOADED')
    jv = c.marker('JAVAVERSION')
    if jv:
        timings['java_version_s'] = float(jv[1].get('seconds', 'nan'))
        add('java-version', jv[1].get('rc') == '0', 'java -version rc=%s in %s s'
            % (jv[1].get('rc'), jv[1].get('seconds')))
    plan = c.marker('PLAN')
    if plan:
        add('jkexec-plan', plan[1].get('rc') == '0', 'jkexec plan rc=%s in %s s'
            % (plan[1].get('rc'), plan[1].get('seconds')))
    dry = c.marker('DRYRUN')
    if dry:
        add('jkexec-dry-run', dry[1].get('rc') == '0', 'jkexec load -p --dry-run (plan and every check, '
            'CDS training run) rc=%s in %s s' % (dry[1].get('rc'), dry[1].get('seconds')))
    if load:
        d = load[1]
        out = c.sec('k1-jkexec-load.txt')
        m = re.search(rb'\((\d+ ms: [^)]*)\)', out or b'')
        if m:
            checks.append(('load-phases', 'INFO', 'inside jkexec (after JVM start): ' + m.group(1).decode()))
        try:
            timings['load_s'] = float(d.get('seconds'))
        except (TypeError, ValueError):
            pass
        pair = c.marker('PAIR')
        if pair and 'load_s' in timings:
            try:
                kt = float(pair[1].get('seconds'))
                timings['pair_kexec_tools_load_s'] = kt
                checks.append(('load-ratio', 'INFO', 'jkexec load %.2f s, kexec-tools load %.2f s (rc=%s) in the '
                               'same boot: %.1fx' % (timings['load_s'], kt, pair[1].get('rc'),
                                                     timings['load_s'] / kt if kt > 0 else float('nan'))))
            except (TypeError, ValueError):
                pass
        ok = d.get('rc') == '0' and loaded is not None and loaded[1].get('kexec_crash_loaded') == '1'
        add('load', ok, '%s load rc=%s in %s s (guest wall time), kexec_crash_loaded=%s%s'
            % (meta.get('loader', '?'), d.get('rc'), d.get('seconds'),
               loaded[1].get('kexec_crash_loaded') if loaded else '?',
               ('; ' + load[2]) if 'error=' in load[2] else ''))
        if not ok:
            for n in ('k1-kexecdebug.txt', 'k1-jkexec-load.txt'):
                s = c.sec(n)
                if s:
                    tail = s.decode(errors='replace').strip().splitlines()[-3:]
                    checks.append(('load-output', 'INFO', ' | '.join(tail)))
    else:
        add('load', False, 'no @@LOAD result marker')

    reload = c.marker('RELOAD')
    if reload:
        out = (c.sec('k1-jkexec-reload.txt') or b'').decode(errors='replace').strip().splitlines()
        add('refused-reload', reload[1].get('rc') == '1' and reload[1].get('kexec_crash_loaded') == '1',
            'jkexec load -p %s: rc=%s, kexec_crash_loaded=%s after it; %s'
            % (reload[1].get('args', '').replace(',', ' '), reload[1].get('rc'), reload[1].get('kexec_crash_loaded'),
               out[-1][:200] if out else 'no output'))

    # ---- crash -> kdump kernel
    crash = c.marker('CRASHING')
    k2 = c.marker('K2')
    if crash is None:
        add('kdump-boot', False, 'not reached: the first kernel never triggered the crash', 'SKIP')
    elif k2 is not None:
        add('kdump-boot', True, 'kdump kernel ran /init %.1f s after the crash was triggered'
            % ((k2[0] or 0) - (crash[0] or 0)))
    else:
        add('kdump-boot', False, 'no @@K2 marker: the kdump kernel did not reach /init%s'
            % (' (QEMU timed out)' if qrc == 124 else
               ' (QEMU killed: no console output for %ss)' % meta.get('idle') if qrc == 125 else ''))
    if k2 and crash and k2[0] is not None and crash[0] is not None:
        timings['crash_to_kdump_s'] = k2[0] - crash[0]
    if not k2 and crash is not None:
        # only kexec-tools' purgatory prints; jkexec's is silent by design
        purg = ''
        if meta.get('loader') == 'kexec-tools':
            purg = 'purgatory %s; ' % ('was reached' if any("I'm in purgatory" in l for l in c.lines)
                                       else 'never printed')
        checks.append(('kdump-diagnosis', 'INFO', '%slast console line: %r' % (purg, last_line(c)[:120])))
        hang = hang_report(rundir, c)
        if hang:
            checks.append(('kdump-log', 'INFO', hang))

    # ---- vmcore
    hdr = c.sec('k2-vmcorehdr.bin')
    vsz = c.marker('VMCORESIZE')
    vmcore_size = int(vsz[2].split()[0]) if vsz and vsz[2].split() and vsz[2].split()[0].isdigit() else None
    if k2:
        add('vmcore', vmcore_size is not None and vmcore_size > 0 and hdr is not None and hdr[:4] == b'\x7fELF',
            '/proc/vmcore size %s bytes, header %s' % (vmcore_size, 'ELF' if hdr and hdr[:4] == b'\x7fELF' else 'missing/not ELF'))
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
        # Expected coverage: the first kernel's System RAM minus the crash
        # kernel region, plus the firmware regions (RTAS/OPAL) inside it,
        # rounded out to 64 KiB pages as a loader would.
        iomem = c.sec('k1-iomem.txt')
        if meta.get('hotplug') and meta.get('hotplug_expect', 'present') == 'present' and c.sec('k1-hotplug-iomem.txt'):
            iomem = c.sec('k1-hotplug-iomem.txt')  # the memory at the crash, hot-added DIMM included
        if meta.get('hotplug_expect') == 'removed' and c.sec('k1-hotremove-iomem.txt'):
            iomem = c.sec('k1-hotremove-iomem.txt')  # the memory at the crash: the DIMM gone again
        dt = dt_props(c.sec('k1-devicetree.tgz') or b'')
        cb = be(dt.get('chosen/linux,crashkernel-base')) if dt else None
        cs = be(dt.get('chosen/linux,crashkernel-size')) if dt else None
        ckdt = c.sec('k1-crashkernel-dt.txt')
        if (cb is None or cs is None) and ckdt:
            m = kv(ckdt.decode())
            try:
                cb, cs = int(m['base'], 16), int(m['size'], 16)
            except (KeyError, ValueError):
                pass
        if iomem and cb is not None and cs:
            ram = system_ram(iomem.decode())
            exp = subtract(ram, (cb, cb + cs))
            # firmware regions inside crashkernel: the kernel (and jkexec) export them
            # exactly, kexec-tools rounds them out to 64 KiB pages; either is a full dump
            # kexec-tools rounds to its page size: 64 KiB on Debian's kernels, 4 KiB on the 4 KiB builds
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
            add('vmcore-coverage', which is not None,
                'PT_LOADs cover %s; expected (System RAM minus crashkernel %#x-%#x%s, firmware exact or '
                'rounded to 64 KiB) %s%s'
                % (fmt_ranges(dump_ranges), cb, cb + cs - 1,
                   (', plus ' + ', '.join(fw)) if fw else '', fmt_ranges(union(exact)),
                   ('; matched ' + which) if which else ''))
        else:
            add('vmcore-coverage', False, 'cannot compute: k1 iomem or crashkernel base/size missing')
        if vmcore_size is not None:
            expected = hdr_len + summ
            # the file ends where the last PT_LOAD's data ends (each load occupies its
            # page-rounded span, so a sub-page RTAS load still takes a whole page)
            add('vmcore-size', vmcore_size in (expected, hdr_len + covered, end),
                'size %d; headers %#x + sum(PT_LOAD memsz) %#x = %d; headers + RAM covered %#x = %d; '
                'last PT_LOAD ends at %#x; %d PT_LOAD, %d PT_NOTE'
                % (vmcore_size, hdr_len, summ, expected, covered, hdr_len + covered, end, len(pl), len(notes)))
            timings['vmcore_bytes'] = vmcore_size
    elif k2:
        add('vmcore-header', False, 'k2-vmcorehdr.bin missing or not an ELF64 LE header')

    # ---- the dump shows the crashed kernel's memory
    t1 = c.marker('TOKEN1')
    t2 = c.marker('TOKEN2')
    if k2:
        if t2:
            add('dump-token', t2[1].get('result') == 'match',
                'token planted at %s by the first kernel (%s) read back from /proc/vmcore: %s'
                % (t2[1].get('pa'), 'kcore=' + t1[1].get('kcore', '?') if t1 else 'no TOKEN1', t2[2]))
        else:
            add('dump-token', False, 'no @@TOKEN2 marker')
    k1low, old, own = c.sec('k1-lowmem.bin'), c.sec('k2-oldlowmem.bin'), c.sec('k2-ownlowmem.bin')
    if k2:
        if old is None or len(old) != 65536:
            add('backup-region', False, 'could not read physical 0..64K from /proc/vmcore')
        elif k1low is None or len(k1low) != 65536:
            detail = 'first kernel could not read its low memory; '
            if own and len(own) == 65536:
                d = diffcount(old, own)
                add('backup-region', d > 0, detail + 'dump vs kdump kernel\'s own 0..64K: %d bytes differ' % d)
            else:
                add('backup-region', True, detail + 'nothing to compare', 'SKIP')
        else:
            d_k1 = diffcount(old, k1low)
            d_own = diffcount(own, k1low) if own and len(own) == 65536 else None
            d_old_own = diffcount(old, own) if own and len(own) == 65536 else None
            ok = d_k1 < 4096 and (d_own is None or d_k1 < d_own)
            add('backup-region', ok,
                'physical 0..64K in the dump vs the crashed kernel\'s (read before the crash): %d bytes differ; '
                'kdump kernel\'s own 0..64K vs crashed kernel\'s: %s; dump vs kdump kernel\'s own: %s'
                % (d_k1, d_own, d_old_own))

    # ---- crash hotplug: memory and a CPU added after the load, no reload
    hp = c.marker('HOTPLUG', lambda r: r.startswith('done'))
    if meta.get('hotplug'):
        q = c.marker('QMP')
        hd = hp[1] if hp else {}
        grew = bool(hp and re.search(r'blocks=(\d+)->(\d+)', hp[2]) and re.search(r'cpus=(\d+)->(\d+)', hp[2]))
        if grew:
            b = re.search(r'blocks=(\d+)->(\d+)', hp[2])
            cc = re.search(r'cpus=(\d+)->(\d+)', hp[2])
            grew = int(b.group(2)) > int(b.group(1)) and int(cc.group(2)) > int(cc.group(1))
        add('hotplug', bool(q and 'mem=ok' in q[2] and 'cpu=ok' in q[2] and grew),
            'QMP: %s; guest: %s' % (q[2] if q else 'no @@QMP line', hp[2] if hp else 'no @@HOTPLUG done'))
        if meta.get('hotplug_expect') == 'removed':
            qd = c.marker('QMPDEL')
            hr = c.marker('HOTREMOVE', lambda r: r.startswith('done'))
            m = re.search(r'blocks=(\d+)->(\d+)', hr[2]) if hr else None
            shrank = bool(m and int(m.group(2)) < int(m.group(1)))
            add('hotremove', bool(qd and 'mem=ok' in qd[2] and shrank),
                'QMP device_del: %s; guest: %s' % (qd[2] if qd else 'no @@QMPDEL line',
                                                   hr[2] if hr else 'no @@HOTREMOVE done'))
        if k2:
            t = c.marker('HPTOKEN2')
            expect = meta.get('hotplug_expect', 'present')
            found = bool(t and t[1].get('result') == 'match')
            base = int(meta['hotplug'], 0)
            dimm = (base, base + (1 << 30))
            covered = bool(eh) and not subtract_all([dimm], dump_ranges)
            written = hd.get('token') == 'written'
            # with STRICT_DEVMEM (Debian's kernels) the first kernel cannot write the DIMM: then
            # only the PT_LOADs say whether the dump covers it
            present = covered and (found or not written)
            add('hotplug-memory-in-dump', present == (expect == 'present') and (expect == 'present' or not found),
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
            f2 = fdt_parse(c.sec('k2-fdt.bin'))
            threads = 0
            for n, ps in (f2 or {}).items():
                if re.match(r'^/cpus/[^/]*@', n) and 'ibm,ppc-interrupt-server#s' in ps:
                    threads += len(ps['ibm,ppc-interrupt-server#s']) // 4
            ok = cpus_after is not None and (expect == 'missing' or (nprs == cpus_after and threads >= cpus_after))
            add('hotplug-cpu-in-dump', ok, 'CPUs online at the crash %s; NT_PRSTATUS notes in /proc/vmcore %s; '
                'CPU threads in the kdump kernel\'s FDT %d' % (cpus_after, nprs, threads))

    # ---- makedumpfile
    dump = c.marker('DUMP', lambda r: 'rc=' in r)
    if k2:
        if dump:
            d = dump[1]
            try:
                timings['makedumpfile_s'] = float(d.get('seconds'))
                timings['makedumpfile_bytes'] = int(d.get('size'))
            except (TypeError, ValueError):
                pass
            ok = d.get('rc') == '0' and d.get('size', '0') != '0'
            # Debian 12's makedumpfile (1.7.2) predates Linux 6.12 and says so: on the newer
            # kernels its failure is the tool's, not the dump's (the other checks read the dump)
            unsupported = (not ok and meta.get('kernel_choice', 'debian12') != 'debian12'
                           and b'kernel version is not supported' in (c.sec('k2-makedumpfile.txt') or b''))
            add('makedumpfile', ok,
                'makedumpfile %s rc=%s, output %s bytes, %s s%s'
                % (meta.get('makedumpfile_opts', ''), d.get('rc'), d.get('size'), d.get('seconds'),
                   '; Debian 12\'s makedumpfile does not support this kernel ("The kernel version is not '
                   'supported"), not counted' if unsupported else ''), 'INFO' if unsupported else None)
        else:
            add('makedumpfile', False, 'no @@DUMP result marker')

    # ---- jkexec plan vs what the kdump kernel received
    file_load = meta.get('syscall') == 'kexec_file_load'
    fdt2 = c.sec('k2-fdt.bin')
    ech = c.sec('k2-elfcorehdr.bin')
    for name, s in sorted(c.sections.items()):
        if not name.startswith('k1-plan-') or s['error']:
            continue
        b = s['data']
        if b[:4] == b'\xd0\x0d\xfe\xed' and fdt2:
            # the two edits made after the load: the purgatory writes the crashing CPU into
            # boot_cpuid_phys, the kdump kernel turns rng-seed into FDT_NOPs
            b = bytearray(b)
            if len(fdt2) >= 32:
                b[28:32] = fdt2[28:32]
            fdt_nop_property(b, b'rng-seed')
            b = bytes(b)
            tot = struct.unpack_from('>I', b, 4)[0]
            tot2 = struct.unpack_from('>I', fdt2, 4)[0] if len(fdt2) >= 8 else -1
            same = b[:tot] == fdt2[:tot2]
            add('plan-fdt', same,
                '%s (%d bytes, boot CPU and rng-seed NOPs as the kdump kernel leaves them) vs FDT the '
                'kdump kernel got (%d bytes): %d bytes differ%s' % (name, tot, tot2, diffcount(b[:tot], fdt2[:tot2]),
                                                            file_load and '; kexec_file_load: the kernel drew '
                                                            'its own seeds, see plan-equals-kernel' or ''),
                'INFO' if file_load and not same else None)
        elif b[:4] == b'\x7fELF' and ech:
            e, _ = elf_phdrs(b)
            n = e['phoff'] + e['phnum'] * e['phentsize'] if e else len(b)
            add('plan-elfcorehdr', b[:n] == ech[:n],
                '%s vs elfcorehdr in the kdump kernel\'s memory: %d of %d bytes differ'
                % (name, diffcount(b[:n], ech[:n]), n))
    jkexec_verify(c, outdir, meta, add)
    if k2 and (file_load or meta.get('loader') == 'jkexec'):
        plan_equals_kernel(c, outdir, meta, add)
    if ech:
        e, _ = elf_phdrs(ech)
        if e:
            n = e['phoff'] + e['phnum'] * e['phentsize']
            with open(os.path.join(outdir, 'k2-elfcorehdr.cut.bin'), 'wb') as f:
                f.write(ech[:n])

    # ---- after a crash hotplug the kernel rewrote the FDT and ELF core header: what was
    # planned from the facts printed before the hotplug is not expected to match any more
    if meta.get('hotplug') and meta.get('hotplug_expect', 'present') in ('present', 'removed'):
        for i, (n, st, d) in enumerate(checks):
            if st == 'FAIL' and n in ('plan-equals-kernel', 'plan-fdt', 'plan-elfcorehdr', 'jkexec-verify',
                                      'plan-vmcore-size'):
                checks[i] = (n, 'INFO', d + '; not counted: memory and a CPU were hot-added after the load, '
                             'the kernel updated the image, the first kernel\'s facts predate that')
    # ---- every check a kdump run promises is reported, whatever went missing on the way
    have = {n for n, _, _ in checks}
    expected = ['load', 'kdump-boot', 'vmcore', 'vmcore-coverage', 'vmcore-size', 'dump-token',
                'backup-region', 'makedumpfile']
    if meta.get('loader') == 'jkexec' and meta.get('mode') == 'kdump-tools':
        expected = ['jkexec-plan'] + expected   # kdump-config runs jkexec as kexec: no java -version, no dry run
    elif meta.get('loader') == 'jkexec':
        expected = ['java-version'] + ([] if c.marker('QUICK') else ['jkexec-plan', 'jkexec-dry-run']) + expected
    if file_load or meta.get('loader') == 'jkexec':
        expected.append('plan-equals-kernel')
    for n in expected:
        if n in have:
            continue
        if k2:
            add(n, False, 'no result: the data this check reads is missing from the console log')
        else:
            add(n, False, 'not reached: the kdump kernel did not run', 'SKIP')
    for name, count, first in c.noise:
        checks.append(('console-noise', 'INFO', '%d non-base64 line(s) in section %s (firmware messages cut out), first: %r'
                       % (count, name, first)))

    # ---- end
    done = c.marker('DONE')
    fail = [m for m in c.markers if m[1] == 'FAIL']
    for t, k, rest in fail:
        checks.append(('guest-fail', 'FAIL', rest))
    add('poweroff', done is not None and qrc == 0,
        'guest powered off after %s' % done[2] if done is not None and qrc == 0
        else 'qemu exit status %s%s; last @@ marker: %s'
        % (qrc, ' (timeout %ss)' % meta.get('timeout') if qrc == 124 else
           ' (no console output for %ss)' % meta.get('idle') if qrc == 125 else '',
           ('@@%s %s' % (c.markers[-1][1], c.markers[-1][2])) if c.markers else 'none'))
    if dump and dump[0] is not None and k2 and k2[0] is not None:
        timings['kdump_ready_to_dumped_s'] = dump[0] - k2[0]
    return finish(rundir, meta, checks, timings)


HANG_LINES = 25


def hang_report(rundir, c):
    """What the post-mortem of a silent kdump kernel found (see post_mortem): the CPUs' NIP
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


def last_line(c):
    for line in reversed(c.lines):
        if line.strip() and not line.startswith('@@HARNESS'):
            return line.strip()
    return ''


def finish(rundir, meta, checks, timings):
    timings['total_s'] = meta.get('total_s')
    ok = all(s in ('PASS', 'SKIP', 'INFO') for _, s, _ in checks)
    lines = ['== %s (kernel %s, loader %s, %s, mode %s): %s' % (
        meta.get('machine', '?'), meta.get('kernel_choice', 'debian12'), meta.get('loader', '?'),
        meta.get('syscall', 'kexec_load'), meta.get('mode', 'kdump'), 'PASS' if ok else 'FAIL')]
    for n, s, d in checks:
        lines.append('  %-4s %-16s %s' % (s, n, d))
    tl = []
    for k in ('boot_s', 'java_version_s', 'load_s', 'crash_to_kdump_s', 'makedumpfile_s', 'total_s'):
        v = timings.get(k)
        if v is not None:
            tl.append('%s=%.1f' % (k[:-2], v))
    lines.append('  timings (s): ' + ' '.join(tl))
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(rundir, 'summary.txt'), 'w') as f:
        f.write(text)
    with open(os.path.join(rundir, 'result.json'), 'w') as f:
        json.dump({'ok': ok, 'meta': meta, 'timings': timings,
                   'checks': [{'name': n, 'status': s, 'detail': d} for n, s, d in checks]}, f, indent=1)
    sys.stdout.write(text)
    return 0 if ok else 1


def cmd_table(rundirs):
    rows = []
    allok = True
    for r in rundirs:
        p = os.path.join(r, 'result.json')
        if not os.path.exists(p):
            rows.append((os.path.basename(r), '-', '-', 'FAIL', '-', '-', '-', '-', '-', 'no result.json'))
            allok = False
            continue
        with open(p) as f:
            j = json.load(f)
        t = j['timings']
        m = j['meta']
        failed = [c['name'] for c in j['checks'] if c['status'] == 'FAIL']
        allok &= j['ok']

        def f1(k):
            v = t.get(k)
            return '%.1f' % v if isinstance(v, (int, float)) else '-'
        loader = m.get('loader', '?')
        if m.get('syscall') == 'kexec_file_load':
            loader += ' --file' if loader == 'jkexec' else ' -s'
        rows.append((m.get('machine', '?'), m.get('kernel_choice', 'debian12'), loader, 'PASS' if j['ok'] else 'FAIL',
                     f1('boot_s'), f1('load_s'), f1('crash_to_kdump_s'), f1('makedumpfile_s'),
                     f1('total_s'), ', '.join(failed) or '-'))
    hdr = ('machine', 'kernel', 'loader', 'result', 'boot', 'load', 'crash->kdump', 'dump', 'total', 'failed checks')
    w = [max(len(str(x[i])) for x in rows + [hdr]) for i in range(len(hdr))]
    out = []
    for row in [hdr] + rows:
        out.append('  '.join(str(v).ljust(w[i]) for i, v in enumerate(row)).rstrip())
    print('\n'.join(out))
    print('(times in seconds: boot = QEMU start to first /init; load = loader wall time in the guest; '
          'crash->kdump = sysrq-c to kdump /init; dump = makedumpfile)')
    return 0 if allok else 1


def outcome(rundir):
    """What became of a run, as (class, text): dump | refused | noload | hang | incomplete | error."""
    p = os.path.join(rundir, 'result.json')
    if not os.path.exists(p):
        return 'error', 'no result'
    with open(p) as f:
        j = json.load(f)
    checks = {c['name']: c for c in j['checks']}
    t = j['timings'].get('total_s')
    secs = ' (%.0f s)' % t if isinstance(t, (int, float)) else ''
    load = checks.get('load', {})
    m = re.search(r'load rc=(\S+)', load.get('detail', ''))
    rc = m.group(1) if m else '?'
    m = re.search(r'kexec_crash_loaded=(\S+)', load.get('detail', ''))
    loaded = m.group(1).rstrip(',;') if m else '?'
    failed = [n for n, c in checks.items() if c['status'] == 'FAIL']
    if j['ok']:
        return 'dump', 'dumps completely, all checks pass' + secs
    if loaded != '1':
        if rc == '0':
            return 'noload', 'exit 0, nothing loaded' + secs
        if rc == '1':
            return 'refused', 'refused before loading (exit 1)' + secs
        return 'error', 'load failed (exit %s), nothing loaded' % rc + secs
    if checks.get('kdump-boot', {}).get('status') != 'PASS':
        return 'hang', 'loaded, the kdump kernel never ran' + secs
    return 'incomplete', 'kdump kernel ran, failed: ' + ', '.join(failed) + secs


def kexec_checks(c, add, timings):
    """E2E_MODE=kexec: the booted kernel (k0) loaded itself with jkexec load -l and reboot
    into it with jkexec exec; the kexec'd kernel then ran the kdump cycle as k1."""
    k0 = c.marker('K0')
    add('k0-boot', k0 is not None, 'booted kernel ran /init' if k0 else 'no @@K0 marker')
    load = c.marker('KEXECLOAD')
    ok = load is not None and load[1].get('rc') == '0' and load[1].get('kexec_loaded') == '1'
    add('kexec-load', ok, 'jkexec load -l rc=%s in %s s, kexec_loaded=%s, kexec_crash_loaded=%s'
        % ((load[1].get('rc'), load[1].get('seconds'), load[1].get('kexec_loaded'), load[1].get('kexec_crash_loaded'))
           if load else ('?', '?', '?', '?')))
    if load and load[1].get('seconds'):
        timings['kexec_load_s'] = float(load[1]['seconds'])
    tok = c.marker('KEXECTOKEN')
    done = c.marker('KEXECED')
    ing = c.marker('KEXECING')
    add('kexec-boot', done is not None, 'the kexec\'d kernel ran /init %s after jkexec exec'
        % ('%.1f s' % (done[0] - ing[0]) if done and ing and done[0] is not None and ing[0] is not None else '')
        if done else 'no @@KEXECED marker: the kexec\'d kernel did not come up')
    if done and ing and done[0] is not None and ing[0] is not None:
        timings['kexec_to_init_s'] = round(done[0] - ing[0], 1)
    if done is None:
        return
    add('kexec-token', tok is not None and done[1].get('token') == tok[1].get('token'),
        'token %s on the kexec\'d kernel\'s command line (written before the kexec: %s)'
        % (done[1].get('token'), tok[1].get('token') if tok else None))
    k0cmd = (c.sec('k0-cmdline.txt') or b'').decode(errors='replace').split()
    k1cmd = (c.sec('k1-kexeced-cmdline.txt') or b'').decode(errors='replace').split()
    want = [w for w in k0cmd if not w.startswith('BOOT_IMAGE=')] + ['e2e_kexec_token=%s' % done[1].get('token')]
    add('kexec-cmdline', k1cmd == want, 'kexec\'d kernel\'s /proc/cmdline %r, expected %r'
        % (' '.join(k1cmd), ' '.join(want)))
    # crashkernel reserved again: kexec_crash_size, and where both kernels export it, the same
    # base in /chosen (Debian's 6.1 ppc64 kernel lists no "Crash kernel" in /proc/iomem)
    size = done[1].get('crash_size', '0')
    base0 = tok[1].get('crash_base') if tok else None
    base1 = done[1].get('crash_base')
    same = not base0 or not base1 or base0 == base1
    add('kexec-crashkernel', size.isdigit() and int(size) > 0 and same,
        'crashkernel reserved again after the kexec: kexec_crash_size=%s, /chosen/linux,crashkernel-base %s '
        '(before the kexec %s), "Crash kernel" lines in iomem=%s'
        % (size, base1 or 'not reported', base0 or 'not reported', done[1].get('iomem_crash')))


def main(argv):
    if len(argv) >= 7 and argv[1] == 'qemu':
        return cmd_qemu(argv[2:])
    if len(argv) == 3 and argv[1] == 'check':
        return cmd_check(argv[2])
    if len(argv) >= 3 and argv[1] == 'table':
        return cmd_table(argv[2:])
    if len(argv) == 3 and argv[1] == 'outcome':
        print('%s\t%s' % outcome(argv[2]))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
