"""Synthetic run directories for the unit tests: a console log as the guest prints it (markers,
text and base64 sections, host times), meta.json, and the blobs the checks read (FDT, ELF core
header, /proc/device-tree as a tar.gz), written here without jkexec."""
import base64
import io
import json
import os
import struct
import tarfile

PT_LOAD, PT_NOTE = 1, 4


def fdt(nodes):
    """A flattened device tree blob (version 17) of {path: {property: bytes}}, nodes in the
    order given, each after its parent."""
    strings, offs = bytearray(), {}
    struct_ = bytearray()

    def name_off(n):
        if n not in offs:
            offs[n] = len(strings)
            strings.extend(n.encode() + b'\0')
        return offs[n]

    def pad():
        struct_.extend(b'\0' * (-len(struct_) % 4))
    depth = []
    for path, props in nodes.items():
        parts = [p for p in path.split('/') if p]
        while depth and depth != parts[:len(depth)]:
            struct_.extend(struct.pack('>I', 2))
            depth.pop()
        name = parts[-1] if parts else ''
        struct_.extend(struct.pack('>I', 1) + name.encode() + b'\0')
        pad()
        depth = parts if parts else []
        for k, v in props.items():
            struct_.extend(struct.pack('>III', 3, len(v), name_off(k)) + v)
            pad()
        if not parts:
            depth = []
    for _ in range(len(depth) + 1):
        struct_.extend(struct.pack('>I', 2))
    struct_.extend(struct.pack('>I', 9))
    off_rsv = 40
    off_struct = off_rsv + 16
    off_strings = off_struct + len(struct_)
    total = off_strings + len(strings)
    hdr = struct.pack('>10I', 0xd00dfeed, total, off_struct, off_strings, off_rsv, 17, 16, 0,
                      len(strings), len(struct_))
    return hdr + b'\0' * 16 + bytes(struct_) + bytes(strings)


def elf_core(loads, notes=b'', phoff=64):
    """An ELF64 LE core header: ehdr, one PT_NOTE (when notes) and a PT_LOAD per (paddr, size),
    the notes right after the headers, the loads' data after that, one after the other."""
    phdrs = []
    n = len(loads) + (1 if notes else 0)
    data_at = phoff + 56 * n
    if notes:
        phdrs.append(struct.pack('<IIQQQQQQ', PT_NOTE, 0, data_at, 0, 0, len(notes), len(notes), 0))
    off = data_at + len(notes)
    for paddr, size in loads:
        phdrs.append(struct.pack('<IIQQQQQQ', PT_LOAD, 7, off, 0xc000000000000000 + paddr, paddr, size, size, 0))
        off += size
    ident = b'\x7fELF' + bytes([2, 1, 1]) + b'\0' * 9
    ehdr = ident + struct.pack('<HHIQQQIHHHHHH', 4, 21, 1, 0, phoff, 0, 0, 64, 56, n, 0, 0, 0)
    return ehdr + b'\0' * (phoff - 64) + b''.join(phdrs) + notes


def note(typ, name=b'CORE', desc=b'\0' * 8):
    pad = lambda b: b + b'\0' * (-len(b) % 4)  # noqa: E731
    return struct.pack('<III', len(name) + 1, len(desc), typ) + pad(name + b'\0') + pad(desc)


