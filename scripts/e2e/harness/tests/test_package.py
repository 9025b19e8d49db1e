"""The package checks (JKEXEC_INSTALL=deb, e2e.rofs=1) on synthetic run directories."""
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from harness import checks  # noqa: E402
from harness.checks import Run, package  # noqa: E402
from harness.tests import fixtures as f  # noqa: E402

DIVERSIONS = ('diversion of /usr/share/man/man8/kexec.8.gz to /usr/share/man/man8/kexec.kexec-tools.8.gz by jkexec-kexec\n'
              'diversion of /sbin/kexec to /sbin/kexec.kexec-tools by jkexec-kexec\n'
              'diversion of /usr/sbin/kexec to /usr/sbin/kexec.kexec-tools by jkexec-kexec\n')
GOOD_DPKG = ('rc=0 seconds=41.20 jkexec=ii jkexec-kexec=ii libjna-java=ii libjna-jni=ii archive_bytes=9633792 '
             'archive_stamp=yes archive_maps=yes kexec=/usr/sbin/jkexec kexec_tools=/usr/sbin/kexec.kexec-tools')
GOOD_PROBE = 'root=ro write=refused home=unset jnidispatch_unpacked=0'


def console(install='deb', dpkg=GOOD_DPKG, diversions=DIVERSIONS, load_text='loaded\n', probes=None, k2=True):
    """A jkexec run's console up to the crash (and the kdump kernel's start with k2): the
    package installed, the load, e2e.rofs's probes (at -> fields) around it."""
    c = f.Console()
    c.at(10.0).mark('K1', 'uptime=3.1 loader=jkexec mode=kdump install=%s' % install)
    if dpkg is not None:
        c.mark('DPKG', dpkg)
        c.text('dpkg-divert.txt', diversions)
    probes = probes or {}
    if 'before-load' in probes:
        c.mark('ROFS', 'at=before-load ' + probes['before-load'])
    c.at(30.0).mark('LOAD', 'rc=0 seconds=9.5')
    c.text('k1-jkexec-load.txt', load_text)
    c.mark('LOADED', 'kexec_crash_loaded=1')
    if 'after-load' in probes:
        c.mark('ROFS', 'at=after-load ' + probes['after-load'])
    c.at(40.0).mark('CRASHING', 'uptime=30')
    if k2:
        c.at(55.0).mark('K2', 'uptime=1.0')
    return c


class PackageTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def run_of(self, c, append='console=hvc0'):
        f.rundir(self.dir, c, loader='jkexec', append=append)
        r = Run(self.dir)
        r.write_sections()
        return r

    def checks_of(self, c, **kw):
        return {x.name: (x.status, x.detail) for x in package.check(self.run_of(c, **kw))}

    def test_an_install_as_on_debian(self):
        got = self.checks_of(console())
        self.assertEqual({k: v[0] for k, v in got.items()},
                         {'package-install': 'PASS', 'kexec-diversion': 'PASS', 'class-archive': 'PASS'})
        self.assertEqual(got['package-install'][1], 'dpkg -i rc=0 in 41.20 s (guest wall time): jkexec ii, '
                         'jkexec-kexec ii, libjna-java ii, libjna-jni ii')
        self.assertIn('diverted by jkexec-kexec at /sbin/kexec and /usr/sbin/kexec', got['kexec-diversion'][1])

    def test_a_failed_install(self):
        got = self.checks_of(console(dpkg=GOOD_DPKG.replace('rc=0', 'rc=1').replace('jkexec-kexec=ii', 'jkexec-kexec=iU')))
        self.assertEqual(got['package-install'][0], 'FAIL')
        self.assertIn('jkexec-kexec iU', got['package-install'][1])

    def test_kexec_not_taken_over(self):
        one = DIVERSIONS.replace('diversion of /usr/sbin/kexec to /usr/sbin/kexec.kexec-tools by jkexec-kexec\n', '')
        got = self.checks_of(console(diversions=one))
        self.assertEqual(got['kexec-diversion'], ('FAIL', '/sbin/kexec is /usr/sbin/jkexec, kexec-tools\' kexec is '
                                                  '/usr/sbin/kexec.kexec-tools; no diversion by jkexec-kexec of /usr/sbin/kexec'))
        got = self.checks_of(console(dpkg=GOOD_DPKG.replace('kexec=/usr/sbin/jkexec', 'kexec=/usr/sbin/kexec')))
        self.assertEqual(got['kexec-diversion'][0], 'FAIL')
        got = self.checks_of(console(dpkg=GOOD_DPKG.replace(' kexec_tools=/usr/sbin/kexec.kexec-tools', ' kexec_tools=')))
        self.assertEqual(got['kexec-diversion'][0], 'FAIL')

    def test_no_archive_or_a_stale_one(self):
        got = self.checks_of(console(dpkg=GOOD_DPKG.replace('archive_bytes=9633792', 'archive_bytes=0')))
        self.assertEqual(got['class-archive'][0], 'FAIL')
        got = self.checks_of(console(dpkg=GOOD_DPKG.replace('archive_stamp=yes', 'archive_stamp=no')))
        self.assertEqual(got['class-archive'][0], 'FAIL')
        got = self.checks_of(console(dpkg=GOOD_DPKG.replace('archive_maps=yes', 'archive_maps=no')))
        self.assertEqual(got['class-archive'][0], 'FAIL')
        self.assertIn('the JVM does not map it (-Xshare:on failed)', got['class-archive'][1])
        stale = 'jkexec: /var/cache/jkexec/jkexec.jsa was made for another Java runtime or jar; starting without it\n'
        got = self.checks_of(console(load_text=stale))
        self.assertEqual(got['class-archive'], ('FAIL', '/var/cache/jkexec/jkexec.jsa 9633792 bytes, stamp written '
                                                '(made by jkexec\'s postinst), the JVM maps it (-Xshare:on); the launcher '
                                                'found it stale in k1-jkexec-load.txt'))

    def test_the_bare_jar_is_not_a_package_run(self):
        self.assertEqual(self.checks_of(console(install='jar', dpkg=None)), {})

    def test_read_only_root_without_home(self):
        probes = {'before-load': GOOD_PROBE, 'after-load': GOOD_PROBE}
        got = self.checks_of(console(probes=probes), append='console=hvc0 e2e.rofs=1')
        self.assertEqual(got['rofs'][0], 'PASS')
        # without e2e.rofs=1 the probes are not asked for
        self.assertNotIn('rofs', self.checks_of(console(probes=probes)))

    def test_what_breaks_the_read_only_run(self):
        for at, probe, said in (
                ('before-load', 'root=rw write=allowed home=unset jnidispatch_unpacked=0',
                 'before-load root=rw; before-load write=allowed'),
                ('after-load', 'root=ro write=refused home=/ jnidispatch_unpacked=0', 'after-load home=/'),
                ('after-load', 'root=ro write=refused home=unset jnidispatch_unpacked=1', 'after-load jnidispatch_unpacked=1')):
            probes = {'before-load': GOOD_PROBE, 'after-load': GOOD_PROBE}
            probes[at] = probe
            got = self.checks_of(console(probes=probes), append='e2e.rofs=1')
            self.assertEqual(got['rofs'], ('FAIL', said))
        got = self.checks_of(console(probes={'before-load': GOOD_PROBE}), append='e2e.rofs=1')
        self.assertEqual(got['rofs'], ('FAIL', 'no probe after-load'))

    def test_every_promised_check_is_reported(self):
        c = console(dpkg=None, k2=False)
        r = self.run_of(c, append='e2e.rofs=1')
        out = {x.name: x.status for x in checks.check(r)}
        for n in ('package-install', 'kexec-diversion', 'class-archive'):
            self.assertEqual(out[n], 'SKIP', n)
        self.assertEqual(out['rofs'], 'FAIL')   # the load ran without the probes
        self.assertEqual(package.expected(r), ['package-install', 'kexec-diversion', 'class-archive', 'rofs'])


if __name__ == '__main__':
    unittest.main()
