package org.jkexec.purgatory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.jkexec.purgatory.Ppc64Assembler.Label;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instruction words checked against GNU as 2.40 (binutils-powerpc64le-linux-gnu): the expected
 * values are the output of src/test/scripts/ppc64-reference-encodings.sh for
 * src/test/scripts/ppc64-reference-encodings.S, row by row.
 */
class Ppc64EncoderTest {

    static Stream<Arguments> gnuAsEncodings() {
        return Stream.of(
                row("addi r3,r4,-8", Ppc64Encoder.addi(3, 4, -8), 0x3864fff8),
                row("li r0,32767", Ppc64Encoder.addi(0, 0, 0x7fff), 0x38007fff),
                row("li r5,8192", Ppc64Encoder.addi(5, 0, 0x2000), 0x38a02000),
                row("lis r6,1", Ppc64Encoder.addis(6, 0, 1), 0x3cc00001),
                row("lis r6,-1", Ppc64Encoder.addis(6, 0, -1), 0x3cc0ffff),
                row("ori r5,r5,65535", Ppc64Encoder.ori(5, 5, 0xffff), 0x60a5ffff),
                row("oris r7,r8,32768", Ppc64Encoder.oris(7, 8, 0x8000), 0x65078000),
                row("andi. r10,r11,1", Ppc64Encoder.andiDot(10, 11, 1), 0x716a0001),
                row("rldicr r11,r11,0,62 (clrrdi r11,r11,1)", Ppc64Encoder.rldicr(11, 11, 0, 62), 0x796b07a4),
                row("rldicr r3,r4,8,55 (sldi r3,r4,8)", Ppc64Encoder.rldicr(3, 4, 8, 55), 0x788345e4),
                row("rldicr r1,r2,32,31 (sldi r1,r2,32)", Ppc64Encoder.rldicr(1, 2, 32, 31), 0x784107c6),
                row("ld r3,-8(r18)", Ppc64Encoder.ld(3, -8, 18), 0xe872fff8),
                row("ld r0,0(r4)", Ppc64Encoder.ld(0, 0, 4), 0xe8040000),
                row("std r0,0(r3)", Ppc64Encoder.std(0, 0, 3), 0xf8030000),
                row("std r31,32760(r1)", Ppc64Encoder.std(31, 0x7ff8, 1), 0xfbe17ff8),
                row("lwz r6,-168(r18)", Ppc64Encoder.lwz(6, -0xa8, 18), 0x80d2ff58),
                row("stw r6,92(r4)", Ppc64Encoder.stw(6, 0x5c, 4), 0x90c4005c),
                row("lwbrx r6,r3,r4", Ppc64Encoder.lwbrx(6, 3, 4), 0x7cc3242c),
                row("stwbrx r17,r3,r4", Ppc64Encoder.stwbrx(17, 3, 4), 0x7e23252c),
                row("mtspr 9,r5 (mtctr r5)", Ppc64Encoder.mtspr(Ppc64Encoder.SPR_CTR, 5), 0x7ca903a6),
                row("mtlr r4", Ppc64Encoder.mtspr(Ppc64Encoder.SPR_LR, 4), 0x7c8803a6),
                row("mflr r18", Ppc64Encoder.mfspr(18, Ppc64Encoder.SPR_LR), 0x7e4802a6),
                row("mtsrr0 r4", Ppc64Encoder.mtspr(Ppc64Encoder.SPR_SRR0, 4), 0x7c9a03a6),
                row("mtsrr1 r11", Ppc64Encoder.mtspr(Ppc64Encoder.SPR_SRR1, 11), 0x7d7b03a6),
                row("mfspr r3,26 (mfsrr0 r3)", Ppc64Encoder.mfspr(3, 26), 0x7c7a02a6),
                row("mfspr r3,287 (mfpvr r3)", Ppc64Encoder.mfspr(3, 287), 0x7c7f42a6),
                row("mtspr 1023,r3", Ppc64Encoder.mtspr(1023, 3), 0x7c7ffba6),
                row("mfmsr r11", Ppc64Encoder.mfmsr(11), 0x7d6000a6),
                row("or r17,r3,r3 (mr r17,r3)", Ppc64Encoder.or(17, 3, 3), 0x7c711b78),
                row("or 1,1,1 (priority low)", Ppc64Encoder.or(1, 1, 1), 0x7c210b78),
                row("or 2,2,2 (priority medium)", Ppc64Encoder.or(2, 2, 2), 0x7c421378),
                row("or 3,3,3 (priority high)", Ppc64Encoder.or(3, 3, 3), 0x7c631b78),
                row("or 31,31,31 (priority very low)", Ppc64Encoder.or(31, 31, 31), 0x7ffffb78),
                row("cmpdi r6,2", Ppc64Encoder.cmpi(0, true, 6, 2), 0x2c260002),
                row("cmpdi r3,0", Ppc64Encoder.cmpi(0, true, 3, 0), 0x2c230000),
                row("cmpwi r6,2", Ppc64Encoder.cmpi(0, false, 6, 2), 0x2c060002),
                row("cmpdi cr7,r5,-1", Ppc64Encoder.cmpi(7, true, 5, -1), 0x2fa5ffff),
                row("sync (hwsync)", Ppc64Encoder.sync(), 0x7c0004ac),
                row("isync", Ppc64Encoder.isync(), 0x4c00012c),
                row("rfid", Ppc64Encoder.rfid(), 0x4c000024),
                row("bctr", Ppc64Encoder.bcctr(20, 0, false), 0x4e800420),
                row("nop (ori 0,0,0)", Ppc64Encoder.ori(0, 0, 0), 0x60000000),
                row("b .+0x100", Ppc64Encoder.b(0x100, false), 0x48000100),
                row("b .-4", Ppc64Encoder.b(-4, false), 0x4bfffffc),
                row("bl .+8", Ppc64Encoder.b(8, true), 0x48000009),
                row("bcl 20,31,.+4", Ppc64Encoder.bc(20, 31, 4, true), 0x429f0005),
                row("beq .+16", Ppc64Encoder.bc(12, 2, 16, false), 0x41820010),
                row("bne .-8", Ppc64Encoder.bc(4, 2, -8, false), 0x4082fff8),
                row("blt .+0x7ffc", Ppc64Encoder.bc(12, 0, 0x7ffc, false), 0x41807ffc),
                row("bdnz .", Ppc64Encoder.bc(16, 0, 0, false), 0x42000000),
                row("bdnz .-0x8000", Ppc64Encoder.bc(16, 0, -0x8000, false), 0x42008000),
                row("bge cr7,.+12", Ppc64Encoder.bc(4, 28, 12, false), 0x409c000c));
    }

