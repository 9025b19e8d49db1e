"""Each check family on synthetic run directories (no QEMU): what passes, what fails, and the
Check records they return."""
import json
import os
import shutil
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from harness import checks  # noqa: E402
from harness.checks import Check, Run, boot, dump, hotplug, load, makedumpfile, plan, udev, vmcore  # noqa: E402
from harness.parsers import fdt_nop_property  # noqa: E402
from harness.tests import fixtures as f  # noqa: E402


class RunDir(unittest.TestCase):
    """A temporary run directory per test."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def run_of(self, console, **meta):
        f.rundir(self.dir, console, **meta)
        r = Run(self.dir)
        r.write_sections()
        return r

    def status(self, records):
        for r in records:
            self.assertIsInstance(r, Check)
        return {r.name: r.status for r in records}


class BootTest(RunDir):

    def test_no_first_kernel(self):
        c = f.Console().line('SLOF starting').line('Trying to load')
        r = self.run_of(c, qemu_rc=125)
        out = checks.check(r)
        self.assertEqual([(x.name, x.status) for x in out], [('k1-boot', 'FAIL'), ('poweroff', 'FAIL')])
        self.assertIn('no console output for 120s', out[1].detail)
        self.assertIn("'Trying to load'", out[1].detail)

    def test_machine_shape_is_the_tables(self):
        c = f.Console().mark('K1')
        c.b64('k1-fdt.bin', f.fdt({'/': {}, '/ibm,opal': {}, '/cpus': {}, '/cpus/c@0': {}}))
        c.text('k1-cpuinfo.txt', 'MMU\t\t: Hash\n')
        for machine, want in (('powernv8', 'PASS'), ('powernv9', 'PASS'), ('pseries-power8', 'PASS'),
                              ('pseries-numa', 'FAIL'), ('pseries-8cpu', 'FAIL'), ('pseries-4g', 'INFO')):
            out = boot.machine_shape(self.run_of(c, machine=machine))
            self.assertEqual(self.status(out)['machine-shape'], want, machine)
        self.assertEqual(out[0].detail, '0 memory node(s) , drmem absent, NUMA nodes 0, , OPAL, MMU hash, 1 CPU nodes')

    def test_a_silent_kdump_kernel(self):
        r = self.run_of(f.kdump_console(k2=False), qemu_rc=125)
        out = boot.kdump_kernel(r)
        self.assertEqual(self.status(out), {'kdump-boot': 'FAIL', 'kdump-diagnosis': 'INFO'})
        self.assertIn('no console output for 120s', out[0].detail)
        self.assertIn('purgatory never printed', out[1].detail)

    def test_kdump_boot_skipped_without_a_crash(self):
        r = self.run_of(f.Console().mark('K1'))
        self.assertEqual(self.status(boot.kdump_kernel(r)), {'kdump-boot': 'SKIP'})

    def test_end_reports_guest_failures_then_poweroff(self):
        c = f.Console().mark('K1').mark('FAIL', 'makedumpfile missing').mark('DONE', 'k2')
        out = boot.end(self.run_of(c))
        self.assertEqual(out, [Check('guest-fail', 'FAIL', 'makedumpfile missing'),
                               Check('poweroff', 'PASS', 'guest powered off after k2')])

    def test_kexec_mode(self):
        c = f.Console().at(1).mark('K0').mark('KEXECLOAD', 'rc=0 seconds=3.5 kexec_loaded=1 kexec_crash_loaded=0')
        c.mark('KEXECTOKEN', 'token=abc crash_base=0x20000000').text('k0-cmdline.txt', 'BOOT_IMAGE=x console=hvc0')
        c.at(5).mark('KEXECING').at(8).mark('KEXECED', 'token=abc crash_size=536870912 crash_base=0x20000000')
        c.text('k1-kexeced-cmdline.txt', 'console=hvc0 e2e_kexec_token=abc')
        r = self.run_of(c, mode='kexec')
        out = boot.kexec(r)
        self.assertEqual(set(self.status(out).values()), {'PASS'})
        self.assertEqual(len(out), 6)
        self.assertEqual(r.timings, {'kexec_load_s': 3.5, 'kexec_to_init_s': 3.0})


class LoadTest(RunDir):

    def test_a_good_load(self):
        out = load.check(self.run_of(f.kdump_console()))
        self.assertEqual(self.status(out), {'load': 'PASS'})

    def test_a_failed_load_shows_the_loaders_last_lines(self):
        c = f.Console().mark('K1').mark('LOAD', 'rc=1 seconds=4.0 error=refused').mark('LOADED', 'kexec_crash_loaded=0')
        c.text('k1-jkexec-load.txt', 'a\nb\nc\njkexec: crashkernel above 4 GiB (exit 1)\n')
        out = load.check(self.run_of(c, loader='jkexec'))
        self.assertEqual(self.status(out), {'load': 'FAIL', 'load-output': 'INFO'})
        self.assertTrue(out[0].detail.endswith('kexec_crash_loaded=0; rc=1 seconds=4.0 error=refused'))
        self.assertEqual(out[1].detail, 'b | c | jkexec: crashkernel above 4 GiB (exit 1)')

    def test_jkexec_steps_phases_pair_and_a_refused_reload(self):
        c = f.Console().mark('K1').mark('JAVAVERSION', 'rc=0 seconds=5.0').mark('PLAN', 'rc=0 seconds=9')
        c.mark('DRYRUN', 'rc=0 seconds=8').mark('PAIR', 'rc=0 seconds=2.0')
        c.text('k1-jkexec-load.txt', 'loaded (2400 ms: machine 900, planning 700)\n')
        c.mark('LOAD', 'rc=0 seconds=5.0').mark('LOADED', 'kexec_crash_loaded=1')
        c.mark('RELOAD', 'rc=1 kexec_crash_loaded=1 args=--placement,kernel')
        c.text('k1-jkexec-reload.txt', 'jkexec: refused\n')
        r = self.run_of(c, loader='jkexec')
        out = load.check(r)
        self.assertEqual([x.name for x in out], ['java-version', 'jkexec-plan', 'jkexec-dry-run', 'load-phases',
                                                 'load-ratio', 'load', 'refused-reload'])
        self.assertEqual(self.status(out)['refused-reload'], 'PASS')
        self.assertIn('2.5x', out[4].detail)
        self.assertIn('above `java -version` (5.00 s): 0.00 s, 0.00x', out[4].detail)
        self.assertEqual(r.timings, {'java_version_s': 5.0, 'load_s': 5.0, 'pair_kexec_tools_load_s': 2.0,
                                     'load_above_jvm_s': 0.0})

    def test_pair_reload_takes_two_jvm_starts_off(self):
        c = f.Console().mark('K1').mark('JAVAVERSION', 'rc=0 seconds=1.5')
        c.mark('PAIR', 'rc=0 seconds=0.8 reload_rc=0,0 reload_seconds=1.0')
        c.mark('LOAD', 'rc=0 seconds=3.0').mark('LOADED', 'kexec_crash_loaded=1')
        c.mark('PAIRRELOAD', 'loader=jkexec rc=0,0 seconds=4.5')
        r = self.run_of(c, loader='jkexec')
        out = {x.name: x for x in load.check(r)}
        self.assertEqual(out['reload'].status, 'PASS')
        self.assertIn('jkexec 4.50 s (rc=0,0), kexec-tools 1.00 s (rc=0,0): 4.5x', out['reload'].detail)
        self.assertIn('above two `java -version`: 1.50 s, 1.50x', out['reload'].detail)
        self.assertIn('above `java -version` (1.50 s): 1.50 s, 1.88x', out['load-ratio'].detail)
        self.assertEqual(r.timings['reload_above_jvm_s'], 1.5)

    def lockdown_console(self, c_rc='1', loaded_after_c='1', note=True):
        c = f.Console().mark('K1').mark('LOAD', 'rc=0 seconds=4.3').mark('LOADED', 'kexec_crash_loaded=1')
        c.text('k1-jkexec-load.txt', ("jkexec: note: kernel lockdown is 'integrity' (...), which forbids kexec_load: "
                                      "loading with kexec_file_load, the kernel places the segments\n" if note else '')
               + 'kexec_file_load: /vmlinux loaded for crash (2057 ms)\n')
        c.text('k1-lockdown.txt', 'none [integrity] confidentiality\n')
        c.text('k1-lockdown-c.txt', "kexec: kernel lockdown is 'integrity' (...), which forbids kexec_load\n")
        c.mark('LOCKDOWNC', 'rc=%s kexec_crash_loaded=%s' % (c_rc, loaded_after_c))
        return c.mark('LOCKDOWNKEXEC', 'unload_rc=0 rc=0 seconds=4.5 kexec_crash_loaded=1')

    def test_lockdown(self):
        out = load.check(self.run_of(self.lockdown_console(), loader='jkexec', syscall='kexec_file_load'))
        self.assertEqual(self.status(out), {'load': 'PASS', 'lockdown': 'PASS', 'lockdown-load-note': 'PASS',
                                            'lockdown-kexec-c': 'PASS', 'lockdown-kexec-p': 'PASS'})
        # kexec -c -p that loaded, or that unloaded what was loaded, fails; so does a silent switch
        for console, failed in ((self.lockdown_console(c_rc='0'), 'lockdown-kexec-c'),
                                (self.lockdown_console(loaded_after_c='0'), 'lockdown-kexec-c'),
                                (self.lockdown_console(note=False), 'lockdown-load-note')):
            out = load.check(self.run_of(console, loader='jkexec'))
            self.assertEqual(self.status(out)[failed], 'FAIL')

    def test_java_version_mode(self):
        c = f.Console().mark('K1').mark('JAVAVERSION', 'run=1 rc=0 seconds=6.5').mark('JAVAVERSION', 'run=2 rc=0 seconds=2.5')
        c.text('k1-java-version-1.txt', 'openjdk version "17.0.13"\n').mark('DONE')
        r = self.run_of(c, mode='java-version')
        out = checks.check(r)
        self.assertEqual([x.name for x in out], ['k1-boot', 'java-version-1', 'java-version-2', 'java-version-text',
                                                 'poweroff'])
        self.assertEqual(r.timings['java_version_2_s'], 2.5)


class VmcoreTest(RunDir):

    def test_exact_coverage_and_size(self):
        out = vmcore.check(self.run_of(f.kdump_console()))
        self.assertEqual(self.status(out), {'vmcore': 'PASS', 'vmcore-coverage': 'PASS', 'vmcore-size': 'PASS'})
        self.assertTrue(out[1].detail.endswith('matched exact'))
        self.assertTrue(os.path.exists(os.path.join(self.dir, 'out', 'k2-vmcore-phdrs.txt')))

    def test_firmware_rounded_to_64k_pages_is_a_full_dump(self):
        base, size = f.RTAS
        loads = [(0, f.CK_BASE), (f.CK_BASE + f.CK_SIZE, 4 * f.GIB - f.CK_BASE - f.CK_SIZE), (base & ~0xffff, 0x10000)]
        out = vmcore.check(self.run_of(f.kdump_console(vmcore_loads=loads)))
        self.assertTrue(out[1].detail.endswith('matched page-rounded'))

    def test_a_dump_without_the_firmware_fails(self):
        loads = [(0, f.CK_BASE), (f.CK_BASE + f.CK_SIZE, 4 * f.GIB - f.CK_BASE - f.CK_SIZE)]
        out = vmcore.check(self.run_of(f.kdump_console(vmcore_loads=loads)))
        self.assertEqual(self.status(out)['vmcore-coverage'], 'FAIL')

    def test_crashkernel_cma_areas_are_left_out_of_a_full_dump(self):
        # crashkernel=SIZE,cma: the kernel's own kexec_file_load excludes each area from the dump
        cma = (0xe0000000, 0x8000000)
        high = f.CK_BASE + f.CK_SIZE
        loads = [(0, f.CK_BASE), (high, cma[0] - high), (cma[0] + cma[1], 4 * f.GIB - cma[0] - cma[1]), f.RTAS]
        c = f.kdump_console(vmcore_loads=loads)
        out = vmcore.check(self.run_of(c))
        self.assertEqual(self.status(out)['vmcore-coverage'], 'FAIL')  # without the areas: a hole
        c.text('k1-crashcma.txt', '%08x-%08x\n' % (cma[0], cma[0] + cma[1] - 1))
        out = vmcore.check(self.run_of(c))
        self.assertEqual(self.status(out)['vmcore-coverage'], 'PASS', out[1].detail)
        self.assertIn('CMA areas 0xe0000000-0xe7ffffff', out[1].detail)

    def test_no_header(self):
        c = f.kdump_console()
        c.lines = [x for x in c.lines if 'vmcorehdr' not in x[1]]
        out = vmcore.check(self.run_of(c))
        self.assertEqual(self.status(out), {'vmcore': 'FAIL', 'vmcore-header': 'FAIL'})


class DumpTest(RunDir):

    def test_token_and_backup_region(self):
        self.assertEqual(self.status(dump.check(self.run_of(f.kdump_console()))),
                         {'dump-token': 'PASS', 'backup-region': 'PASS'})
        self.assertEqual(self.status(dump.check(self.run_of(f.kdump_console(token='mismatch'))))['dump-token'], 'FAIL')

    def test_backup_region_without_the_first_kernels_copy(self):
        low = bytes(65536)
        self.assertEqual(dump.backup_region(None, low, b'\1' * 65536)[0].status, 'PASS')
        self.assertEqual(dump.backup_region(None, low, low)[0].status, 'FAIL')     # the dump is the kdump kernel's own
        self.assertEqual(dump.backup_region(None, low, None)[0].status, 'SKIP')
        self.assertEqual(dump.backup_region(low, low[:100], low)[0].status, 'FAIL')
        self.assertEqual(dump.backup_region(low, b'\1' * 65536, low)[0].status, 'FAIL')

    def test_backup_region_of_a_kdump_kernel_at_zero(self):
        # the same kernel at 0: its own first 64 KiB are the crashed kernel's, the blocks decide
        low = bytes(65536)
        dumped = b'\1' * 43 + bytes(65536 - 43)
        self.assertEqual(dump.backup_region(low, dumped, low, True)[0].status, 'PASS')
        self.assertEqual(dump.backup_region(low, dumped, low, False)[0].status, 'FAIL')
        self.assertEqual(dump.backup_region(low, dumped, low, None)[0].status, 'FAIL')
        # its own 64 KiB a byte apart from the crashed kernel's: still the blocks decide
        own = b'\2' + bytes(65535)
        self.assertEqual(dump.backup_region(low, dumped, own, True)[0].status, 'PASS')
        self.assertEqual(dump.backup_region(low, dumped, own, False)[0].status, 'FAIL')

    def test_backup_blocks(self):
        def h(*xs):
            return '\n'.join('%032x' % x for x in xs)
        crashed, own = h(0, 1, 2, 3), h(0, 1, 12, 13)
        passed = dump.backup_blocks(crashed, h(0, 1, 2, 9), own)
        self.assertEqual(passed[0].status, 'PASS')
        self.assertIn('1 read as the crashed kernel', passed[0].detail)
        # the dump reads the kdump kernel's own memory
        self.assertEqual(dump.backup_blocks(crashed, own, own)[0].status, 'FAIL')
        # a block as the kdump kernel's own, even beside the crashed kernel's
        self.assertEqual(dump.backup_blocks(crashed, h(0, 1, 2, 13), own)[0].status, 'FAIL')
        # the crashed kernel's hashes missing
        self.assertEqual(dump.backup_blocks(None, h(0, 1, 2, 3), own)[0].status, 'FAIL')
        # the kernel's 64 KiB: nothing to check
        self.assertEqual(dump.backup_blocks(None, None, None), [])

    def test_nothing_without_a_kdump_kernel(self):
        self.assertEqual(dump.check(self.run_of(f.kdump_console(k2=False))), [])


class HotplugTest(RunDir):
    DIMM = 0xc0000000

    def console(self, cpus_after=2, covered=True):
        loads = [(0, f.CK_BASE), (f.CK_BASE + f.CK_SIZE, 4 * f.GIB - f.CK_BASE - f.CK_SIZE), f.RTAS]
        if covered:
            loads.append((4 * f.GIB, 1 << 30))
        c = f.kdump_console(vmcore_loads=loads, hp_cpus=cpus_after)
        c.mark('QMP', 'mem=ok cpu=ok').mark('HOTPLUG', 'done blocks=16->20 cpus=1->%d token=written' % cpus_after)
        c.mark('HPTOKEN2', 'result=%s' % ('match' if covered else 'mismatch'))
        c.b64('k2-fdt.bin', f.fdt({'/': {}, '/cpus': {}, '/cpus/c@0': {'ibm,ppc-interrupt-server#s': b'\0' * 4},
                                   '/cpus/c@8': {'ibm,ppc-interrupt-server#s': b'\0' * 4}}))
        return c

    def test_memory_and_cpu_in_the_dump(self):
        out = hotplug.check(self.run_of(self.console(), hotplug='0x100000000'))
        self.assertEqual(self.status(out), {'hotplug': 'PASS', 'hotplug-memory-in-dump': 'PASS',
                                            'hotplug-cpu-in-dump': 'PASS'})

    def test_expected_missing(self):
        out = hotplug.check(self.run_of(self.console(covered=False, cpus_after=1), hotplug='0x100000000',
                                        hotplug_expect='missing'))
        self.assertEqual(self.status(out)['hotplug-memory-in-dump'], 'PASS')
        out = hotplug.check(self.run_of(self.console(covered=False), hotplug='0x100000000'))
        self.assertEqual(self.status(out)['hotplug-memory-in-dump'], 'FAIL')

    def test_nothing_without_hotplug(self):
        self.assertEqual(hotplug.check(self.run_of(self.console())), [])

    def test_plan_checks_are_not_counted_after_a_hotplug(self):
        r = self.run_of(self.console(), hotplug='0x100000000')
        out = [Check('plan-fdt', 'FAIL', 'x'), Check('load', 'FAIL', 'y')]
        hotplug.not_counted_after_hotplug(r, out)
        self.assertEqual([x.status for x in out], ['INFO', 'FAIL'])
        self.assertTrue(out[0].detail.startswith('x; not counted'))


class UdevTest(RunDir):
    """E2E_UDEV=1: the reloads jkexec-kexec's udev rule started, against what crash_hotplug says."""
    UDEV = 'console=hvc0 crashkernel=512M panic=5 e2e.mode=kdump-tools e2e.hotplug=0xc0000000 e2e.udev=1'

    def console(self, hotplug='1', reloads=0, reloads_ok=None, memory_online=4, cpu_events=2, rc=0, settled=True,
                packaged_rule=3, diverted_rule=1):
        c = f.kdump_console()
        c.mark('UDEV', 'started rc=%d packaged_rule=%d diverted_rule=%d crash_hotplug_memory=%s crash_hotplug_cpu=%s '
               'uptime=9.1' % (rc, packaged_rule, diverted_rule, hotplug, hotplug))
        if settled:
            c.mark('UDEV', 'settled events=%d memory_online=%d cpu_events=%d reloads=%d reloads_ok=%d '
                   'kexec_crash_loaded=1 waited=0 uptime=30.2'
                   % (memory_online + cpu_events + 4, memory_online, cpu_events, reloads,
                      reloads if reloads_ok is None else reloads_ok))
        return c

    def verdict(self, console, kernel='debian13'):
        out = udev.check(self.run_of(console, append=self.UDEV, kernel_choice=kernel))
        self.assertEqual([x.name for x in out], ['udev-reloads', 'udev-rule'])
        return out[0]

    def rule(self, console):
        return udev.check(self.run_of(console, append=self.UDEV, kernel_choice='debian13'))[1]

    def test_the_installed_rule_in_place_of_kdump_tools(self):
        self.assertEqual(self.rule(self.console()).status, 'PASS')

    def test_kdump_tools_rule_still_read_fails(self):
        self.assertEqual(self.rule(self.console(packaged_rule=0)).status, 'FAIL')
        v = self.rule(self.console(diverted_rule=0))
        self.assertEqual(v.status, 'FAIL')
        self.assertIn('not diverted', v.detail)

    def test_no_reload_under_crash_hotplug(self):
        self.assertEqual(self.verdict(self.console()).status, 'PASS')

    def test_a_reload_under_crash_hotplug_fails(self):
        v = self.verdict(self.console(reloads=1))
        self.assertEqual(v.status, 'FAIL')
        self.assertIn('no reload expected', v.detail)

    def test_reloads_without_crash_hotplug(self):
        self.assertEqual(self.verdict(self.console(hotplug='absent', reloads=6), 'debian12').status, 'PASS')

    def test_no_reload_without_crash_hotplug_fails(self):
        self.assertEqual(self.verdict(self.console(hotplug='absent'), 'debian12').status, 'FAIL')

    def test_a_failed_reload_fails(self):
        self.assertEqual(self.verdict(self.console(hotplug='absent', reloads=6, reloads_ok=5), 'debian12').status,
                         'FAIL')

    def test_zero_proves_nothing_without_events(self):
        v = self.verdict(self.console(cpu_events=0))
        self.assertEqual(v.status, 'FAIL')
        self.assertIn('proves nothing', v.detail)

    def test_crash_hotplug_not_what_the_kernel_gives(self):
        # a 6.12 load without the hotplug flags reads 0: the run would not show what it is for
        v = self.verdict(self.console(hotplug='0', reloads=6))
        self.assertEqual(v.status, 'FAIL')
        self.assertIn('crash_hotplug is not what', v.detail)

    def test_udevd_not_started_or_not_settled(self):
        self.assertEqual(self.verdict(self.console(rc=1)).status, 'FAIL')
        self.assertIn('never settled', self.verdict(self.console(settled=False)).detail)

    def test_nothing_without_udev(self):
        self.assertEqual(udev.check(self.run_of(self.console(), append='console=hvc0')), [])


