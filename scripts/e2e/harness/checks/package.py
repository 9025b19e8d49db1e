"""Package checks: with JKEXEC_INSTALL=deb the guest installs jkexec's packages with Debian's
dpkg at boot, and every jkexec it runs is the installed one. These say that the install went
as on a Debian system (the four packages installed, their maintainer scripts run: kexec-tools'
kexec diverted at both its names and /sbin/kexec now jkexec, the class-data archive made by
jkexec's postinst with the guest's JVM), and, with e2e.rofs=1, that jkexec loaded with the root
file system read-only, HOME unset and JNA's native library never unpacked."""
from . import Checks

PACKAGES = ('jkexec', 'jkexec-kexec', 'libjna-java', 'libjna-jni')
# what jkexec-kexec's preinst diverts: kexec-tools' kexec at both the names it may have
DIVERTED = ('/sbin/kexec', '/usr/sbin/kexec')
INSTALLED_KEXEC = '/usr/sbin/jkexec'


def package_run(run):
    """Did the guest install jkexec's packages (JKEXEC_INSTALL=deb, said on the @@K1 line)?"""
    return run.jkexec_run() and run.k1 is not None and run.k1[1].get('install') == 'deb'


def rofs_run(run):
    return 'e2e.rofs=1' in (run.meta.get('append') or '').split()


def expected(run):
    """The names check() promises for this run (checks.missing reports any that went missing)."""
    return (['package-install', 'kexec-diversion', 'class-archive'] if package_run(run) else []) + \
        (['rofs'] if rofs_run(run) else [])


def check(run):
    out = Checks()
    if package_run(run):
        out += install(run)
    if rofs_run(run):
        out += rofs(run)
    return out


def install(run):
    out = Checks()
    c = run.c
    m = c.marker('DPKG')
    if m is None:
        return out      # checks.missing reports the three as missing
    d = m[1]
    states = ['%s %s' % (p, d.get(p) or '?') for p in PACKAGES]
    out.add('package-install', d.get('rc') == '0' and all(d.get(p) == 'ii' for p in PACKAGES),
            'dpkg -i rc=%s in %s s (guest wall time): %s' % (d.get('rc'), d.get('seconds'), ', '.join(states)))

    listed = (c.sec('dpkg-divert.txt') or b'').decode(errors='replace')
    missing = [p for p in DIVERTED
               if 'diversion of %s to %s.kexec-tools by jkexec-kexec' % (p, p) not in listed]
    ok = not missing and d.get('kexec') == INSTALLED_KEXEC and d.get('kexec_tools') == '/usr/sbin/kexec.kexec-tools'
    out.add('kexec-diversion', ok, '/sbin/kexec is %s, kexec-tools\' kexec is %s; %s'
            % (d.get('kexec') or 'missing', d.get('kexec_tools') or 'missing',
               'diverted by jkexec-kexec at ' + ' and '.join(DIVERTED) if not missing
               else 'no diversion by jkexec-kexec of ' + ', '.join(missing)))

    stale = [n for n in ('k1-jkexec-load.txt', 'k1-jkexec-plan.json')
             if b'was made for another Java runtime' in (c.sec(n) or b'')]
    try:
        size = int(d.get('archive_bytes') or 0)
    except ValueError:
        size = 0
    maps = d.get('archive_maps') == 'yes'
    out.add('class-archive', size > 0 and d.get('archive_stamp') == 'yes' and maps and not stale,
            '/var/cache/jkexec/jkexec.jsa %d bytes, stamp %s (made by jkexec\'s postinst), %s%s'
            % (size, 'written' if d.get('archive_stamp') == 'yes' else 'missing',
               'the JVM maps it (-Xshare:on)' if maps else 'the JVM does not map it (-Xshare:on failed)',
               '; the launcher found it stale in ' + ', '.join(stale) if stale else ''))
    return out


def rofs(run):
    """e2e.rofs=1: before and after the load the root was read-only (a write refused), HOME was
    unset and nothing had unpacked JNA's native library into /tmp or /run."""
    out = Checks()
    seen = {m[1].get('at'): m[1] for m in (run.c.marker('ROFS', lambda r, a=a: r.startswith('at=' + a))
                                           for a in ('before-load', 'after-load')) if m}
    bad = []
    for at in ('before-load', 'after-load'):
        d = seen.get(at)
        if d is None:
            bad.append('no probe ' + at)
            continue
        for key, want in (('root', 'ro'), ('write', 'refused'), ('home', 'unset'), ('jnidispatch_unpacked', '0')):
            if d.get(key) != want:
                bad.append('%s %s=%s' % (at, key, d.get(key)))
    if not seen and run.k2 is None and run.c.marker('LOAD', lambda r: 'rc=' in r) is None:
        return out      # never got to the load: checks.missing says so
    out.add('rofs', not bad, '; '.join(bad) if bad else
            'root read-only (a write refused), HOME unset, JNA\'s library not unpacked, before and after the load')
    return out