def devicetree_tgz(props):
    """/proc/device-tree as guest-init archives it: {relative path: bytes}."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as t:
        for path, data in props.items():
            ti = tarfile.TarInfo('./' + path)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def be64(v):
    return struct.pack('>Q', v)


class Console:
    """A console log being written: lines with host times."""

    def __init__(self):
        self.lines = []
        self.t = 0.0

    def at(self, t):
        self.t = t
        return self

    def line(self, text):
        self.lines.append((self.t, text))
        return self

    def mark(self, key, rest=''):
        return self.line('@@%s%s' % (key, ' ' + rest if rest else ''))

    def text(self, name, data, rc=0):
        self.line('@@BEGIN ' + name)
        for l in (data.decode() if isinstance(data, bytes) else data).splitlines():
            self.line(l)
        return self.line('@@END %s rc=%d' % (name, rc))

    def b64(self, name, data, rc=0, noise=()):
        self.line('@@BEGIN64 ' + name)
        enc = base64.b64encode(data).decode()
        chunks = [enc[i:i + 76] for i in range(0, len(enc), 76)]
        for i, c in enumerate(chunks):
            self.line(c)
            if i == 0:
                for n in noise:
                    self.line(n)
        return self.line('@@END %s rc=%d' % (name, rc))

    def write(self, rundir):
        with open(os.path.join(rundir, 'console.tlog'), 'w') as f:
            for t, l in self.lines:
                f.write('%.3f %s\n' % (t, l))
        with open(os.path.join(rundir, 'console.log'), 'w') as f:
            for t, l in self.lines:
                f.write(l + '\n')


META = {'machine': 'pseries-4g', 'loader': 'kexec-tools', 'mode': 'kdump', 'timeout': 300, 'idle': 120,
        'qemu_rc': 0, 'total_s': 100.0, 'kernel': '6.1.0-99-powerpc64le', 'append': 'console=hvc0',
        'makedumpfile_opts': '-d 31', 'kernel_choice': 'debian12', 'syscall': 'kexec_load', 'vmlinux': '',
        'initrd': '', 'hotplug': '', 'hotplug_expect': 'present'}


def rundir(path, console, **meta):
    """Write a run directory at path: console.log/.tlog and meta.json (META updated by meta;
    meta=None writes none)."""
    os.makedirs(path, exist_ok=True)
    console.write(path)
    if meta.get('meta', True) is not None:
        m = dict(META)
        m.update({k: v for k, v in meta.items() if k != 'meta'})
        with open(os.path.join(path, 'meta.json'), 'w') as f:
            json.dump(m, f, indent=1)
    return path


GIB = 1 << 30
CK_BASE, CK_SIZE = 512 << 20, 512 << 20
RTAS = (0x2ff0000 + CK_BASE, 0x1000)   # inside crashkernel


def iomem(ram_end=4 * GIB):
    return '00000000-%08x : System RAM\n  00000000-01ffffff : Kernel code\n' % (ram_end - 1)


def kdump_console(loader='kexec-tools', rtas=True, vmcore_loads=None, hp_cpus=None, token='match', k2=True,
                  low=True):
    """The console of a whole, good kdump run on a 4 GiB pseries guest: first kernel, load,
    crash, kdump kernel, dump, poweroff. Pieces can be left out or changed by the arguments."""
    c = Console()
    c.at(10.0).mark('K1', 'uptime=3.1')
    fdt1 = {'/': {}, '/memory@0': {'reg': be64(0) + be64(4 * GIB)},
            '/cpus': {}, '/cpus/PowerPC,POWER9@0': {'ibm,ppc-interrupt-server#s': b'\0\0\0\0'},
            '/chosen': {'bootargs': b'console=hvc0\0'}}
    if rtas:
        fdt1['/rtas'] = {'linux,rtas-base': struct.pack('>I', RTAS[0]), 'rtas-size': struct.pack('>I', RTAS[1])}
    c.b64('k1-fdt.bin', fdt(fdt1))
    props = {'chosen/linux,crashkernel-base': be64(CK_BASE), 'chosen/linux,crashkernel-size': be64(CK_SIZE)}
    if rtas:
        props['rtas/linux,rtas-base'] = struct.pack('>I', RTAS[0])
        props['rtas/rtas-size'] = struct.pack('>I', RTAS[1])
    c.b64('k1-devicetree.tgz', devicetree_tgz(props))
    c.text('k1-iomem.txt', iomem())
    c.text('k1-cpuinfo.txt', 'processor\t: 0\ncpu\t\t: POWER9 (architected)\nMMU\t\t: Radix\n')
    c.text('k1-nodes.txt', '0\n')
    c.text('k1-cpus.txt', 'online 0-1\n')
    if low:
        c.b64('k1-lowmem.bin', bytes(65536))
    c.at(20.0).mark('TOKEN1', 'pa=0x1000000 kcore=match pagesize=65536')
    c.at(30.0).mark('LOAD', 'rc=0 seconds=2.5')
    c.mark('LOADED', 'kexec_crash_loaded=1')
    c.at(40.0).mark('CRASHING', 'uptime=30')
    if not k2:
        return c
    c.at(55.0).mark('K2', 'uptime=1.0')
    loads = vmcore_loads
    if loads is None:
        loads = [(0, CK_BASE), (CK_BASE + CK_SIZE, 4 * GIB - CK_BASE - CK_SIZE)]
        if rtas:
            loads.append(RTAS)
    notes = b''.join(note(1) for _ in range(hp_cpus or 1))
    hdr = elf_core(loads, notes)
    c.b64('k2-vmcorehdr.bin', hdr)
    size = max(p for p in [len(hdr)]) + sum(s for _, s in loads)
    c.mark('VMCORESIZE', str(size))
    c.mark('TOKEN2', 'pa=0x1000000 result=%s' % token)
    old = bytearray(65536)
    old[0:10] = b'\1' * 10
    own = bytes([7]) * 65536
    c.b64('k2-oldlowmem.bin', bytes(old))
    c.b64('k2-ownlowmem.bin', own)
    c.at(70.0).mark('DUMP', 'rc=0 size=123456 seconds=12.5')
    c.at(75.0).mark('DONE', 'k2')
    return c
