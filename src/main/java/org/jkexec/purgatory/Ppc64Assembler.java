package org.jkexec.purgatory;

import static org.jkexec.purgatory.Ppc64Encoder.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.jkexec.units.Hex;

/**
 * A tiny two-pass assembler for 64-bit little-endian PowerPC: instructions and data are appended
 * in order, labels may be used before they are bound (forward references), and {@link #assemble()}
 * patches every reference once all labels are known.
 *
 * <p>Instruction words and data are stored little-endian, because the purgatory runs on a
 * ppc64le host whose MSR[LE] is still set when kexec enters it.
 *
 * <p>Only what the purgatory needs is here; see {@link Ppc64Encoder} for the field layouts.
 */
public final class Ppc64Assembler {

    /** A position in the output, bound once; references to it may come before the binding. */
    public static final class Label {
        private final String name;
        private int offset = -1;

        private Label(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return offset < 0 ? name + "@unbound" : name + "@" + Hex.hex(offset);
        }
    }

    /** A word to re-encode once the distance {@code target - base} is known. */
    private record Fixup(int at, Label target, Label base, IntUnaryOperator encode) {}

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Fixup> fixups = new ArrayList<>();

    public Label newLabel(String name) {
        return new Label(name);
    }

    /** Binds {@code label} to the current offset. */
    public Ppc64Assembler bind(Label label) {
        if (label.offset >= 0) {
            throw new IllegalStateException("label bound twice: " + label);
        }
        label.offset = offset();
        return this;
    }

    /** Current output offset in bytes. */
    public int offset() {
        return out.size();
    }

    /** Offset of a bound label. */
    public static int offsetOf(Label label) {
        if (label.offset < 0) {
            throw new IllegalStateException("label not bound: " + label.name);
        }
        return label.offset;
    }

    // ---- raw output ----

    /** Appends one instruction word (little-endian). */
    public Ppc64Assembler emit(int word) {
        requireWordAligned();
        writeLe(word, 4);
        return this;
    }

    public Ppc64Assembler data32(int value) {
        writeLe(value, 4);
        return this;
    }

    public Ppc64Assembler data64(long value) {
        writeLe(value, 8);
        return this;
    }

    public Ppc64Assembler bytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** Zero-fills up to {@code absoluteOffset} (like the assembler's {@code .org}). */
    public Ppc64Assembler padTo(int absoluteOffset) {
        if (absoluteOffset < offset()) {
            throw new IllegalStateException(
                    "cannot move back from " + Hex.hex(offset()) + " to " + Hex.hex(absoluteOffset));
        }
        while (offset() < absoluteOffset) {
            out.write(0);
        }
        return this;
    }

    /** Zero-fills to the next multiple of {@code boundary} (a power of two). */
    public Ppc64Assembler align(int boundary) {
        if (Integer.bitCount(boundary) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + boundary);
        }
        return padTo((offset() + boundary - 1) & -boundary);
    }

    // ---- integer arithmetic and logic ----

    public Ppc64Assembler addi(int rt, int ra, int si) {
        return emit(Ppc64Encoder.addi(rt, ra, si));
    }

    /** li RT,SI = addi RT,0,SI. */
    public Ppc64Assembler li(int rt, int si) {
        return emit(Ppc64Encoder.addi(rt, 0, si));
    }

    /** lis RT,SI = addis RT,0,SI. */
    public Ppc64Assembler lis(int rt, int si) {
        return emit(Ppc64Encoder.addis(rt, 0, si));
    }

    public Ppc64Assembler addis(int rt, int ra, int si) {
        return emit(Ppc64Encoder.addis(rt, ra, si));
    }

    public Ppc64Assembler ori(int ra, int rs, int ui) {
        return emit(Ppc64Encoder.ori(ra, rs, ui));
    }

    public Ppc64Assembler oris(int ra, int rs, int ui) {
        return emit(Ppc64Encoder.oris(ra, rs, ui));
    }

    public Ppc64Assembler andiDot(int ra, int rs, int ui) {
        return emit(Ppc64Encoder.andiDot(ra, rs, ui));
    }

    public Ppc64Assembler rldicr(int ra, int rs, int sh, int me) {
        return emit(Ppc64Encoder.rldicr(ra, rs, sh, me));
    }

    /** clrrdi RA,RS,N = rldicr RA,RS,0,63-N: clears the N low-order bits. */
    public Ppc64Assembler clrrdi(int ra, int rs, int n) {
        return emit(Ppc64Encoder.rldicr(ra, rs, 0, 63 - n));
    }

    public Ppc64Assembler or(int ra, int rs, int rb) {
        return emit(Ppc64Encoder.or(ra, rs, rb));
    }

    /** mr RA,RS = or RA,RS,RS. */
    public Ppc64Assembler mr(int ra, int rs) {
        return emit(Ppc64Encoder.or(ra, rs, rs));
    }

    /** nop = ori 0,0,0. */
    public Ppc64Assembler nop() {
        return emit(Ppc64Encoder.ori(0, 0, 0));
    }

    /** Thread priority low ({@code or 1,1,1}): lets sibling SMT threads run while we wait. */
    public Ppc64Assembler priorityLow() {
        return or(1, 1, 1);
    }

    /** Thread priority medium ({@code or 2,2,2}), the normal running priority. */
    public Ppc64Assembler priorityMedium() {
        return or(2, 2, 2);
    }

    public Ppc64Assembler cmpdi(int ra, int si) {
        return emit(Ppc64Encoder.cmpi(0, true, ra, si));
    }

