"""QEMU under the harness: its console copied to the run directory with host times, killed
after a total or an idle timeout; and QMP, for crash hotplug and for the post-mortem of a kdump
kernel that prints nothing."""
import json
import os
import re
import shutil
import subprocess
import sys
import time

from . import kernellog


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


LOW_LOG_WINDOW = 64 << 20     # physical [0, 64 MiB): where a kdump kernel run at 0 lies


def post_mortem(path, rundir, base, size):
    """A kdump kernel that printed nothing, before QEMU is killed: through QMP, every CPU's
    registers (rundir/hang-registers.txt, NIP and LR named from E2E_SYMBOLS, an unstripped
    vmlinux, when set) and crashkernel's memory and the first 64 MiB, in which kernellog finds
    the kdump kernel's printk records (rundir/hang-log.txt; the image is deleted unless E2E_KEEP_HANG_MEMORY=1).
    Returns one line: what was found."""
    out = []
    image = os.path.join(rundir, 'hang-crashkernel.bin')
    low_image = os.path.join(rundir, 'hang-low.bin')
    try:
        s, cmd = qmp_session(path)
        regs = cmd('human-monitor-command', {'command-line': 'info registers -a'}).get('return', '')
        if 'CPU#' not in regs:
            regs = cmd('human-monitor-command', {'command-line': 'info registers'}).get('return', '')
        r = cmd('pmemsave', {'val': base, 'size': size, 'filename': image})
        # a kdump kernel that runs at 0 (jkexec above 4 GiB on pseries) keeps its log there
        cmd('pmemsave', {'val': 0, 'size': min(LOW_LOG_WINDOW, base), 'filename': low_image})
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
    where_found = 'crashkernel=%#x+%#x' % (base, size)
    if os.path.exists(low_image):
        with open(low_image, 'rb') as f:
            low = kernellog.records(f.read())
        # crashkernel also holds the backup copy of the crashed kernel's low memory, its log
        # among it: the kdump kernel's own log is the one whose command line has elfcorehdr=
        if kernellog.is_kdump_log(low) and not kernellog.is_kdump_log(recs):
            recs, where_found = low, 'low=0x0+%#x' % min(LOW_LOG_WINDOW, base)
    for f in (image, low_image):
        if os.environ.get('E2E_KEEP_HANG_MEMORY') != '1' and os.path.exists(f):
            os.unlink(f)
    with open(os.path.join(rundir, 'hang-log.txt'), 'w') as f:
        for rec in recs:
            f.write(rec.line() + '\n')
    out.append('records=%d %s' % (len(recs), where_found))
    if named:
        out.append(named[0].replace(' ', '_'))
    return ' '.join(out)


def symbols():
    """Text symbols of E2E_SYMBOLS (an unstripped vmlinux) through nm, or none."""
    path = os.environ.get('E2E_SYMBOLS')
    nm = shutil.which('powerpc64le-linux-gnu-nm') or shutil.which('nm')
    if not path or not os.path.exists(path) or not nm:
        return []
    r = subprocess.run([nm, '-n', path], capture_output=True, text=True)
    return kernellog.load_symbols(r.stdout)


def where(addr, syms, base):
    """A kdump kernel's address named by symbol: it runs at crashkernel's base, linked at
    0xc000000000000000; in real mode its addresses are physical."""
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


