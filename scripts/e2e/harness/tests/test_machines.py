"""The machine table: every row builds its QEMU arguments, run-all's list and the README's
Machines table come from it, `run` has no machine knowledge of its own."""
import os
import re
import subprocess
import sys
import unittest

E2E = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, E2E)
from harness import machines  # noqa: E402
from harness.cli import main  # noqa: E402


class TableTest(unittest.TestCase):

    def test_names_are_unique_and_every_row_says_what_it_is_for(self):
        names = [m.name for m in machines.MACHINES]
        self.assertEqual(len(names), len(set(names)))
        for m in machines.MACHINES:
            self.assertTrue(m.description, m.name)
            self.assertEqual(m.shape is None, m.shape_text is None, m.name)
            self.assertIn('-smp', m.qemu, m.name)

    def test_run_all_runs_the_four_machines_ci_has_always_run(self):
        self.assertEqual(machines.run_all_default(), ['pseries-4g', 'pseries-numa', 'pseries-hotplug', 'powernv9'])

    def test_pseries_8g_is_one_row(self):
        # issue 20's placement matrix: pseries, POWER9, 2 CPUs, 8 GiB
        self.assertEqual(machines.qemu_args('pseries-8g', '2'),
                         ['-M', 'pseries,usb=off', '-vga', 'none', '-cpu', 'POWER9', '-smp', '2', '-m', '8G'])

    def test_the_other_8g_rows_differ_from_it_only_in_cpus_or_mmu(self):
        # issue 20: 1G@4G with 4 CPUs, and the hash MMU above the real-mode area at 8 GiB
        radix = machines.qemu_args('pseries-8g', '2')
        self.assertEqual(machines.qemu_args('pseries-8g-4cpu', '2'), [a if a != '2' else '4' for a in radix])
        self.assertEqual(machines.qemu_args('pseries-power8-8g', '2'), [a if a != 'POWER9' else 'POWER8' for a in radix])


class QemuArgsTest(unittest.TestCase):

    def test_every_machine_gets_what_runs_bash_case_gave_it(self):
        # qemu_args_before.json: the QEMU arguments the bash case of scripts/e2e/run built
        # before the table, recorded per "MACHINE E2E_SMP" from its QEMU command line
        import json
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'qemu_args_before.json')) as f:
            before = json.load(f)
        self.assertEqual({k.split()[0] for k in before}, set(machines.BY_NAME))
        for key, args in before.items():
            name, smp = key.split()
            self.assertEqual(machines.qemu_args(name, smp), args, key)

    def test_smp_goes_where_the_row_says(self):
        self.assertEqual(machines.qemu_args('powernv9', '2,maxcpus=4'), ['-M', 'powernv9', '-smp', '2,maxcpus=4', '-m', '4G'])
        self.assertIn('8', machines.qemu_args('pseries-8cpu', '3'))
        self.assertNotIn('3', machines.qemu_args('pseries-8cpu', '3'))

    def test_numa_puts_every_cpu_but_the_first_in_the_second_node(self):
        self.assertEqual(machines.qemu_args('pseries-numa', '4')[-1], 'node,nodeid=1,cpus=1-3,memdev=mem1')

    def test_numa_needs_two_cpus(self):
        for smp in ('1', '2,maxcpus=4', 'x'):
            with self.assertRaisesRegex(machines.MachineError, '^pseries-numa needs E2E_SMP >= 2$'):
                machines.qemu_args('pseries-numa', smp)

    def test_an_unknown_machine_gets_the_usage_line(self):
        with self.assertRaises(machines.MachineError) as e:
            machines.qemu_args('pseries-1t', '2')
        self.assertEqual(str(e.exception) % 'run', 'usage: run ' + '|'.join(m.name for m in machines.MACHINES))

    def test_cli_prints_one_argument_a_line(self):
        r = subprocess.run([sys.executable, os.path.join(E2E, 'e2e.py'), 'qemu-args', 'pseries-16g', '2', 'run'],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stdout.splitlines(), machines.qemu_args('pseries-16g', '2'))
        r = subprocess.run([sys.executable, os.path.join(E2E, 'e2e.py'), 'qemu-args', 'nosuch', '2', 'scripts/e2e/run'],
                           capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stdout), (1, ''))
        self.assertTrue(r.stderr.startswith('[e2e] ERROR: usage: scripts/e2e/run pseries-4g|'), r.stderr)


class OnePlaceTest(unittest.TestCase):

    def test_the_readme_machines_table_is_the_generated_one(self):
        with open(os.path.join(E2E, 'README.md')) as f:
            text = f.read()
        m = re.search(r'\n## Machines\n\n(.*?\n)\n', text, re.S)
        self.assertIsNotNone(m, 'scripts/e2e/README.md has no Machines table')
        self.assertEqual(m.group(1), machines.markdown_table(),
                         'regenerate it: scripts/e2e/e2e.py machines')

    def test_run_has_no_machine_case_of_its_own(self):
        with open(os.path.join(E2E, 'run')) as f:
            run = f.read()
        self.assertNotIn('case $MACHINE', run)
        for m in machines.MACHINES:
            self.assertNotIn(m.name + ')', run)

    def test_no_bash_script_runs_inline_python(self):
        for n in ('run', 'run-all', 'run-matrix', 'placement-matrix', 'crashkernel-bisect', 'lib.sh',
                  'build-initramfs', 'setup'):
            with open(os.path.join(E2E, n)) as f:
                self.assertNotIn('python3 -c', f.read(), n)

    def test_machines_command_prints_the_table(self):
        import contextlib
        import io
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(main(['e2e.py', 'machines']), 0)
        self.assertEqual(out.getvalue(), machines.markdown_table())


if __name__ == '__main__':
    unittest.main()
