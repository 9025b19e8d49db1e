"""makedumpfile check: the kdump kernel's makedumpfile wrote a non-empty dump."""
from . import Checks


def check(run):
    out = Checks()
    c, meta, timings, k2 = run.c, run.meta, run.timings, run.k2
    dump = c.marker('DUMP', lambda r: 'rc=' in r)
    if k2 and dump:
        d = dump[1]
        try:
            timings['makedumpfile_s'] = float(d.get('seconds'))
            timings['makedumpfile_bytes'] = int(d.get('size'))
        except (TypeError, ValueError):
            pass
        ok = d.get('rc') == '0' and d.get('size', '0') != '0'
        # Debian 12's makedumpfile (1.7.2) predates Linux 6.12 and says so: on the newer
        # kernels its failure is the tool's, not the dump's (the other checks read the dump)
        unsupported = (not ok and meta.get('kernel_choice', 'debian12') != 'debian12'
                       and b'kernel version is not supported' in (c.sec('k2-makedumpfile.txt') or b''))
        out.add('makedumpfile', ok,
                'makedumpfile %s rc=%s, output %s bytes, %s s%s'
                % (meta.get('makedumpfile_opts', ''), d.get('rc'), d.get('size'), d.get('seconds'),
                   '; Debian 12\'s makedumpfile does not support this kernel ("The kernel version is not '
                   'supported"), not counted' if unsupported else ''), 'INFO' if unsupported else None)
    elif k2:
        out.add('makedumpfile', False, 'no @@DUMP result marker')
    return out


def ready_to_dumped(run):
    """Seconds from the kdump kernel's /init to the dump written (a timing, no check)."""
    dump = run.c.marker('DUMP', lambda r: 'rc=' in r)
    k2 = run.k2
    if dump and dump[0] is not None and k2 and k2[0] is not None:
        run.timings['kdump_ready_to_dumped_s'] = dump[0] - k2[0]
