"""What the harness reports: one run's summary.txt and result.json, one table over several runs,
and what became of a run (for the placement matrix and the bisection)."""
import json
import os
import re
import sys


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


