"""Unit tests of kernellog (no QEMU): synthetic memory images holding a printk ring buffer.

  python3 -m unittest discover -s scripts/e2e -p 'test_*.py'
"""
import os
import random
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from harness import kernellog  # noqa: E402
from harness.checks.boot import hang_report  # noqa: E402
from harness.console import Console, heal_markers  # noqa: E402

FIRST_ID = 0xfffff000      # what a 6.1 kernel's static ring with 4096 descriptors starts at


def block(rid, text, prefix=True):
    """A data block as printk leaves it: id, the text, and (when the message had a level
    prefix) the last 2 bytes again and the newline that were not counted, padded to 8."""
    body = text + (text[-2:] + b'\n' if prefix else b'\n')
    raw = struct.pack('<Q', rid) + body
    return raw + b'\0' * (-len(raw) % 8)


def info(seq, ts, text_len):
    return struct.pack('<QQHBBI64s', seq, ts, text_len, 0, 6 << 5, 0, b'')


def ring(texts, first_id=FIRST_ID, size=None):
    data = b''.join(block(first_id + i, t) for i, t in enumerate(texts))
    if size:
        data += b'\0' * (size - len(data))
    return data


def infos(texts, count=None):
    out = b''.join(info(i, 1000000 * (i + 1), len(t)) for i, t in enumerate(texts))
    return out + b'\0' * (88 * ((count or len(texts)) - len(texts)))


def noise(n, seed):
    r = random.Random(seed)
    return bytes(r.getrandbits(8) for _ in range(n))


TEXTS = [b'Linux version 6.1.0 (gcc 12.2.0) #1 SMP',
         b'memblock_alloc_try_nid: 65536 bytes align=0x10000 max_addr=0x0000000040000000 rtas_initialize+0x1c0/0x288',
         b'Found initrd at 0xc0000001029c0000:0xc000000102cc622b',
         b'kernel tried to execute exec-protected page (c000000000039f68) - exploit attempt? (uid: 0)',
         b'Call Trace:\n[c0000001026afd30] [c00000010003ac08] rtas_call+0x2b8/0x480',
         b'',
         b'Kernel panic - not syncing: Attempted to kill the idle task!',
         b'aa']


class KernelLogTest(unittest.TestCase):
    def image(self, with_infos=True):
        # kernel text with strings of its own before the ring, the info array after it,
        # random bytes and zero pages around (as crashkernel holds the image and the initrd)
        parts = [noise(4096, 1), b'\0' * 8 + b'format string %s in rodata\0' * 20 + b'\0' * 4,
                 b'\0' * (-(4096 + 8 + 27 * 20 + 4) % 8), ring(TEXTS, size=1 << 14), b'\0' * 4096]
        if with_infos:
            parts.append(infos(TEXTS, count=512))
        parts.append(noise(8192, 2))
        return b''.join(parts)

    def test_exact_texts_and_timestamps_from_the_info_array(self):
        rs = kernellog.records(self.image())
        self.assertEqual([r.text for r in rs], TEXTS)
        self.assertEqual([r.seq for r in rs], list(range(len(TEXTS))))
        self.assertEqual(rs[0].line(), '[    0.001000] ' + TEXTS[0].decode())

    def test_a_kdump_kernels_log_is_told_from_the_crashed_kernels(self):
        crashed = [kernellog.Record(1, 0, b'Kernel command line: root=/dev/vda crashkernel=512M@4G')]
        kdump = [kernellog.Record(1, 0, b'Kernel command line: elfcorehdr=0x1051b0000 maxcpus=1')]
        self.assertFalse(kernellog.is_kdump_log(crashed))
        self.assertTrue(kernellog.is_kdump_log(kdump))
        self.assertFalse(kernellog.is_kdump_log([]))

    def test_without_the_info_array_the_echoed_tail_is_cut(self):
        rs = kernellog.records(self.image(with_infos=False))
        self.assertEqual([r.text for r in rs], TEXTS)
        self.assertIsNone(rs[0].ts_nsec)

    def test_last_lines_split_multi_line_records(self):
        lines = kernellog.last_lines(self.image(), 5)
        self.assertEqual(lines[0], '[    0.005000] Call Trace:')
        self.assertTrue(lines[1].endswith('rtas_call+0x2b8/0x480'))
        self.assertEqual(lines[2], '[    0.006000] ')
        self.assertTrue(lines[3].endswith('Attempted to kill the idle task!'))

    def test_a_wrapped_ring_is_read_oldest_first(self):
        old = [b'older record number %d' % i for i in range(5)]
        new = [b'newer record number %d' % i for i in range(3)]
        # the newest records were written at the ring's start, over older ones
        head = b''.join(block(FIRST_ID + 5 + i, t) for i, t in enumerate(new))
        tail = b''.join(block(FIRST_ID + i, t) for i, t in enumerate(old))
        mem = noise(512, 3) + head + b"\0" * 64 + tail + b"\0" * 64 + noise(512, 4)
        self.assertEqual([r.text for r in kernellog.records(mem)], old + new)

    def test_a_wrapped_ring_drops_the_stale_copy_of_the_wrapping_block(self):
        # printk stores a block that does not fit before the ring's end at its start, and
        # writes its id at the end as well, before stale text
        old = [b'older record number %d' % i for i in range(5)]
        new = [b'newer record number %d' % i for i in range(3)]
        head = b''.join(block(FIRST_ID + 5 + i, t) for i, t in enumerate(new))
        remnant = b'_range_nid+0x10c/0x1dc\n\0'  # 24 bytes: the blocks after stay 8-aligned
        tail = b''.join(block(FIRST_ID + i, t) for i, t in enumerate(old))
        stale = struct.pack('<Q', FIRST_ID + 5) + b'stale text of an overwritten rec'
        mem = noise(512, 3) + head + remnant + tail + stale + b'\0' * 64 + noise(512, 4)
        self.assertEqual([r.text for r in kernellog.records(mem)], old + new)

    def test_a_table_counting_up_by_one_is_not_taken_for_the_log(self):
        # seen in crashkernel: 79 "blocks" of 8-byte counters each followed by a byte or two of
        # printable text, more than the log's records but far less text
        table = struct.pack('<Q', 0x2fff) + b'PM_LSU_FX_FIN\0\0\0' + b''.join(
            struct.pack('<Q', 0x3000 + i) + bytes([0x40 + i % 60]) + b'0' + b'\0' * 6 for i in range(len(TEXTS) * 12))
        mem = self.image() + table + noise(64, 7)
        self.assertEqual([r.text for r in kernellog.records(mem)], TEXTS)

    def test_an_image_without_a_ring_has_no_records(self):
        mem = noise(1 << 16, 5) + b'\0' * 8 + b'a lone string that is not a ring\0' + noise(4096, 6)
        self.assertEqual(kernellog.records(mem), [])

    def test_an_info_array_of_another_ring_is_not_used(self):
        other = [b'x' * 70] * len(TEXTS)
        mem = self.image(with_infos=False) + b'\0' * 8 + infos(other)
        rs = kernellog.records(mem)
        self.assertEqual([r.text for r in rs], TEXTS)
        self.assertIsNone(rs[0].seq)


