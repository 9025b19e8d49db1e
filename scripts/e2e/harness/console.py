"""A run's console log: the @@ markers the guest printed (with the host's time of each line)
and the sections it streamed between @@BEGIN/@@BEGIN64 and @@END."""
import base64
import os
import re

from .parsers import kv

MARK = re.compile(r'@@([A-Z0-9]+)(?:\s(.*))?$')
B64_LINE = re.compile(r'^[A-Za-z0-9+/]*={0,2}$')
# a firmware console message: skiboot's "[  113.429307019,3] SBE: ..." or the kernel's "[   12.3] ..."
FW_MESSAGE = re.compile(r'\[\s*\d+\.\d+(,\d+)?\]')


def heal_markers(times, lines):
    """Marker lines a firmware message cut in two, made whole. skiboot writes to the same
    console (powernv9: "[  150.419510612,3] SBE: Timer stuck, ...") and may land inside a
    line the guest is printing: the marker's head, the message (and any more firmware lines),
    then the marker's tail on a line of its own. The head and the tail are joined; the
    firmware lines are kept after the marker."""
    out_t, out_l = [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        at = line.find('@@')
        m = FW_MESSAGE.search(line, at + 2) if at >= 0 else None
        if m is None:
            out_t.append(times[i])
            out_l.append(line)
            i += 1
            continue
        head, fw = line[:m.start()], [line[m.start():]]
        j = i + 1
        while j < len(lines) and FW_MESSAGE.match(lines[j]):
            fw.append(lines[j])
            j += 1
        tail = lines[j] if j < len(lines) else ''
        out_t.append(times[j] if j < len(lines) else times[i])
        out_l.append(head + tail)
        out_t.extend(times[i:i + len(fw)])
        out_l.extend(fw)
        i = j + 1
    return out_t, out_l


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
        times, self.lines = heal_markers(times, self.lines)
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


def last_line(c):
    """The console's last non-empty line that the harness did not write itself."""
    for line in reversed(c.lines):
        if line.strip() and not line.startswith('@@HARNESS'):
            return line.strip()
    return ''


