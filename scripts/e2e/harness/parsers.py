"""Readers of what the guest printed: flattened device trees, ELF headers, /proc/iomem and
address ranges.

Independent of jkexec on purpose: the harness checks jkexec's output against what a real kernel
received, so it reads FDT and ELF with its own small code rather than with jkexec's parsers (a
bug shared by the loader and its checker would pass unseen). Keep it that way: nothing here may
call jkexec or copy its logic.
"""
import io
import re
import struct
import tarfile


def kv(s):
    """'a=1 b=x y' -> {'a': '1', 'b': 'x'}; words without '=' are kept under their index."""
    d = {}
    for i, w in enumerate((s or '').split()):
        if '=' in w:
            k, v = w.split('=', 1)
            d[k] = v
        else:
            d[i] = w
    return d


def elf_phdrs(buf):
    """Program headers of a 64-bit little-endian ELF image in buf (may be truncated)."""
    if len(buf) < 64 or buf[:4] != b'\x7fELF' or buf[4] != 2 or buf[5] != 1:
        return None, None
    e_type, = struct.unpack_from('<H', buf, 16)
    e_phoff, = struct.unpack_from('<Q', buf, 32)
    e_phentsize, e_phnum = struct.unpack_from('<HH', buf, 54)
    out = []
    for i in range(e_phnum):
        o = e_phoff + i * e_phentsize
        if o + 56 > len(buf):
            break
        p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align = \
            struct.unpack_from('<IIQQQQQQ', buf, o)
        out.append(dict(type=p_type, offset=p_offset, vaddr=p_vaddr, paddr=p_paddr,
                        filesz=p_filesz, memsz=p_memsz))
    return {'type': e_type, 'phoff': e_phoff, 'phentsize': e_phentsize, 'phnum': e_phnum}, out


def union(ranges):
    out = []
    for a, b in sorted(r for r in ranges if r[1] > r[0]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [tuple(r) for r in out]


def subtract(ranges, cut):
    out = []
    for a, b in ranges:
        ca, cb = cut
        if cb <= a or ca >= b:
            out.append((a, b))
            continue
        if a < ca:
            out.append((a, ca))
        if cb < b:
            out.append((cb, b))
    return out


def fmt_ranges(rs):
    return ', '.join('%#x-%#x' % (a, b - 1) for a, b in rs) or '(none)'


def system_ram(iomem):
    rs = []
    for line in iomem.splitlines():
        if line.startswith(' '):
            continue  # only top-level resources
        m = re.match(r'([0-9a-f]+)-([0-9a-f]+) : System RAM', line.strip())
        if m:
            rs.append((int(m.group(1), 16), int(m.group(2), 16) + 1))
    return union(rs)


def dt_props(tgz):
    """{path: bytes} of the properties in a tar.gz of /proc/device-tree."""
    out = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tgz), mode='r:gz') as t:
            for m in t.getmembers():
                if m.isfile():
                    out[m.name.lstrip('./')] = t.extractfile(m).read()
    except (tarfile.TarError, OSError, EOFError):
        return None
    return out


def fdt_parse(b):
    """{node path: {property: bytes}} of a flattened device tree blob."""
    if not b or len(b) < 40 or b[:4] != b'\xd0\x0d\xfe\xed':
        return None
    _, total, off_struct, off_strings, _, _, _, _, size_strings, size_struct = \
        struct.unpack_from('>10I', b, 0)
    strings = b[off_strings:off_strings + size_strings]
    nodes, stack, p = {}, [], off_struct
    end = off_struct + size_struct if size_struct else total
    while p < end:
        tok, = struct.unpack_from('>I', b, p)
        p += 4
        if tok == 1:      # FDT_BEGIN_NODE
            e = b.index(b'\0', p)
            name = b[p:e].decode('ascii', 'replace')
            p = (e + 4) & ~3
            stack.append(name)
            nodes.setdefault('/' + '/'.join(x for x in stack if x), {})
        elif tok == 2:    # FDT_END_NODE
            stack.pop()
        elif tok == 3:    # FDT_PROP
            ln, nameoff = struct.unpack_from('>II', b, p)
            p += 8
            pname = strings[nameoff:strings.index(b'\0', nameoff)].decode('ascii', 'replace')
            nodes['/' + '/'.join(x for x in stack if x)][pname] = b[p:p + ln]
            p = (p + ln + 3) & ~3
        elif tok == 4:    # FDT_NOP
            continue
        elif tok == 9:    # FDT_END
            break
        else:
            return None
    return nodes


def be(b):
    return int.from_bytes(b, 'big') if b else None