class HangReportTest(unittest.TestCase):
    """The summary's kdump-log detail, from what post_mortem left in a run directory."""

    def test_the_summary_names_the_cpus_and_ends_with_the_log(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, 'console.log'), 'w') as f:
                f.write('@@CRASHING uptime=40\n@@HARNESS idle\n@@HANGLOG cpus=1 records=40\n')
            with open(os.path.join(d, 'hang-registers.txt'), 'w') as f:
                f.write('CPU0 NIP 0xc000000100023434 __delay+0x14 LR 0xc0000001001381a4 panic+0x438\n\nCPU#0\n')
            with open(os.path.join(d, 'hang-log.txt'), 'w') as f:
                f.write(''.join('line %d\n' % i for i in range(40)))
            detail = hang_report(d, Console(d))
        lines = detail.splitlines()
        self.assertIn('cpus=1 records=40', lines[0])
        self.assertIn('panic+0x438', lines[1])
        self.assertIn('last 25 of 40 lines', lines[2])
        self.assertEqual(lines[-1].strip(), '| line 39')
        self.assertEqual(len(lines), 3 + 25)

    def test_no_post_mortem_no_detail(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, 'console.log'), 'w') as f:
                f.write('@@CRASHING uptime=40\n')
            self.assertIsNone(hang_report(d, Console(d)))

    def test_symbols_name_a_relocated_kdump_kernel(self):
        syms = kernellog.load_symbols('c000000000023420 T __delay\nc000000000138000 T panic\n')
        self.assertEqual(kernellog.symbolize(0xc000000100023434, syms, 1 << 32), '0xc000000100023434 __delay+0x14')
        self.assertEqual(kernellog.symbolize(0x39f40, syms, 1 << 32), '0x39f40')


class HealMarkersTest(unittest.TestCase):
    """A skiboot message inside a marker line (seen on powernv9) no longer hides the section."""

    def test_a_marker_cut_by_a_firmware_message_is_joined(self):
        lines = ['@@END k2-vmcore-loads.txt rc=0',
                 '@@BEGIN64 k2-dev[  150.419510612,3] SBE: Timer stuck, falling back to OPAL pollers.',
                 '[  150.420226424,3] SBE: You will likely have slower I2C and may have experienced increased jitter.',
                 'icetree.tgz',
                 'H4sIAAAA',
                 '@@END k2-devicetree.tgz rc=0']
        t, out = heal_markers(list(range(len(lines))), lines)
        self.assertEqual(out[1], '@@BEGIN64 k2-devicetree.tgz')
        self.assertEqual(out[2:4], [lines[1][len('@@BEGIN64 k2-dev'):], lines[2]])
        self.assertEqual(out[4:], ['H4sIAAAA', '@@END k2-devicetree.tgz rc=0'])
        self.assertEqual(len(t), len(out))

    def test_lines_without_markers_and_markers_without_messages_are_kept(self):
        lines = ['[   12.3] a kernel line', '@@K2 up uptime=9.50', 'plain', '@@DONE k2']
        self.assertEqual(heal_markers([None] * 4, lines)[1], lines)


if __name__ == '__main__':
    unittest.main()
