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
    # only jkexec enlarges the backup region, and only its record of the load tells the first
    # kernel how far to hash (another loader's first PT_LOAD is its own business)
    blocks = backup_blocks(c.sec('k1-lowblocks.txt'), c.sec('k2-oldlowblocks.txt'), c.sec('k2-ownlowblocks.txt')) \
        if run.jkexec_run() else Checks()
    out += backup_region(c.sec('k1-lowmem.bin'), c.sec('k2-oldlowmem.bin'), c.sec('k2-ownlowmem.bin'),
                         blocks[0].status == 'PASS' if blocks else None)
    out += blocks
    return out


def _hashes(text):
    return [w for w in (text or '').split() if len(w) == 32]


def backup_blocks(k1, old, own):
    """A backup region beyond 64 KiB, as md5 sums of each 256 KiB: the crashed kernel's before the
    crash (k1), the dump's (old) and the kdump kernel's own (own). The dump holds the crashed
    kernel's memory when some block the kdump kernel changed still reads as the crashed
    kernel's in the dump, and no block reads as the kdump kernel's own where that differs from
    the crashed kernel's. Nothing to check (no item) when the region is the kernel's 64 KiB."""
    out = Checks()
    old_h = _hashes(old)
    if not old_h:
        return out
    k1_h, own_h = _hashes(k1), _hashes(own)
    if len(k1_h) != len(old_h) or len(own_h) != len(old_h):
        out.add('backup-blocks', False, 'backup region of %d blocks of 256 KiB in the dump; the crashed kernel hashed %d, '
                'the kdump kernel its own %d' % (len(old_h), len(k1_h), len(own_h)))
        return out
    crashed = sum(1 for a, b, c in zip(k1_h, old_h, own_h) if b == a and c != a)
    own_only = sum(1 for a, b, c in zip(k1_h, old_h, own_h) if b == c and c != a)
    same = sum(1 for a, c in zip(k1_h, own_h) if a == c)
    out.add('backup-blocks', crashed > 0 and own_only == 0,
            '%d blocks of 256 KiB in the backup region: %d read as the crashed kernel\'s where the kdump kernel\'s own '
            'differ, %d as the kdump kernel\'s own where the crashed kernel\'s differ; %d alike in both kernels'
            % (len(old_h), crashed, own_only, same))
    return out


def backup_region(k1low, old, own, blocks_passed=None):
    """Physical 0..64K as the first kernel read it before the crash (k1low), as the dump shows
    it (old), and as the kdump kernel itself has it (own). A kdump kernel that runs at 0 as the
    same kernel has about the crashed kernel's first 64 KiB as its own: then the blocks of the
    whole backup region decide (blocks_passed)."""
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
        # the same kernel running at 0 has about the crashed kernel's first 64 KiB as its own
        alike = d_own is not None and d_own <= d_k1 and blocks_passed is not None
        ok = d_k1 < 4096 and (d_own is None or d_k1 < d_own or (alike and blocks_passed))
        out.add('backup-region', ok,
                'physical 0..64K in the dump vs the crashed kernel\'s (read before the crash): %d bytes differ; '
                'kdump kernel\'s own 0..64K vs crashed kernel\'s: %s; dump vs kdump kernel\'s own: %s%s'
                % (d_k1, d_own, d_old_own,
                   '; the kdump kernel\'s own are as close to the crashed kernel\'s, so the backup region\'s blocks decide' if alike else ''))
    return out
