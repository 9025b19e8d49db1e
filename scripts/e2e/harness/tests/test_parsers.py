"""The harness's own FDT, ELF and range readers on synthetic blobs."""
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from harness import parsers as p  # noqa: E402
from harness.tests import fixtures as f  # noqa: E402

NODES = {'/': {'model': b'qemu\0'}, '/memory@0': {'reg': f.be64(0) + f.be64(1 << 32)},
         '/chosen': {'rng-seed': b'\1' * 8, 'kaslr-seed': b'\2' * 8}}


class FdtTest(unittest.TestCase):

    def test_parse_reads_every_node_and_property(self):
        self.assertEqual(p.fdt_parse(f.fdt(NODES)), NODES)

    def test_not_an_fdt(self):
        self.assertIsNone(p.fdt_parse(b'\0' * 64))
        self.assertIsNone(p.fdt_parse(None))
        bad = bytearray(f.fdt(NODES))
        struct.pack_into('>I', bad, 56, 7)   # an unknown token where the structure starts
        self.assertIsNone(p.fdt_parse(bytes(bad)))

    def test_prop(self):
        self.assertEqual(p.fdt_prop(f.fdt(NODES), '/chosen', 'kaslr-seed'), b'\2' * 8)
        self.assertIsNone(p.fdt_prop(f.fdt(NODES), '/chosen', 'nothing'))

    def test_nop_property_removes_it_as_the_kernel_does(self):
        b = bytearray(f.fdt(NODES))
        p.fdt_nop_property(b, b'rng-seed')
        self.assertEqual(len(b), len(f.fdt(NODES)))
        t = p.fdt_parse(bytes(b))
        self.assertNotIn('rng-seed', t['/chosen'])
        self.assertEqual(t['/chosen']['kaslr-seed'], b'\2' * 8)

    def test_blocks_end_is_the_end_of_the_strings(self):
        b = f.fdt(NODES)
        self.assertEqual(p.fdt_blocks_end(b + b'\xff' * 100), len(b))


class ElfTest(unittest.TestCase):

    def test_phdrs_and_prstatus_notes(self):
        h = f.elf_core([(0, 0x1000), (0x2000, 0x1000)], f.note(1) + f.note(1) + f.note(6, desc=b'x' * 5))
        e, ph = p.elf_phdrs(h)
        self.assertEqual((e['type'], e['phnum'], p.headers_end(e)), (4, 3, 64 + 3 * 56))
        self.assertEqual([x['type'] for x in ph], [4, 1, 1])
        self.assertEqual(p.count_prstatus(h), 2)
        self.assertEqual(p.pt_load_ranges(h), [(0, 0x1000), (0x2000, 0x3000)])

    def test_a_truncated_header_keeps_the_whole_phdrs(self):
        h = f.elf_core([(0, 0x1000), (0x2000, 0x1000)])
        e, ph = p.elf_phdrs(h[:64 + 56 + 10])
        self.assertEqual((e['phnum'], len(ph)), (2, 1))
        self.assertIsNone(p.count_prstatus(h[:64 + 56]))   # no PT_NOTE

    def test_not_elf64_le(self):
        self.assertEqual(p.elf_phdrs(b'\x7fELF' + bytes([1, 1]) + bytes(58)), (None, None))
        self.assertEqual(p.elf_phdrs(b''), (None, None))
        self.assertIsNone(p.pt_load_ranges(None))


class RangesTest(unittest.TestCase):

    def test_union_merges_touching_and_overlapping(self):
        self.assertEqual(p.union([(5, 9), (0, 3), (3, 4), (8, 12), (20, 20)]), [(0, 4), (5, 12)])

    def test_subtract(self):
        self.assertEqual(p.subtract([(0, 10), (20, 30)], (5, 25)), [(0, 5), (25, 30)])
        self.assertEqual(p.subtract_all([(0, 10)], [(0, 2), (8, 10)]), [(2, 8)])
        self.assertEqual(p.subtract_all([(4, 6)], [(0, 10)]), [])

    def test_fmt(self):
        self.assertEqual(p.fmt_ranges([(0, 0x1000), (0x2000, 0x3000)]), '0x0-0xfff, 0x2000-0x2fff')
        self.assertEqual(p.fmt_ranges([]), '(none)')

    def test_system_ram_reads_top_level_lines_only(self):
        iomem = ('00000000-0fffffff : System RAM\n  00000000-00ffffff : Kernel code\n'
                 '10000000-1fffffff : System RAM\n200000000-2ffffffff : reserved\n')
        self.assertEqual(p.system_ram(iomem), [(0, 0x20000000)])

    def test_diffcount_counts_the_length_difference(self):
        self.assertEqual(p.diffcount(b'abcd', b'abXdEF'), 3)


class DeviceTreeTest(unittest.TestCase):

    def test_crashkernel_and_firmware_from_the_proc_device_tree_archive(self):
        dt = p.dt_props(f.devicetree_tgz({'chosen/linux,crashkernel-base': f.be64(1 << 29),
                                          'chosen/linux,crashkernel-size': f.be64(1 << 28),
                                          'ibm,opal/opal-base-address': f.be64(0x30000000),
                                          'ibm,opal/opal-runtime-size': f.be64(0x1000000)}))
        self.assertEqual(p.crashkernel_of(dt, None), (1 << 29, 1 << 28))
        self.assertEqual(p.firmware_regions(dt), [('opal', 0x30000000, 0x31000000)])

    def test_crashkernel_from_the_printed_line_when_chosen_lacks_it(self):
        self.assertEqual(p.crashkernel_of({}, b'base=0000000020000000 size=0000000010000000\n'),
                         (0x20000000, 0x10000000))
        self.assertEqual(p.crashkernel_of(None, b'garbage'), (None, None))

    def test_a_broken_archive_is_none(self):
        self.assertIsNone(p.dt_props(b'not a tgz'))

    def test_kv(self):
        self.assertEqual(p.kv('rc=0 seconds=1.5 word'), {'rc': '0', 'seconds': '1.5', 2: 'word'})
        self.assertEqual(p.kv(None), {})


if __name__ == '__main__':
    unittest.main()
