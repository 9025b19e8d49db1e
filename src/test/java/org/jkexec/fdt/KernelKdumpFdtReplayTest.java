package org.jkexec.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jkexec.units.Hex;
import org.junit.jupiter.api.Test;

/**
 * Replays on the first kernel's boot FDT (k1, SLOF's v16 blob) the libfdt calls Linux 6.12
 * made to build the kdump FDT (drivers/of/kexec.c of_kexec_alloc_and_setup_fdt, then
 * arch/powerpc setup_new_fdt_ppc64 and update_cpus_node), then what the kdump kernel did to it
 * at boot (fdt_nop_property of rng-seed), and compares with the blob the kdump kernel exposed
 * (k2). Values come from the capture (k2's own properties, the load addresses in its reserve
 * map); the point is the bytes: order, string offsets, NOP positions, stale padding.
 */
class KernelKdumpFdtReplayTest {

    private static byte[] u64(long v) {
        byte[] b = new byte[8];
        FdtFormat.putLong(b, 0, v);
        return b;
    }

    private static byte[] addrRange(long a, long s) {
        byte[] b = new byte[16];
        FdtFormat.putLong(b, 0, a);
        FdtFormat.putLong(b, 8, s);
        return b;
    }

    @Test
    void replayGivesTheKdumpKernelsBlob() {
        byte[] k1 = References.bytes(References.KERNEL, "k1-fdt.bin");
        byte[] k2 = References.bytes(References.KERNEL, "k2-fdt.bin");
        Fdt fdt = Fdt.parse(k1, "k1");
        Fdt boot = Fdt.parse(k1, "k1"); // stands in for the live tree below

        // --- of_kexec_alloc_and_setup_fdt ---
        FdtNode chosen = fdt.node("/chosen").orElseThrow();
        chosen.deleteProperty("linux,elfcorehdr");
        chosen.deleteProperty("linux,usable-memory-range");
        // the old initrd's reservation (start, end - start rounded up to a page)
        long oldStart = chosen.u64("linux,initrd-start").orElseThrow();
        long oldEnd = chosen.u64("linux,initrd-end").orElseThrow();
        if (!fdt.removeReserveEntry(oldStart, oldEnd - oldStart)) {
            assertEquals(true, fdt.removeReserveEntry(oldStart, (oldEnd - oldStart + 0xfff) & ~0xfffL));
        }
        long initrd = 0x20861000L;
        long initrdLen = 0x2dd62cL;
        chosen.setU64("linux,initrd-start", initrd);
        chosen.setU64("linux,initrd-end", initrd + initrdLen);
        fdt.reserveMap().add(new ReserveEntry(initrd, initrdLen));
        chosen.appendProperty("linux,elfcorehdr", addrRange(0x207f0000L, 0x71000L));
        fdt.reserveMap().add(new ReserveEntry(0x207f0000L, 0x71000L));
        chosen.appendProperty("linux,usable-memory-range", addrRange(0x20000000L, 0x20000000L));
        chosen.setString(
                "bootargs",
                References.latin1(References.KERNEL, "k2-cmdline.txt").strip());
        chosen.deleteProperty("kaslr-seed");
        chosen.setU64("kaslr-seed", 0xe8ceea4deb8acf31L);
        chosen.setProperty("rng-seed", new byte[128]); // random; NOPed below, so never seen
        chosen.setProperty("linux,booted-from-kexec", new byte[0]);

        // --- setup_new_fdt_ppc64 (kdump) ---
        fdt.node("/memory@0").orElseThrow().setProperty("linux,usable-memory", addrRange(0, 0x40000000L));
        fdt.reserveMap().add(new ReserveEntry(0x10000L, 0x20000000L - 0x10000L));
        fdt.reserveMap().add(new ReserveEntry(0x207e0000L, 0x10000L));
        // update_cpus_node: drop the FDT's cpu nodes, add the live ones (each in front) and
        // copy every live property with fdt_setprop (each in front, so reversed); the live
        // tree has the blob's properties in blob order plus the "name" Linux appends
        FdtNode cpus = fdt.node("/cpus").orElseThrow();
        for (FdtNode cpu : new ArrayList<>(cpus.children())) {
            if (cpu.string("device_type").orElse("").equals("cpu")) {
                cpus.deleteChild(cpu);
            }
        }
        for (FdtNode live : boot.node("/cpus").orElseThrow().children()) {
            if (!live.string("device_type").orElse("").equals("cpu")) {
                continue;
            }
            FdtNode copy = cpus.addChild(live.name());
            for (FdtProperty p : live.properties()) {
                copy.setProperty(p.name(), p.value());
            }
            String base = live.name().substring(0, live.name().indexOf('@'));
            copy.setProperty("name", (base + "\0").getBytes(StandardCharsets.ISO_8859_1));
        }
        fdt.reserveMap().add(new ReserveEntry(0x2ffff000L, 0x83cL)); // RTAS (rmem)

        // --- at the crash: the header gets the CPU that runs the kexec (here CPU 1) ---
        fdt.setBootCpuidPhys(1);

        // --- the kdump kernel, early_init_dt_scan_chosen ---
        chosen.nopProperty("rng-seed");

        byte[] replayed = fdt.toBlobInPlace(k2.length);
        assertEquals(Optional.empty(), fdt.firstDifference(Fdt.parse(k2, "k2")));
        int at = Arrays.mismatch(k2, replayed);
        if (at >= 0) {
            List<String> diffs = new ArrayList<>();
            for (int i = at; i < k2.length && diffs.size() < 20; i++) {
                if (k2[i] != replayed[i]) {
                    diffs.add(Hex.hex(i) + ": " + (k2[i] & 0xff) + "/" + (replayed[i] & 0xff));
                }
            }
            fail("k2 vs replay differ at " + diffs);
        }
    }
}
