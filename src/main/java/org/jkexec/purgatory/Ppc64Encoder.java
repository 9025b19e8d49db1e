package org.jkexec.purgatory;

/**
 * Encodes the few 64-bit PowerPC instructions our purgatory uses as 32-bit instruction words.
 *
 * <p>Field positions follow the Power ISA (v3.1, Book I, section 1.6 "Instruction Formats"), which
 * numbers bits big-endian: bit 0 is the most significant bit of the word, bit 31 the least. A
 * field that occupies ISA bits {@code a..b} is therefore shifted left by {@code 31 - b}. The
 * primary opcode is always bits 0..5. Byte order in memory is not decided here (see
 * {@link Ppc64Assembler}, which stores words little-endian).
 *
 * <p>Every method checks its operands, so a wrong register number or an immediate that does
 * not fit fails at build time instead of producing a different instruction.
 */
public final class Ppc64Encoder {
    /** Special-purpose register numbers (Power ISA Book I/III SPR tables). */
    public static final int SPR_LR = 8;

    public static final int SPR_CTR = 9;
    public static final int SPR_SRR0 = 26;
    public static final int SPR_SRR1 = 27;

    /** BO values (B-form, ISA Book I, section 2.4, "BO field encodings"). */
    public static final int BO_IF_FALSE = 0b00100; // branch if CR[BI] = 0

    public static final int BO_IF_TRUE = 0b01100; // branch if CR[BI] = 1
    public static final int BO_DNZ = 0b10000; // decrement CTR, branch if CTR != 0
    public static final int BO_ALWAYS = 0b10100; // branch always

    /** CR0 bit numbers as BI operands (LT, GT, EQ, SO = CR bits 0..3). */
    public static final int CR0_LT = 0;

    public static final int CR0_GT = 1;
    public static final int CR0_EQ = 2;

    private Ppc64Encoder() {}

    // ---- D-form: OPCD(0:5) RT/RS(6:10) RA(11:15) D/SI/UI(16:31) ----

    /** addi RT,RA,SI (opcode 14). RA = 0 means the literal 0, which gives {@code li}. */
    public static int addi(int rt, int ra, int si) {
        return dForm(14, rt, ra, signed16(si));
    }

    /** addis RT,RA,SI (opcode 15): RT = RA + (SI << 16); RA = 0 gives {@code lis}. */
    public static int addis(int rt, int ra, int si) {
        return dForm(15, rt, ra, signed16(si));
    }

    /** ori RA,RS,UI (opcode 24). Note the operand order: the target is RA, bits 11..15. */
    public static int ori(int ra, int rs, int ui) {
        return dForm(24, rs, ra, unsigned16(ui));
    }

    /** oris RA,RS,UI (opcode 25): RA = RS | (UI << 16). */
    public static int oris(int ra, int rs, int ui) {
        return dForm(25, rs, ra, unsigned16(ui));
    }

    /** andi. RA,RS,UI (opcode 28): always records CR0 (there is no non-dot form). */
    public static int andiDot(int ra, int rs, int ui) {
        return dForm(28, rs, ra, unsigned16(ui));
    }

    /** lwz RT,D(RA) (opcode 32): load word and zero. */
    public static int lwz(int rt, int d, int ra) {
        return dForm(32, rt, ra, signed16(d));
    }

    /** stw RS,D(RA) (opcode 36). */
    public static int stw(int rs, int d, int ra) {
        return dForm(36, rs, ra, signed16(d));
    }

    /**
     * cmpi BF,L,RA,SI (opcode 11; D-form with BF in bits 6..8, bit 9 reserved, L in bit 10).
     * L = 1 compares all 64 bits ({@code cmpdi}), L = 0 the low 32 bits ({@code cmpwi}).
     */
    public static int cmpi(int bf, boolean doubleword, int ra, int si) {
        check(bf, 0, 7, "BF");
        int l = doubleword ? 1 : 0;
        return (11 << 26) | (bf << 23) | (l << 21) | (reg(ra) << 16) | signed16(si);
    }

    // ---- DS-form: OPCD(0:5) RT(6:10) RA(11:15) DS(16:29) XO(30:31) ----

    /** ld RT,DS(RA) (opcode 58, XO 0). The displacement must be a multiple of 4. */
    public static int ld(int rt, int ds, int ra) {
        return (58 << 26) | (reg(rt) << 21) | (reg(ra) << 16) | dsField(ds) | 0;
    }

    /** std RS,DS(RA) (opcode 62, XO 0). */
    public static int std(int rs, int ds, int ra) {
        return (62 << 26) | (reg(rs) << 21) | (reg(ra) << 16) | dsField(ds) | 0;
    }

    // ---- X-form: OPCD(0:5) RT/RS(6:10) RA(11:15) RB(16:20) XO(21:30) Rc(31) ----

    /** or RA,RS,RB (opcode 31, XO 444). {@code or r,r,r} doubles as a thread-priority hint. */
    public static int or(int ra, int rs, int rb) {
        return xForm(31, rs, ra, rb, 444);
    }

    /** lwbrx RT,RA,RB (opcode 31, XO 534): load word with the bytes in the other order. */
    public static int lwbrx(int rt, int ra, int rb) {
        return xForm(31, rt, ra, rb, 534);
    }

    /** stwbrx RS,RA,RB (opcode 31, XO 662): store word with the bytes in the other order. */
    public static int stwbrx(int rs, int ra, int rb) {
        return xForm(31, rs, ra, rb, 662);
    }

