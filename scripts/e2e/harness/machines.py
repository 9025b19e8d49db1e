"""The machines the harness boots: one row each.

A row says how QEMU builds the machine (its arguments, E2E_SMP put in as {smp}), what the first
kernel must show for a run to count as that machine (the machine-shape check; a row without a
shape reports the shape as INFO), and what the machine is for. `run` takes its QEMU arguments
from here, run-all its default list, scripts/e2e/README.md its Machines table (`e2e.py machines`
prints it; a test keeps the two equal). Adding a machine is adding a row.
"""
import re
from collections import namedtuple

PSERIES = ('-M', 'pseries,usb=off', '-vga', 'none')


class Shape(namedtuple('Shape', 'memnodes drmem numa_nodes cpus cpuinfo hash_mmu cpu_nodes opal')):
    """What the first kernel shows of its machine: memory nodes of its FDT, the
    ibm,dynamic-reconfiguration-memory node's properties, NUMA nodes online, its CPU list, its
    /proc/cpuinfo, the MMU, CPU nodes of its FDT, and whether OPAL is there."""


def _drmem_v2(s):
    return 'ibm,dynamic-memory-v2' in s.drmem


# name, QEMU arguments, what machine-shape wants (text, test), in run-all by default, what it is for
Machine = namedtuple('Machine', 'name qemu shape_text shape run_all min_smp description')


def machine(name, qemu, description, shape_text=None, shape=None, run_all=False, min_smp=1):
    return Machine(name, tuple(qemu), shape_text, shape, run_all, min_smp, description)