class MakedumpfileTest(RunDir):

    def test_dump_written(self):
        r = self.run_of(f.kdump_console())
        self.assertEqual(self.status(makedumpfile.check(r)), {'makedumpfile': 'PASS'})
        makedumpfile.ready_to_dumped(r)
        self.assertEqual(r.timings, {'makedumpfile_s': 12.5, 'makedumpfile_bytes': 123456,
                                     'kdump_ready_to_dumped_s': 15.0})

    def test_an_old_makedumpfile_on_a_new_kernel_is_not_counted(self):
        c = f.kdump_console()
        c.lines = [x for x in c.lines if not x[1].startswith('@@DUMP')]
        c.mark('DUMP', 'rc=1 size=0 seconds=0.1').text('k2-makedumpfile.txt', 'The kernel version is not supported.\n')
        self.assertEqual(self.status(makedumpfile.check(self.run_of(c, kernel_choice='source-6.12'))),
                         {'makedumpfile': 'INFO'})
        self.assertEqual(self.status(makedumpfile.check(self.run_of(c))), {'makedumpfile': 'FAIL'})


class PlanTest(RunDir):

    def test_the_planned_fdt_equals_the_received_after_the_two_later_edits(self):
        planned = bytearray(f.fdt({'/': {}, '/chosen': {'rng-seed': b'\5' * 8, 'bootargs': b'x\0'}}))
        received = bytearray(planned)
        struct.pack_into('>I', received, 28, 3)            # boot_cpuid_phys: the crashing CPU
        fdt_nop_property(received, b'rng-seed')            # rng-seed: NOPs in the kdump kernel
        c = f.kdump_console().b64('k1-plan-kdump.dtb', bytes(planned)).b64('k2-fdt.bin', bytes(received))
        hdr = f.elf_core([(0, 4096)])
        c.b64('k1-plan-elfcorehdr.bin', hdr).b64('k2-elfcorehdr.bin', hdr + b'\xff' * 64)
        os.environ.pop('JKEXEC_JAR_HOST', None)
        out = plan.check(self.run_of(c))
        self.assertEqual(self.status(out), {'plan-fdt': 'PASS', 'plan-elfcorehdr': 'PASS'})
        with open(os.path.join(self.dir, 'out', 'k2-elfcorehdr.cut.bin'), 'rb') as fh:
            self.assertEqual(fh.read(), hdr)

    def test_plan_equals_kernel_is_skipped_without_a_jar(self):
        os.environ['JKEXEC_JAR_HOST'] = os.path.join(self.dir, 'no.jar')
        self.addCleanup(os.environ.pop, 'JKEXEC_JAR_HOST', None)
        out = plan.check(self.run_of(f.kdump_console(), loader='jkexec'))
        self.assertEqual(out, [Check('plan-equals-kernel', 'SKIP', 'no jkexec.jar or java on the host')])


