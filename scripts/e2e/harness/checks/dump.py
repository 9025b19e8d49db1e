"""Dump checks: the dump holds the crashed kernel's memory (the token it planted) and the
crashed kernel's low 64 KiB, which the kdump kernel overwrote (the backup region)."""
from ..parsers import diffcount
from . import Checks

LOW = 65536


def check(run):
    out = Checks()
    c = run.c
    if not run.k2:
        return out
    t1 = c.marker('TOKEN1')
    t2 = c.marker('TOKEN2')
    if t2:
        out.add('dump-token', t2[1].get('result') == 'match',
                'token planted at %s by the first kernel (%s) read back from /proc/vmcore: %s'
                % (t2[1].get('pa'), 'kcore=' + t1[1].get('kcore', '?') if t1 else 'no TOKEN1', t2[2]))
    else:
        out.add('dump-token', False, 'no @@TOKEN2 marker')
    out += backup_region(c.sec('k1-lowmem.bin'), c.sec('k2-oldlowmem.bin'), c.sec('k2-ownlowmem.bin'))
    return out


def backup_region(k1low, old, own):
    """Physical 0..64K as the first kernel read it before the crash (k1low), as the dump shows
    it (old), and as the kdump kernel itself has it (own)."""
    out = Checks()
    own_ok = own and len(own) == LOW
    if old is None or len(old) != LOW:
        out.add('backup-region', False, 'could not read physical 0..64K from /proc/vmcore')
    elif k1low is None or len(k1low) != LOW:
        detail = 'first kernel could not read its low memory; '
        if own_ok:
            d = diffcount(old, own)
            out.add('backup-region', d > 0, detail + 'dump vs kdump kernel\'s own 0..64K: %d bytes differ' % d)
        else:
            out.add('backup-region', True, detail + 'nothing to compare', 'SKIP')
    else:
        d_k1 = diffcount(old, k1low)
        d_own = diffcount(own, k1low) if own_ok else None
        d_old_own = diffcount(old, own) if own_ok else None
        ok = d_k1 < 4096 and (d_own is None or d_k1 < d_own)
        out.add('backup-region', ok,
                'physical 0..64K in the dump vs the crashed kernel\'s (read before the crash): %d bytes differ; '
                'kdump kernel\'s own 0..64K vs crashed kernel\'s: %s; dump vs kdump kernel\'s own: %s'
                % (d_k1, d_own, d_old_own))
    return out