MACHINES = (
    machine('pseries-4g', PSERIES + ('-cpu', 'POWER9', '-smp', '{smp}', '-m', '4G'),
            'the reference guest: POWER9 (radix), 4 GiB', run_all=True),
    machine('pseries-8g', PSERIES + ('-cpu', 'POWER9', '-smp', '{smp}', '-m', '8G'),
            'pseries-4g with 8 GiB: room for crashkernel at and above 4 GiB (the placement matrix)'),
    machine('pseries-8g-4cpu', PSERIES + ('-cpu', 'POWER9', '-smp', '4', '-m', '8G'),
            'pseries-8g with 4 vCPUs (E2E_SMP is ignored): a larger backup region and more per-CPU '
            'early allocations at 4 GiB (the placement matrix)', '≥4 CPU nodes', lambda s: s.cpu_nodes >= 4),
    machine('pseries-numa', PSERIES + ('-cpu', 'POWER9', '-smp', '{smp}', '-m', '4G',
                                       '-object', 'memory-backend-ram,id=mem0,size=2G',
                                       '-object', 'memory-backend-ram,id=mem1,size=2G',
                                       '-numa', 'node,nodeid=0,cpus=0,memdev=mem0',
                                       '-numa', 'node,nodeid=1,cpus=1-{smp_last},memdev=mem1'),
            'two NUMA nodes of 2 GiB, CPU 0 in the first, the others in the second (QEMU 7.2 wants '
            'memdev= on pseries)',
            '≥2 NUMA nodes and memory nodes', lambda s: len(s.numa_nodes) >= 2 and len(s.memnodes) >= 2,
            run_all=True, min_smp=2),
    machine('pseries-hotplug', PSERIES + ('-cpu', 'POWER9', '-smp', '{smp}', '-m', '2G,slots=4,maxmem=8G',
                                          '-object', 'memory-backend-ram,id=m1,size=1G',
                                          '-device', 'pc-dimm,id=d1,memdev=m1'),
            'a pc-dimm makes the firmware describe memory in ibm,dynamic-reconfiguration-memory; '
            'free slots for crash hotplug (E2E_HOTPLUG)',
            '`ibm,dynamic-memory-v2`', _drmem_v2, run_all=True),
    machine('powernv9', ('-M', 'powernv9', '-smp', '{smp}', '-m', '4G'),
            'bare-metal POWER9 with skiboot (OPAL) from the qemu package; the console is the OPAL '
            'console hvc0 over the emulated UART',
            '`/ibm,opal`', lambda s: s.opal, run_all=True),
    machine('powernv9-8g', ('-M', 'powernv9', '-smp', '{smp}', '-m', '8G'),
            'powernv9 with 8 GiB (crashkernel at 4 GiB in the placement matrix)'),
    machine('powernv8', ('-M', 'powernv8', '-smp', '{smp}', '-m', '4G'),
            'POWER8 with skiboot: hash MMU only, the running kernel\'s hash page table a region '
            'kexec must avoid (/chosen linux,htab-base/size)',
            '`/ibm,opal` and `MMU : Hash`', lambda s: s.opal and s.hash_mmu),
    machine('pseries-power8', PSERIES + ('-cpu', 'POWER8', '-smp', '{smp}', '-m', '4G'),
            'hash MMU under pseries', '`MMU : Hash`', lambda s: s.hash_mmu),
    machine('pseries-power8-8g', PSERIES + ('-cpu', 'POWER8', '-smp', '{smp}', '-m', '8G'),
            'pseries-power8 with 8 GiB: crashkernel above the real-mode area and above 4 GiB, which '
            'the hash MMU cannot boot from (the placement matrix)', '`MMU : Hash`', lambda s: s.hash_mmu),
    machine('pseries-power10', PSERIES + ('-cpu', 'POWER10', '-smp', '{smp}', '-m', '4G'),
            'radix, the newest CPU QEMU 7.2 emulates', 'POWER10 in /proc/cpuinfo',
            lambda s: bool(re.search(r'POWER10', s.cpuinfo))),
    machine('pseries-8cpu', PSERIES + ('-cpu', 'POWER9', '-smp', '8', '-m', '4G'),
            '8 vCPUs (E2E_SMP is ignored): eight crash notes, eight CPU nodes; slow under TCG '
            '(raise E2E_TIMEOUT)',
            '≥8 CPU nodes', lambda s: s.cpu_nodes >= 8),
    machine('pseries-16g', PSERIES + ('-cpu', 'POWER9', '-smp', '{smp}', '-m', '4G,slots=4,maxmem=32G',
                                      '-object', 'memory-backend-ram,id=m1,size=12G',
                                      '-device', 'pc-dimm,id=d1,memdev=m1'),
            '16 GiB, 12 of them in a pc-dimm: ibm,dynamic-memory-v2 over 128 LMBs up to maxmem',
            '`ibm,dynamic-memory-v2`', _drmem_v2),
)
BY_NAME = {m.name: m for m in MACHINES}


class MachineError(Exception):
    """A machine name or E2E_SMP the table cannot build a machine from."""


def get(name):
    m = BY_NAME.get(name)
    if m is None:
        raise MachineError('usage: %%s %s' % '|'.join(x.name for x in MACHINES))
    return m


def qemu_args(name, smp):
    """The QEMU arguments of machine name with E2E_SMP = smp (a string, as -smp takes it)."""
    m = get(name)
    if m.min_smp > 1:
        try:
            ok = int(smp) >= m.min_smp
        except ValueError:
            ok = False
        if not ok:
            raise MachineError('%s needs E2E_SMP >= %d' % (name, m.min_smp))
        last = str(int(smp) - 1)
    else:
        last = None
    return [a.replace('{smp}', smp).replace('{smp_last}', last or '') for a in m.qemu]


def run_all_default():
    return [m.name for m in MACHINES if m.run_all]


def markdown_table():
    """scripts/e2e/README.md's Machines table (QEMU arguments shown with E2E_SMP=2)."""
    out = ['| MACHINE | QEMU | machine-shape wants | run-all | what for |', '| --- | --- | --- | --- | --- |']
    for m in MACHINES:
        args = ' '.join(a.replace('{smp}', '2').replace('{smp_last}', '1') for a in m.qemu)
        out.append('| `%s` | `%s` | %s | %s | %s |' % (m.name, args, m.shape_text or '(INFO only)',
                                                       'yes' if m.run_all else '', m.description))
    return '\n'.join(out) + '\n'