    private static Arguments row(String gnuSyntax, int actual, int expected) {
        return Arguments.of(gnuSyntax, actual, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gnuAsEncodings")
    void encodesLikeGnuAs(String gnuSyntax, int actual, int expected) {
        assertEquals(Integer.toHexString(expected), Integer.toHexString(actual), gnuSyntax);
    }

    @Test
    void assemblerWritesLittleEndianWordsAndResolvesLabelsBothWays() {
        Ppc64Assembler a = new Ppc64Assembler();
        Label back = a.newLabel("back");
        Label forward = a.newLabel("forward");
        a.bind(back).nop(); // 0x00
        a.beq(forward); // 0x04 -> 0x10: beq .+12
        a.bdnz(back); // 0x08 -> 0x00: bdnz .-8
        a.b(forward); // 0x0c -> 0x10: b .+4
        a.bind(forward).bclAlways(forward); // 0x10 -> 0x10: bcl 20,31,.
        byte[] bytes = a.assemble();
        assertEquals(List.of(0x60000000, 0x4182000c, 0x4200fff8, 0x48000004, 0x429f0001), words(bytes));
        assertArrayEquals(new byte[] {0x00, 0x00, 0x00, 0x60}, java.util.Arrays.copyOf(bytes, 4));
    }

    @Test
    void labelRelativeLoadsUseTheDistanceBetweenLabels() {
        Ppc64Assembler a = new Ppc64Assembler();
        Label base = a.newLabel("base");
        Label data = a.newLabel("data");
        Label early = a.newLabel("early");
        a.bind(early).data32(0); // 0x00
        a.bind(base).ld(3, data, base, 18); // 0x04: ld r3,(0x10-0x04)(r18)
        a.lwz(6, early, base, 18); // 0x08: lwz r6,-4(r18)
        a.align(16).bind(data).data64(-1L); // 0x10
        List<Integer> w = words(a.assemble());
        assertEquals(Ppc64Encoder.ld(3, 0x0c, 18), w.get(1));
        assertEquals(Ppc64Encoder.lwz(6, -4, 18), w.get(2));
    }

    @Test
    void rejectsOperandsThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> Ppc64Encoder.addi(32, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ppc64Encoder.addi(3, 0, 0x8000));
        assertThrows(IllegalArgumentException.class, () -> Ppc64Encoder.ori(3, 3, -1));
        assertThrows(IllegalArgumentException.class, () -> Ppc64Encoder.ld(3, 6, 4));
        assertThrows(IllegalArgumentException.class, () -> Ppc64Encoder.bc(16, 0, 0x8000, false));
        assertThrows(IllegalArgumentException.class, () -> Ppc64Encoder.b(2, false));
        assertThrows(IllegalArgumentException.class, () -> Ppc64Encoder.b(1 << 25, false));
        assertThrows(IllegalArgumentException.class, () -> Ppc64Encoder.rldicr(3, 3, 64, 0));
    }

    @Test
    void unboundLabelIsAnError() {
        Ppc64Assembler a = new Ppc64Assembler();
        a.b(a.newLabel("nowhere"));
        assertThrows(IllegalStateException.class, a::assemble);
    }

    static List<Integer> words(byte[] bytes) {
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i + 4 <= bytes.length; i += 4) {
            out.add((int) Purgatory.getLe(bytes, i, 4));
        }
        return out;
    }
}
