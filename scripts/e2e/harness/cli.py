"""e2e.py: the host side of the QEMU kdump harness (python3 stdlib only).

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
  e2e.py outcome RUNDIR         what became of a run: CLASS<TAB>TEXT
  e2e.py qemu-args MACHINE SMP PROG
                                the machine's QEMU arguments, one a line (PROG names
                                the script in the usage message of an unknown MACHINE)
  e2e.py machines [--run-all]   the Machines table of scripts/e2e/README.md (Markdown);
                                --run-all: the machines run-all runs by default
  e2e.py meta FILE VALUE...     write a run's meta.json (the values `run` collected)
  e2e.py elapsed T0 T1          T1 - T0 seconds, rounded to 0.1
  e2e.py ratio A B              A / B with two decimals
  e2e.py estimate-mib           crashkernelEstimate of `jkexec plan --json` (stdin) in MiB
"""
import json
import sys

from . import machines, report
from .checks import Run, check
from .checks.makedumpfile import ready_to_dumped

META_KEYS = ['machine', 'loader', 'mode', 'timeout', 'idle', 'qemu_rc', 'total_s', 'kernel', 'append',
             'makedumpfile_opts', 'kernel_choice', 'syscall', 'vmlinux', 'initrd', 'hotplug', 'hotplug_expect']


def cmd_check(rundir):
    run = Run(rundir)
    run.write_sections()
    checks = check(run)
    ready_to_dumped(run)
    return report.finish(rundir, run.meta, checks, run.timings)


def cmd_qemu_args(name, smp, prog):
    try:
        args = machines.qemu_args(name, smp)
    except machines.MachineError as e:
        msg = str(e)
        sys.stderr.write('[e2e] ERROR: %s\n' % (msg % prog if msg.startswith('usage: ') else msg))
        return 1
    sys.stdout.write(''.join(a + '\n' for a in args))
    return 0


def cmd_meta(path, values):
    d = dict(zip(META_KEYS, values))
    for n in ('timeout', 'idle', 'qemu_rc', 'total_s'):
        d[n] = float(d[n]) if '.' in d[n] else int(d[n])
    with open(path, 'w') as f:
        json.dump(d, f, indent=1)
    return 0


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else (None, [])
    if cmd == 'qemu' and len(args) >= 5:
        from .qemu import cmd_qemu
        return cmd_qemu(args)
    if cmd == 'check' and len(args) == 1:
        return cmd_check(args[0])
    if cmd == 'table' and args:
        return report.cmd_table(args)
    if cmd == 'outcome' and len(args) == 1:
        print('%s\t%s' % report.outcome(args[0]))
        return 0
    if cmd == 'qemu-args' and len(args) == 3:
        return cmd_qemu_args(*args)
    if cmd == 'machines' and args in ([], ['--run-all']):
        sys.stdout.write(' '.join(machines.run_all_default()) + '\n' if args else machines.markdown_table())
        return 0
    if cmd == 'meta' and len(args) == 1 + len(META_KEYS):
        return cmd_meta(args[0], args[1:])
    if cmd == 'elapsed' and len(args) == 2:
        print(round(float(args[1]) - float(args[0]), 1))
        return 0
    if cmd == 'ratio' and len(args) == 2:
        print('%.2f' % (int(args[0]) / int(args[1])))
        return 0
    if cmd == 'estimate-mib' and not args:
        print(json.load(sys.stdin)['crashkernelEstimate']['bytes'] >> 20)
        return 0
    sys.stderr.write(__doc__)
    return 2
