"""Load checks: the JVM and jkexec in the guest, the load itself (and a refused reload on top
of it), where the load's time went; and E2E_MODE=java-version, which only times the JVM."""
import re

from ..parsers import kv
from . import Checks


def java_version_mode(run):
    out = Checks()
    c, timings = run.c, run.timings
    runs = [m for m in c.markers if m[1] == 'JAVAVERSION']
    for t, k, rest in runs:
        d = kv(rest)
        out.add('java-version-%s' % d.get('run', '?'), d.get('rc') == '0',
                'java -version rc=%s in %s s (guest wall time)' % (d.get('rc'), d.get('seconds')))
        timings['java_version_%s_s' % d.get('run', '?')] = float(d.get('seconds', 'nan'))
    if not runs:
        out.add('java-version', False, 'no @@JAVAVERSION marker')
    ver = c.sec('k1-java-version-1.txt')
    if ver:
        out.add('java-version-text', True, ver.decode().strip().splitlines()[0], 'INFO')
    jh = c.marker('JKEXECHELP')
    if jh:
        out.add('jkexec-help', jh[1].get('rc') == '0', 'jkexec --help rc=%s in %s s'
                % (jh[1].get('rc'), jh[1].get('seconds')), 'INFO')
    done = c.marker('DONE')
    out.add('poweroff', done is not None and run.qrc == 0,
            'guest powered off cleanly' if done is not None and run.qrc == 0
            else 'qemu exit status %s%s' % (run.qrc, ' (timeout)' if run.qrc == 124 else ''))
    return out


def check(run):
    out = Checks()
    c, timings, meta = run.c, run.timings, run.meta
    load = c.marker('LOAD', lambda r: 'rc=' in r)
    loaded = c.marker('LOADED')
    jv = c.marker('JAVAVERSION')
    if jv:
        timings['java_version_s'] = float(jv[1].get('seconds', 'nan'))
        out.add('java-version', jv[1].get('rc') == '0', 'java -version rc=%s in %s s'
                % (jv[1].get('rc'), jv[1].get('seconds')))
    plan = c.marker('PLAN')
    if plan:
        out.add('jkexec-plan', plan[1].get('rc') == '0', 'jkexec plan rc=%s in %s s'
                % (plan[1].get('rc'), plan[1].get('seconds')))
    dry = c.marker('DRYRUN')
    if dry:
        out.add('jkexec-dry-run', dry[1].get('rc') == '0', 'jkexec load -p --dry-run (plan and every check, '
                'CDS training run) rc=%s in %s s' % (dry[1].get('rc'), dry[1].get('seconds')))
    if load:
        d = load[1]
        m = re.search(rb'\((\d+ ms: [^)]*)\)', c.sec('k1-jkexec-load.txt') or b'')
        if m:
            out.info('load-phases', 'inside jkexec (after JVM start): ' + m.group(1).decode())
        try:
            timings['load_s'] = float(d.get('seconds'))
        except (TypeError, ValueError):
            pass
        out += pair_ratio(run)
        ok = d.get('rc') == '0' and loaded is not None and loaded[1].get('kexec_crash_loaded') == '1'
        out.add('load', ok, '%s load rc=%s in %s s (guest wall time), kexec_crash_loaded=%s%s'
                % (meta.get('loader', '?'), d.get('rc'), d.get('seconds'),
                   loaded[1].get('kexec_crash_loaded') if loaded else '?',
                   ('; ' + load[2]) if 'error=' in load[2] else ''))
        if not ok:
            for n in ('k1-kexecdebug.txt', 'k1-jkexec-load.txt'):
                s = c.sec(n)
                if s:
                    tail = s.decode(errors='replace').strip().splitlines()[-3:]
                    out.info('load-output', ' | '.join(tail))
    else:
        out.add('load', False, 'no @@LOAD result marker')

    reload = c.marker('RELOAD')
    if reload:
        said = (c.sec('k1-jkexec-reload.txt') or b'').decode(errors='replace').strip().splitlines()
        out.add('refused-reload', reload[1].get('rc') == '1' and reload[1].get('kexec_crash_loaded') == '1',
                'jkexec load -p %s: rc=%s, kexec_crash_loaded=%s after it; %s'
                % (reload[1].get('args', '').replace(',', ' '), reload[1].get('rc'),
                   reload[1].get('kexec_crash_loaded'), said[-1][:200] if said else 'no output'))
    out += lockdown(run)
    return out