def firmware_regions(dt):
    """Firmware memory a ppc64 loader keeps in the dump although it lies in the
    crash kernel region: RTAS (pseries) and OPAL (powernv)."""
    rs = []
    if dt:
        base, size = be(dt.get('rtas/linux,rtas-base')), be(dt.get('rtas/rtas-size'))
        if base is not None and size:
            rs.append(('rtas', base, base + size))
        base, size = be(dt.get('ibm,opal/opal-base-address')), be(dt.get('ibm,opal/opal-runtime-size'))
        if base is not None and size:
            rs.append(('opal', base, base + size))
    return rs


def diffcount(a, b):
    n = min(len(a), len(b))
    return sum(1 for i in range(n) if a[i] != b[i]) + abs(len(a) - len(b))


def fdt_nop_property(b, name):
    """libfdt's fdt_nop_property on every property called name (in place)."""
    if len(b) < 40 or b[:4] != b'\xd0\x0d\xfe\xed':
        return
    off, strs = struct.unpack_from('>I', b, 8)[0], struct.unpack_from('>I', b, 12)[0]
    while off + 4 <= len(b):
        tag = struct.unpack_from('>I', b, off)[0]
        if tag == 1:
            e = b.index(b'\0', off + 4)
            off = (e + 1 + 3) & ~3
        elif tag == 3:
            ln, no = struct.unpack_from('>II', b, off + 4)
            end = off + 12 + ((ln + 3) & ~3)
            n = b[strs + no:b.index(b'\0', strs + no)]
            if n == name:
                for i in range(off, end, 4):
                    struct.pack_into('>I', b, i, 4)
            off = end
        elif tag in (2, 4):
            off += 4
        else:
            return


def crash_cma_ranges(text):
    """The crashkernel=SIZE,cma areas [a, b) of /sys/kernel/kexec_crash_cma_ranges' text (one
    inclusive 'start-end' hex line each); [] for none."""
    out = []
    for line in (text or '').split('\n'):
        m = re.match(r'^([0-9a-fA-F]+)-([0-9a-fA-F]+)$', line.strip())
        if m:
            out.append((int(m.group(1), 16), int(m.group(2), 16) + 1))
    return out


def subtract_all(ranges, cuts):
    """What of ranges [a, b) no range of cuts covers."""
    rest = list(ranges)
    for cut in cuts:
        rest = subtract(rest, cut)
    return rest


def count_prstatus(hdr):
    """NT_PRSTATUS notes in /proc/vmcore's merged PT_NOTE (which follows the headers; None when
    it lies beyond the bytes read)."""
    eh, ph = elf_phdrs(hdr)
    if not eh:
        return None
    notes = [p for p in ph if p['type'] == 4]
    if not notes or notes[0]['offset'] + notes[0]['filesz'] > len(hdr):
        return None
    off, end, n = notes[0]['offset'], notes[0]['offset'] + notes[0]['filesz'], 0
    while off + 12 <= end:
        namesz, descsz, typ = struct.unpack_from('<III', hdr, off)
        if namesz == 0 and descsz == 0:
            break
        n += typ == 1
        off += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)
    return n


def fdt_prop(b, path, name):
    """Value of property name of node path ('/chosen') in an FDT blob, or None."""
    t = fdt_parse(b)
    return (t or {}).get(path, {}).get(name)


def fdt_blocks_end(b):
    """End of the strings block: beyond it a kernel's FDT buffer holds whatever its allocation held."""
    off_strings, = struct.unpack_from('>I', b, 12)
    size_strings, = struct.unpack_from('>I', b, 32)
    return off_strings + size_strings


def crashkernel_of(dt, crashkernel_dt_txt):
    """(base, size) of crashkernel from /proc/device-tree's /chosen (dt_props), or else from the
    first kernel's 'base=HEX size=HEX' line; None for what neither says."""
    cb = be(dt.get('chosen/linux,crashkernel-base')) if dt else None
    cs = be(dt.get('chosen/linux,crashkernel-size')) if dt else None
    if (cb is None or cs is None) and crashkernel_dt_txt:
        m = kv(crashkernel_dt_txt.decode())
        try:
            cb, cs = int(m['base'], 16), int(m['size'], 16)
        except (KeyError, ValueError):
            pass
    return cb, cs


def pt_load_ranges(hdr):
    """The physical ranges [a, b) the PT_LOADs of an ELF core header cover, merged; None when
    hdr is no ELF64 LE header."""
    eh, ph = elf_phdrs(hdr or b'')
    if not eh:
        return None
    return union([(p['paddr'], p['paddr'] + p['memsz']) for p in ph if p['type'] == 1])


def headers_end(e):
    """Where the ELF header and program headers of elf_phdrs' header dict e end."""
    return e['phoff'] + e['phnum'] * e['phentsize']