    /** mfmsr RT (opcode 31, XO 83; privileged). */
    public static int mfmsr(int rt) {
        return xForm(31, rt, 0, 0, 83);
    }

    /** sync 0 = hwsync (opcode 31, XO 598). */
    public static int sync() {
        return xForm(31, 0, 0, 0, 598);
    }

    // ---- XFX-form: OPCD(0:5) RT/RS(6:10) spr(11:20) XO(21:30) ----

    /** mtspr SPR,RS (opcode 31, XO 467). */
    public static int mtspr(int spr, int rs) {
        return (31 << 26) | (reg(rs) << 21) | sprField(spr) | (467 << 1);
    }

    /** mfspr RT,SPR (opcode 31, XO 339). */
    public static int mfspr(int rt, int spr) {
        return (31 << 26) | (reg(rt) << 21) | sprField(spr) | (339 << 1);
    }

    // ---- MD-form: OPCD(0:5) RS(6:10) RA(11:15) sh0:4(16:20) me(21:26) XO(27:29) sh5(30) Rc(31) ----

    /**
     * rldicr RA,RS,SH,ME (opcode 30, XO 1): rotate left by SH, keep bits 0..ME (ISA numbering).
     * The 6-bit SH and ME are stored split: SH's low five bits in 16..20 and its top bit in 30;
     * ME's low five bits first (21..25) and its top bit last (26).
     */
    public static int rldicr(int ra, int rs, int sh, int me) {
        check(sh, 0, 63, "SH");
        check(me, 0, 63, "ME");
        int meField = ((me & 0x1f) << 1) | (me >>> 5);
        return (30 << 26)
                | (reg(rs) << 21)
                | (reg(ra) << 16)
                | ((sh & 0x1f) << 11)
                | (meField << 5)
                | (1 << 2)
                | ((sh >>> 5) << 1);
    }

    // ---- XL-form: OPCD(0:5) BO(6:10) BI(11:15) ///(16:18) BH(19:20) XO(21:30) LK(31) ----

    /** bcctr BO,BI (opcode 19, XO 528); {@code bctr} is BO = 20 (always). */
    public static int bcctr(int bo, int bi, boolean link) {
        return (19 << 26) | (field5(bo, "BO") << 21) | (field5(bi, "BI") << 16) | (528 << 1) | (link ? 1 : 0);
    }

    /** rfid (opcode 19, XO 18; privileged): MSR from SRR1, continue at SRR0. */
    public static int rfid() {
        return (19 << 26) | (18 << 1);
    }

    /** isync (opcode 19, XO 150): context synchronisation. */
    public static int isync() {
        return (19 << 26) | (150 << 1);
    }

    // ---- I-form: OPCD(0:5)=18 LI(6:29) AA(30) LK(31) ----

    /** b / bl with a byte displacement relative to this instruction (±32 MiB, multiple of 4). */
    public static int b(int displacement, boolean link) {
        if ((displacement & 3) != 0 || displacement < -(1 << 25) || displacement >= (1 << 25)) {
            throw new IllegalArgumentException("branch displacement out of range: " + displacement);
        }
        return (18 << 26) | (displacement & 0x03fffffc) | (link ? 1 : 0);
    }

    // ---- B-form: OPCD(0:5)=16 BO(6:10) BI(11:15) BD(16:29) AA(30) LK(31) ----

    /** bc BO,BI,target with a byte displacement relative to this instruction (±32 KiB, multiple of 4). */
    public static int bc(int bo, int bi, int displacement, boolean link) {
        if ((displacement & 3) != 0 || displacement < -(1 << 15) || displacement >= (1 << 15)) {
            throw new IllegalArgumentException("conditional branch displacement out of range: " + displacement);
        }
        return (16 << 26)
                | (field5(bo, "BO") << 21)
                | (field5(bi, "BI") << 16)
                | (displacement & 0xfffc)
                | (link ? 1 : 0);
    }

    // ---- helpers ----

    private static int dForm(int opcd, int rtOrRs, int ra, int low16) {
        return (opcd << 26) | (reg(rtOrRs) << 21) | (reg(ra) << 16) | low16;
    }

    private static int xForm(int opcd, int rtOrRs, int ra, int rb, int xo) {
        return (opcd << 26) | (reg(rtOrRs) << 21) | (reg(ra) << 16) | (reg(rb) << 11) | (xo << 1);
    }

    /** The SPR number is stored with its two 5-bit halves swapped: spr[5:9] || spr[0:4]. */
    private static int sprField(int spr) {
        check(spr, 0, 1023, "SPR");
        int swapped = ((spr & 0x1f) << 5) | (spr >>> 5);
        return swapped << 11;
    }

    private static int dsField(int ds) {
        if ((ds & 3) != 0) {
            throw new IllegalArgumentException("DS-form displacement must be a multiple of 4: " + ds);
        }
        return signed16(ds) & 0xfffc;
    }

    private static int signed16(int v) {
        check(v, Short.MIN_VALUE, Short.MAX_VALUE, "signed 16-bit immediate");
        return v & 0xffff;
    }

    private static int unsigned16(int v) {
        check(v, 0, 0xffff, "unsigned 16-bit immediate");
        return v;
    }

    private static int reg(int r) {
        return check(r, 0, 31, "GPR");
    }

    private static int field5(int v, String what) {
        return check(v, 0, 31, what);
    }

    private static int check(int v, int min, int max, String what) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " out of range [" + min + ", " + max + "]: " + v);
        }
        return v;
    }
}