def lockdown(run):
    """e2e.lockdown=1 (lockdown=integrity): jkexec load -p turned to kexec_file_load saying so,
    kexec -c -p was refused naming lockdown with the kdump kernel left loaded, and kexec -p as
    kdump-tools runs it (no syscall option) loaded again."""
    out = Checks()
    c = run.c
    refused = c.marker('LOCKDOWNC')
    if refused is None:
        return out

    def text(name):
        return (c.sec(name) or b'').decode(errors='replace').strip()

    state = text('k1-lockdown.txt')
    out.add('lockdown', '[integrity]' in state or '[confidentiality]' in state,
            '/sys/kernel/security/lockdown: ' + (state or 'not read'))
    note = [l for l in text('k1-jkexec-load.txt').splitlines() if 'lockdown' in l]
    out.add('lockdown-load-note', len(note) == 1 and 'kexec_file_load' in note[0],
            'jkexec load -p: ' + (note[0][:200] if note else 'no line naming lockdown'))
    said = text('k1-lockdown-c.txt').splitlines()
    d = refused[1]
    out.add('lockdown-kexec-c', d.get('rc') not in (None, '0') and d.get('kexec_crash_loaded') == '1'
            and len(said) == 1 and 'lockdown' in said[0],
            'kexec -c -p: rc=%s, kexec_crash_loaded=%s after it; %s'
            % (d.get('rc'), d.get('kexec_crash_loaded'), said[-1][:200] if said else 'no output'))
    again = c.marker('LOCKDOWNKEXEC')
    a = again[1] if again else {}
    out.add('lockdown-kexec-p', a.get('unload_rc') == '0' and a.get('rc') == '0' and a.get('kexec_crash_loaded') == '1',
            'kexec -p -u rc=%s, then kexec -p rc=%s in %s s, kexec_crash_loaded=%s'
            % (a.get('unload_rc'), a.get('rc'), a.get('seconds'), a.get('kexec_crash_loaded')))
    return out


def pair_ratio(run):
    """E2E_PAIR=1: kexec-tools loaded the same files first in the same boot."""
    out = Checks()
    timings = run.timings
    pair = run.c.marker('PAIR')
    if pair and 'load_s' in timings:
        try:
            kt = float(pair[1].get('seconds'))
            timings['pair_kexec_tools_load_s'] = kt
            line = ('jkexec load %.2f s, kexec-tools load %.2f s (%s, rc=%s) in the same boot: %.1fx'
                    % (timings['load_s'], kt, pair[1].get('program', 'kexec'), pair[1].get('rc'),
                       timings['load_s'] / kt if kt > 0 else float('nan')))
            jv = timings.get('java_version_s')
            if jv is not None:
                # what is jkexec's own: the load above the JVM's start (`java -version`)
                timings['load_above_jvm_s'] = timings['load_s'] - jv
                line += '; above `java -version` (%.2f s): %.2f s, %.2fx' % (
                    jv, timings['load_above_jvm_s'], timings['load_above_jvm_s'] / kt if kt > 0 else float('nan'))
            out.info('load-ratio', line)
        except (TypeError, ValueError):
            pass
    out += reload_ratio(run)
    return out


def reload_ratio(run):
    """E2E_PAIR=1: kdump-tools' try-reload (`kexec -p -u`, then `kexec -p ...`) by kexec-tools and
    by jkexec's kexec personality; jkexec's two JVM starts taken off (two `java -version`)."""
    out = Checks()
    timings = run.timings
    pair, jk = run.c.marker('PAIR'), run.c.marker('PAIRRELOAD')
    if not pair or not jk or 'reload_seconds' not in pair[1]:
        return out
    try:
        kt, js = float(pair[1]['reload_seconds']), float(jk[1].get('seconds'))
    except (TypeError, ValueError):
        return out
    timings['pair_kexec_tools_reload_s'] = kt
    timings['reload_s'] = js
    line = 'kexec -p -u; kexec -p: jkexec %.2f s (rc=%s), kexec-tools %.2f s (rc=%s): %.1fx' % (
        js, jk[1].get('rc'), kt, pair[1].get('reload_rc'), js / kt if kt > 0 else float('nan'))
    jv = timings.get('java_version_s')
    if jv is not None:
        timings['reload_above_jvm_s'] = js - 2 * jv
        line += '; above two `java -version`: %.2f s, %.2fx' % (
            timings['reload_above_jvm_s'], timings['reload_above_jvm_s'] / kt if kt > 0 else float('nan'))
    out.add('reload', jk[1].get('rc') == '0,0', line)
    return out