class PlanVmcoreSizeTest(unittest.TestCase):

    def test_exact_or_at_most(self):
        size = (0, {}, '4096')
        self.assertEqual(plan.plan_vmcore_size('{"vmcore": {"size": 4096, "exact": true}}', size),
                         [Check('plan-vmcore-size', 'PASS', '/proc/vmcore is 4096 bytes; the plan predicted 4096')])
        self.assertEqual(plan.plan_vmcore_size('{"vmcore": {"size": 4095, "exact": false}}', size)[0].status, 'FAIL')
        self.assertEqual(plan.plan_vmcore_size('{"vmcore": {"size": 8192, "exact": false}}', size)[0].detail,
                         '/proc/vmcore is 4096 bytes; the plan predicted at most 8192')

    def test_nothing_to_compare_and_a_broken_plan(self):
        self.assertEqual(plan.plan_vmcore_size('{"vmcore": {"size": 1}}', None), [])
        self.assertEqual(plan.plan_vmcore_size('{}', (0, {}, '4096')), [])
        self.assertEqual(plan.plan_vmcore_size('{no', (0, {}, '4096')),
                         [Check('plan-vmcore-size', 'FAIL', 'plan.json does not parse')])


class WholeRunTest(RunDir):

    def test_a_good_run_passes_every_check_in_order(self):
        out = checks.check(self.run_of(f.kdump_console()))
        self.assertEqual([x.name for x in out if x.status != 'INFO'],
                         ['k1-boot', 'load', 'kdump-boot', 'vmcore', 'vmcore-coverage', 'vmcore-size', 'dump-token',
                          'backup-region', 'makedumpfile', 'poweroff'])
        self.assertEqual({x.status for x in out}, {'PASS', 'INFO'})

    def test_a_jkexec_run_that_never_reached_kdump_reports_every_promised_check(self):
        os.environ['JKEXEC_JAR_HOST'] = os.path.join(self.dir, 'no.jar')
        self.addCleanup(os.environ.pop, 'JKEXEC_JAR_HOST', None)
        c = f.kdump_console(k2=False, low=False).b64('k1-jkexec-capture.tgz', b'\0\1', noise=['[  1.5,3] SBE: Timer'])
        out = checks.check(self.run_of(c, loader='jkexec', qemu_rc=124))
        st = self.status(out)
        for n in ('java-version', 'jkexec-plan', 'jkexec-dry-run', 'vmcore', 'dump-token', 'plan-equals-kernel'):
            self.assertEqual(st[n], 'SKIP', n)
        self.assertEqual(st['console-noise'], 'INFO')
        self.assertEqual(out[-1].name, 'poweroff')
        self.assertIn('(timeout 300s)', out[-1].detail)

    def test_summary_and_result(self):
        from harness.cli import cmd_check
        from harness import report
        f.rundir(self.dir, f.kdump_console())
        import contextlib
        import io
        with contextlib.redirect_stdout(io.StringIO()) as so:
            self.assertEqual(cmd_check(self.dir), 0)
        with open(os.path.join(self.dir, 'summary.txt')) as fh:
            self.assertEqual(fh.read(), so.getvalue())
        with open(os.path.join(self.dir, 'result.json')) as fh:
            j = json.load(fh)
        self.assertTrue(j['ok'])
        self.assertEqual(list(j['timings']), ['boot_s', 'load_s', 'crash_to_kdump_s', 'vmcore_bytes', 'makedumpfile_s',
                                              'makedumpfile_bytes', 'kdump_ready_to_dumped_s', 'total_s'])
        self.assertEqual(report.outcome(self.dir), ('dump', 'dumps completely, all checks pass (100 s)'))


if __name__ == '__main__':
    unittest.main()
