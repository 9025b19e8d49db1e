"""A Linux kernel's printk records, recovered from a raw image of its memory (stdlib only).

When a kdump kernel stops before its console prints anything, its log still sits in its own
memory, inside crashkernel. The harness saves that region through QMP (pmemsave) and this
module finds the log in it without symbols, from the layout of the printk ring buffer that
Linux has used since 5.10 (kernel/printk/printk_ringbuffer.h):

- the text data ring is a byte array of blocks, each an 8-byte little-endian descriptor id
  followed by the record's text (no terminator) and padded to 8 bytes; consecutive records
  have consecutive ids;
- the info array holds one 88-byte struct printk_info per descriptor: seq (u64), ts_nsec
  (u64), text_len (u16), facility, flags/level, caller_id, dev_info; seq is congruent to the
  array index modulo the array's length, and the first time round equal to it.

The text in a block can be longer than the record (printk formats the message with its
level prefix and moves it down over the prefix, leaving the last bytes twice), so the exact
length comes from the info array when it is found; without it the duplicated tail is cut by
that rule.

  kernellog.py IMAGE [BASE]   print the records found in IMAGE (a memory image starting at
                              physical BASE) as dmesg would
"""
import re
import struct
import sys

BLOCK_ID = struct.Struct('<Q')
INFO = struct.Struct('<QQHBBI64s')      # struct printk_info, 88 bytes
MAX_RECORD = 1024                       # PRINTKRB_RECORD_MAX and then some
# a record's text: printable ASCII, tabs and newlines (continuation lines), at least 4 bytes
TEXT_RUN = re.compile(rb'[\x20-\x7e][\t\n\x20-\x7e]{3,}')
# any text, empty too (an empty line is a record of its own)
ANY_TEXT = re.compile(rb'[\t\n\x20-\x7e]*')


