"""udev runs (E2E_UDEV=1): systemd-udevd in the guest with jkexec-kexec's udev rule, memory and
a CPU hot-added after kdump-config's load. Where the kernel updates the loaded image itself
(both crash_hotplug attributes read 1) the rule must start no reload; where it does not, it
must reload as kdump-tools' own rule does, and every reload must leave a kdump kernel loaded.
A count of zero proves nothing unless udev saw the events: the harness's own rule logs them."""
from . import Checks


def udev_run(meta):
    return 'e2e.udev=1' in (meta.get('append') or '').split()


def expects_crash_hotplug(meta):
    """Debian 12's 6.1 predates crash hotplug on ppc64 (6.10); the other kernels have it."""
    return meta.get('kernel_choice', 'debian12') != 'debian12'


def reload_verdict(started, settled, expect_hotplug):
    """(ok, detail) from the @@UDEV started and settled facts (dicts, None when missing)."""
    if not started or started.get('rc') != '0':
        return False, 'systemd-udevd did not start (%s)' % (started or 'no @@UDEV started')
    if not settled:
        return False, 'udev never settled after the hotplug (no @@UDEV settled)'
    mem, cpu = started.get('crash_hotplug_memory'), started.get('crash_hotplug_cpu')
    hotplug = mem == '1' and cpu == '1'
    n = int(settled.get('reloads', -1))
    ok_reloads = int(settled.get('reloads_ok', -1))
    seen = int(settled.get('memory_online', 0)) >= 1 and int(settled.get('cpu_events', 0)) >= 1
    detail = ('crash_hotplug memory=%s cpu=%s (expected %s); udev saw %s events (%s memory online, %s CPU); '
              'kdump-config try-reload %d time(s), %d succeeded; kexec_crash_loaded=%s after settling'
              % (mem, cpu, '1' if expect_hotplug else 'absent or 0', settled.get('events'),
                 settled.get('memory_online'), settled.get('cpu_events'), n, ok_reloads,
                 settled.get('kexec_crash_loaded')))
    if not seen:
        return False, detail + '; without a memory and a CPU event the count proves nothing'
    if hotplug != expect_hotplug:
        return False, detail + '; crash_hotplug is not what this kernel and load should give'
    if hotplug:
        return n == 0, detail + ('' if n == 0 else '; the kernel updates the image: no reload expected')
    ok = n >= 1 and ok_reloads == n and settled.get('kexec_crash_loaded') == '1'
    return ok, detail + ('' if ok else '; without crash hotplug every event must reload, and each reload load')


def check(run):
    out = Checks()
    if not udev_run(run.meta):
        return out
    started = run.c.marker('UDEV', lambda r: r.startswith('started'))
    settled = run.c.marker('UDEV', lambda r: r.startswith('settled'))
    ok, detail = reload_verdict(started and started[1], settled and settled[1], expects_crash_hotplug(run.meta))
    out.add('udev-reloads', ok, detail)
    if started:
        ok, detail = rule_verdict(started[1])
        out.add('udev-rule', ok, detail)
    return out


def rule_verdict(started):
    """(ok, detail): the rule udev read is the installed jkexec-kexec's, kdump-tools' diverted."""
    packaged = started.get('packaged_rule', '0') not in ('', '0')
    diverted = started.get('diverted_rule') == '1'
    detail = ('50-kdump-tools.rules %s; kdump-tools\' own %s'
              % ('is jkexec-kexec\'s (it tests crash_hotplug)' if packaged else 'is not jkexec-kexec\'s',
                 'diverted to 50-kdump-tools.rules.kdump-tools' if diverted else 'not diverted'))
    return packaged and diverted, detail
