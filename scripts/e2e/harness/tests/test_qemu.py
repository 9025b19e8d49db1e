"""The QEMU runner with a stand-in command (no QEMU): the console copied with host times, the
timeouts' exit statuses and their @@HARNESS line."""
import contextlib
import io
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from harness.qemu import cmd_qemu  # noqa: E402


class QemuTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.log, self.tlog = os.path.join(self.dir, 'console.log'), os.path.join(self.dir, 'console.tlog')
        os.environ.pop('E2E_QMP_SOCKET', None)

    def qemu(self, script, timeout='30', idle='30'):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = cmd_qemu([self.log, self.tlog, timeout, idle, '--', 'sh', '-c', script])
        with open(self.log, 'rb') as f:
            log = f.read()
        with open(self.tlog, 'rb') as f:
            tlog = f.read()
        return rc, log, tlog, err.getvalue()

    def test_output_copied_with_host_times_and_markers_echoed(self):
        rc, log, tlog, err = self.qemu('echo boot; echo "@@K1 uptime=1"; printf "no newline"; exit 3')
        self.assertEqual(rc, 3)
        self.assertEqual(log, b'boot\n@@K1 uptime=1\nno newline\n')
        self.assertEqual([l.split(b' ', 1)[1] for l in tlog.splitlines()], [b'boot', b'@@K1 uptime=1', b'no newline'])
        float(tlog.split(b' ', 1)[0])
        self.assertIn('@@K1 uptime=1', err)
        self.assertNotIn('boot', err)

    def test_killed_when_silent(self):
        rc, log, _, _ = self.qemu('echo up; sleep 30', idle='1')
        self.assertEqual(rc, 125)
        self.assertEqual(log, b'up\n@@HARNESS idle: QEMU killed after 1 s without console output\n')

    def test_killed_after_the_timeout(self):
        rc, log, _, _ = self.qemu('while :; do echo tick; sleep 0.2; done', timeout='1')
        self.assertEqual(rc, 124)
        self.assertTrue(log.endswith(b'@@HARNESS timeout: QEMU killed after 1 s\n'), log[-80:])


if __name__ == '__main__':
    unittest.main()
