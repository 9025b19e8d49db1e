"""e2e.py's small commands that replaced bash's inline python: the same output as before."""
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from harness import report  # noqa: E402
from harness.cli import META_KEYS, main  # noqa: E402
from harness.tests import fixtures as f  # noqa: E402


def run(*argv, stdin=None):
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin or '')
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            rc = main(['e2e.py'] + list(argv))
    finally:
        sys.stdin = old
    return rc, out.getvalue()


class CliTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def test_meta_writes_what_run_wrote(self):
        values = ['pseries-4g', 'jkexec', 'kdump', '300', '120', '0', '154.4', '6.1.0', 'console=hvc0 x', '-d 31',
                  'debian12', 'kexec_load', '/v', '/i', '', 'present']
        p = os.path.join(self.dir, 'meta.json')
        self.assertEqual(run('meta', p, *values), (0, ''))
        with open(p) as fh:
            text = fh.read()
        want = dict(zip(META_KEYS, values), timeout=300, idle=120, qemu_rc=0, total_s=154.4)
        self.assertEqual(text, json.dumps(want, indent=1))
        self.assertEqual(list(json.loads(text)), META_KEYS)

    def test_elapsed_ratio_estimate(self):
        self.assertEqual(run('elapsed', '1733523423.123456789', '1733523577.500000001'), (0, '154.4\n'))
        self.assertEqual(run('ratio', '300', '256'), (0, '1.17\n'))
        self.assertEqual(run('estimate-mib', stdin='{"crashkernelEstimate": {"bytes": 314572801}}'), (0, '300\n'))

    def test_unknown_command_is_usage(self):
        self.assertEqual(run('nothing')[0], 2)
        self.assertEqual(run('machines', 'x')[0], 2)

    def test_table_and_outcome(self):
        good = f.rundir(os.path.join(self.dir, 'a'), f.kdump_console())
        refused = os.path.join(self.dir, 'b')
        c = f.Console().mark('K1').mark('LOAD', 'rc=1 seconds=3').mark('LOADED', 'kexec_crash_loaded=0')
        f.rundir(refused, c, loader='jkexec', machine='pseries-8g')
        for d in (good, refused):
            with contextlib.redirect_stdout(io.StringIO()):
                run('check', d)
        rc, text = run('table', good, refused, os.path.join(self.dir, 'none'))
        self.assertEqual(rc, 1)
        lines = text.splitlines()
        self.assertEqual(lines[0].split(), ['machine', 'kernel', 'loader', 'result', 'boot', 'load', 'crash->kdump',
                                            'dump', 'total', 'failed', 'checks'])
        self.assertEqual(lines[1].split()[:4], ['pseries-4g', 'debian12', 'kexec-tools', 'PASS'])
        self.assertTrue(lines[2].startswith('pseries-8g') and lines[2].endswith('load, poweroff'), lines[2])
        self.assertTrue(lines[3].endswith('no result.json'))
        self.assertEqual(report.outcome(refused)[0], 'refused')
        self.assertEqual(run('outcome', good), (0, 'dump\tdumps completely, all checks pass (100 s)\n'))


if __name__ == '__main__':
    unittest.main()