    public Ppc64Assembler cmpwi(int ra, int si) {
        return emit(Ppc64Encoder.cmpi(0, false, ra, si));
    }

    // ---- loads and stores ----

    public Ppc64Assembler ld(int rt, int ds, int ra) {
        return emit(Ppc64Encoder.ld(rt, ds, ra));
    }

    public Ppc64Assembler std(int rs, int ds, int ra) {
        return emit(Ppc64Encoder.std(rs, ds, ra));
    }

    public Ppc64Assembler lwz(int rt, int d, int ra) {
        return emit(Ppc64Encoder.lwz(rt, d, ra));
    }

    public Ppc64Assembler stw(int rs, int d, int ra) {
        return emit(Ppc64Encoder.stw(rs, d, ra));
    }

    public Ppc64Assembler lwbrx(int rt, int ra, int rb) {
        return emit(Ppc64Encoder.lwbrx(rt, ra, rb));
    }

    public Ppc64Assembler stwbrx(int rs, int ra, int rb) {
        return emit(Ppc64Encoder.stwbrx(rs, ra, rb));
    }

    /** ld RT,(data - base)(RA): RA must hold the address of {@code base}. */
    public Ppc64Assembler ld(int rt, Label data, Label base, int ra) {
        return withFixup(data, base, disp -> Ppc64Encoder.ld(rt, disp, ra));
    }

    /** lwz RT,(data - base)(RA): RA must hold the address of {@code base}. */
    public Ppc64Assembler lwz(int rt, Label data, Label base, int ra) {
        return withFixup(data, base, disp -> Ppc64Encoder.lwz(rt, disp, ra));
    }

    // ---- special registers ----

    public Ppc64Assembler mtspr(int spr, int rs) {
        return emit(Ppc64Encoder.mtspr(spr, rs));
    }

    public Ppc64Assembler mfspr(int rt, int spr) {
        return emit(Ppc64Encoder.mfspr(rt, spr));
    }

    public Ppc64Assembler mtctr(int rs) {
        return mtspr(SPR_CTR, rs);
    }

    public Ppc64Assembler mtlr(int rs) {
        return mtspr(SPR_LR, rs);
    }

    public Ppc64Assembler mflr(int rt) {
        return mfspr(rt, SPR_LR);
    }

    public Ppc64Assembler mtsrr0(int rs) {
        return mtspr(SPR_SRR0, rs);
    }

    public Ppc64Assembler mtsrr1(int rs) {
        return mtspr(SPR_SRR1, rs);
    }

    public Ppc64Assembler mfmsr(int rt) {
        return emit(Ppc64Encoder.mfmsr(rt));
    }

    public Ppc64Assembler sync() {
        return emit(Ppc64Encoder.sync());
    }

    public Ppc64Assembler isync() {
        return emit(Ppc64Encoder.isync());
    }

    public Ppc64Assembler rfid() {
        return emit(Ppc64Encoder.rfid());
    }

    // ---- branches ----

    public Ppc64Assembler b(Label target) {
        return withFixup(target, null, disp -> Ppc64Encoder.b(disp, false));
    }

    public Ppc64Assembler bl(Label target) {
        return withFixup(target, null, disp -> Ppc64Encoder.b(disp, true));
    }

    public Ppc64Assembler bc(int bo, int bi, Label target, boolean link) {
        return withFixup(target, null, disp -> Ppc64Encoder.bc(bo, bi, disp, link));
    }

    public Ppc64Assembler beq(Label target) {
        return bc(BO_IF_TRUE, CR0_EQ, target, false);
    }

    public Ppc64Assembler bne(Label target) {
        return bc(BO_IF_FALSE, CR0_EQ, target, false);
    }

    public Ppc64Assembler blt(Label target) {
        return bc(BO_IF_TRUE, CR0_LT, target, false);
    }

    public Ppc64Assembler bge(Label target) {
        return bc(BO_IF_FALSE, CR0_LT, target, false);
    }

    /** Decrements CTR and branches while it is not zero. */
    public Ppc64Assembler bdnz(Label target) {
        return bc(BO_DNZ, 0, target, false);
    }

    /**
     * {@code bcl 20,31,target}: an always-taken branch-and-link. Used with the next instruction
     * as target it puts the current address in LR; this form is the one processors do not push on
     * their return-address stack.
     */
    public Ppc64Assembler bclAlways(Label target) {
        return bc(BO_ALWAYS, 31, target, true);
    }

    public Ppc64Assembler bctr() {
        return emit(Ppc64Encoder.bcctr(BO_ALWAYS, 0, false));
    }

    // ---- finishing ----

    /** Resolves every label reference and returns the bytes. The assembler stays usable. */
    public byte[] assemble() {
        byte[] bytes = out.toByteArray();
        for (Fixup f : fixups) {
            int base = f.base == null ? f.at : offsetOf(f.base);
            int word = f.encode.applyAsInt(offsetOf(f.target) - base);
            for (int i = 0; i < 4; i++) {
                bytes[f.at + i] = (byte) (word >>> (8 * i));
            }
        }
        return bytes;
    }

    private Ppc64Assembler withFixup(Label target, Label base, IntUnaryOperator encode) {
        requireWordAligned();
        fixups.add(new Fixup(offset(), target, base, encode));
        writeLe(0, 4);
        return this;
    }

    private void requireWordAligned() {
        if ((offset() & 3) != 0) {
            throw new IllegalStateException("instruction at unaligned offset " + Hex.hex(offset()));
        }
    }

    private void writeLe(long value, int size) {
        for (int i = 0; i < size; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }
}