class Record:
    """One printk record: its descriptor id, where its text starts in the image, the text
    (bytes), and when the info array was found its seq and timestamp (ns)."""

    def __init__(self, rid, offset, text):
        self.id = rid
        self.offset = offset
        self.text = text
        self.seq = None
        self.ts_nsec = None

    def line(self):
        t = self.text.decode('utf-8', 'replace').rstrip('\n')
        if self.ts_nsec is None:
            return t
        return '[%5d.%06d] %s' % (self.ts_nsec // 1000000000, self.ts_nsec % 1000000000 // 1000, t)


def _blocks(mem):
    """Candidate data blocks: (id, text offset, raw text) for every printable run that starts
    8 bytes after an 8-aligned position."""
    for m in TEXT_RUN.finditer(mem):
        s = m.start()
        if s % 8 or s < 8:
            continue
        rid = BLOCK_ID.unpack_from(mem, s - 8)[0]
        yield rid, s, mem[s:min(m.end(), s + MAX_RECORD)]


def _chains(mem):
    """Runs of blocks whose ids count up by one, each block starting where the previous one's
    text (padded to 8 bytes) ends, or a little later. A run starts at a block with a text of
    some length and goes on through blocks of any text, empty lines included."""
    starts = {s - 8: rid for rid, s, _ in _blocks(mem)}
    used = set()
    chains = []
    for start in sorted(starts):
        if start in used:
            continue
        chain = []
        cur = start
        while cur is not None and cur not in used:
            rid = BLOCK_ID.unpack_from(mem, cur)[0]
            s = cur + 8
            run = ANY_TEXT.match(mem, s, min(len(mem), s + MAX_RECORD)).group()
            chain.append(Record(rid, s, run))
            used.add(cur)
            nxt = None
            # the next block starts at the end of this one's text, rounded up to 8; a record
            # whose text holds bytes the run did not take (UTF-8, escapes) ends later
            q = (s + len(run) + 7) & ~7
            while q <= s + MAX_RECORD + 8 and q + 8 <= len(mem):
                if BLOCK_ID.unpack_from(mem, q)[0] == rid + 1:
                    nxt = q
                    break
                q += 8
            if nxt is None:
                # the chain's last block: nothing bounds its run, which may go on into older
                # text after it; cut after the first echoed tail
                chain[-1].text = _cut_at_echo(run)
            cur = nxt
        if len(chain) >= 2:
            chains.append(chain)
    return chains


def _join_wrapped(chains):
    """A ring that wrapped holds its newest records at its start: chains continuing each
    other by id are joined, oldest first. The block that wrapped has its id written twice,
    at the ring's end (before stale text) and at its start (with its text): a chain ending
    in the id another chain starts with loses that last, stale record."""
    by_first = {c[0].id: c for c in chains}

    def follower(c):
        for nid in (c[-1].id + 1, c[-1].id):
            n = by_first.get(nid)
            if n is not None and n is not c:
                return n
        return None
    followed = {id(follower(c)) for c in chains if follower(c) is not None}
    joined = []
    for c in chains:
        if id(c) in followed:
            continue
        full = list(c)
        seen = {id(c)}
        n = follower(c)
        while n is not None and id(n) not in seen:
            if full[-1].id == n[0].id:
                full.pop()
            seen.add(id(n))
            full.extend(n)
            n = follower(n)
        joined.append(full)
    return joined or chains


def _find_infos(mem):
    """Offsets of printk_info arrays still in their first pass round the ring: entries 88
    bytes apart whose seqs are 0, 1, 2 (a ring that wrapped is not searched for)."""
    one = struct.pack('<Q', 1)
    found = []
    p = mem.find(one)
    while p >= 0:
        base = p - INFO.size
        if (p % 8 == 0 and base >= 0 and p + 2 * INFO.size <= len(mem)
                and INFO.unpack_from(mem, base)[0] == 0 and INFO.unpack_from(mem, p + INFO.size)[0] == 2):
            found.append(base)
        p = mem.find(one, p + 1)
    return found


def _apply_infos(mem, base, chain):
    """Gives every record of chain its seq, timestamp and exact text length from the info
    array at base, when the array agrees with the chain; returns whether it did. A record
    agrees when its text_len is its block's printable run or up to 3 bytes shorter (the
    run may hold the echoed tail); the chain agrees when 9 records in 10 do, for one offset
    between ids and seqs (tried: the newest records against the newest seqs, the oldest
    against seq 0)."""
    infos = {}
    i = 0
    while base + (i + 1) * INFO.size <= len(mem):
        seq, ts, tlen, _, _, _, _ = INFO.unpack_from(mem, base + i * INFO.size)
        if seq != i:
            break
        infos[seq] = (ts, tlen)
        i += 1
    if len(infos) < 3:
        return False
    top = max(infos)
    offsets = [chain[-1].id - s for s in range(top, max(-1, top - 64), -1)] + [chain[0].id - s for s in range(64)]
    for d in offsets:
        good = 0
        for r in chain:
            got = infos.get(r.id - d)
            if got is not None and 0 <= len(r.text) - got[1] <= 3:
                good += 1
        if good * 10 >= len(chain) * 9:
            for r in chain:
                got = infos.get(r.id - d)
                if got is None:
                    r.text = _trim_prefix_echo(r.text)
                    continue
                r.seq, r.ts_nsec = r.id - d, got[0]
                r.text = mem[r.offset:r.offset + got[1]]
            return True
    return False


def _cut_at_echo(text):
    """text up to the first echoed tail ("...XYXY\\n" -> "...XY"), kept whole without one."""
    i = text.find(b'\n')
    while i >= 0:
        if i >= 4 and text[i - 2:i] == text[i - 4:i - 2]:
            return text[:i - 2]
        i = text.find(b'\n', i + 1)
    return text


def _trim_prefix_echo(text):
    """Without the info array: printk moved the text down over its 2-byte level prefix, so a
    block ends with the text's last bytes twice and the newline ("... donene\\n")."""
    if text.endswith(b'\n'):
        t = text[:-1]
        if len(t) >= 4 and t[-2:] == t[-4:-2]:
            return t[:-2]
        return t
    return text


def records(mem):
    """The printk records in mem, oldest first, from the chain of data blocks with the most text."""
    chains = _join_wrapped(_chains(mem))
    if not chains:
        return []
    # the log is the chain with the most text: tables of small numbers that happen to count
    # up by one hold many "records" of a byte or two
    chain = max(chains, key=lambda c: (sum(len(r.text) for r in c), c[-1].id))
    for base in _find_infos(mem):
        if _apply_infos(mem, base, chain):
            return chain
    for r in chain:
        r.text = _trim_prefix_echo(r.text)
    return chain


def is_kdump_log(recs):
    """Whether records are a kdump kernel's: its command line starts with elfcorehdr=."""
    return any(b'Kernel command line:' in r.text and b'elfcorehdr=' in r.text for r in recs)


def last_lines(mem, n=40):
    """The last n lines of the log found in mem, as dmesg prints them (with timestamps when
    the info array was found)."""
    lines = []
    for r in records(mem):
        lines.extend(r.line().split('\n'))
    return lines[-n:]


def load_symbols(nm_output):
    """Sorted (address, name) pairs of text symbols from `nm -n` output."""
    out = []
    for line in nm_output.splitlines():
        p = line.split()
        if len(p) >= 3 and p[1] in 'tTwW':
            try:
                out.append((int(p[0], 16), p[2]))
            except ValueError:
                pass
    out.sort()
    return out


def symbolize(addr, symbols, offset):
    """name+0xoff of a kernel address, for a kernel running offset bytes above where it was
    linked (a kdump kernel runs at crashkernel's base); the address itself when no symbol
    is near."""
    import bisect
    a = addr - offset
    i = bisect.bisect_right(symbols, (a, '\uffff')) - 1
    if i < 0 or a - symbols[i][0] > 0x100000:
        return '%#x' % addr
    return '%#x %s+%#x' % (addr, symbols[i][1], a - symbols[i][0])


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], 'rb') as f:
        mem = f.read()
    for r in records(mem):
        sys.stdout.write(r.line() + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
