package org.jkexec.purgatory;

/**
 * Executes the subset of 64-bit PowerPC our purgatory uses, one instruction at a time, against
 * a {@link PhysicalMemory}. It decodes the words itself (it does not reuse {@link Ppc64Encoder}),
 * so running the built image here checks encoder and program together.
 *
 * <p>Model: a little-endian machine in real mode (effective address = physical address).
 * Instruction fetch and data accesses are always little-endian; MSR[LE] is only a bit that
 * mfmsr reads and rfid writes, which is enough to follow the purgatory's final branch in both
 * directions. Anything outside the subset stops the run with an exception.
 */
final class Ppc64Interpreter {
    static final long MSR_SF = 1L << 63;
    static final long MSR_HV = 1L << 60;
    static final long MSR_EE = 1L << 15;
    static final long MSR_ME = 1L << 12;
    static final long MSR_IR = 1L << 5;
    static final long MSR_DR = 1L << 4;
    static final long MSR_RI = 1L << 1;
    static final long MSR_LE = 1L;

    final long[] gpr = new long[32];
    long pc;
    long lr;
    long ctr;
    long msr;
    long srr0;
    long srr1;
    /** Condition register, 32 bits; ISA bit i is {@code (cr >>> (31 - i)) & 1}. */
    int cr;

    long steps;
    /** Instructions executed per priority hint, for checks on the SMT priority dance. */
    int priorityLowHints;

    int priorityMediumHints;

    private final PhysicalMemory memory;

    Ppc64Interpreter(PhysicalMemory memory) {
        this.memory = memory;
    }

    /** Runs until the program counter equals {@code stopPc}; fails after {@code maxSteps}. */
    void runUntil(long stopPc, long maxSteps) {
        while (pc != stopPc) {
            if (steps >= maxSteps) {
                throw new IllegalStateException("no arrival at 0x" + Long.toHexString(stopPc) + " after " + steps
                        + " instructions; pc=0x" + Long.toHexString(pc));
            }
            step();
        }
    }

    void step() {
        int w = (int) memory.loadLe(pc, 4);
        long next = pc + 4;
        int opcd = w >>> 26;
        int rt = (w >>> 21) & 31; // also RS, BO, BF<<2|L
        int ra = (w >>> 16) & 31; // also BI
        int rb = (w >>> 11) & 31;
        long si = (short) w;
        long ui = w & 0xffff;
        switch (opcd) {
            case 14 -> gpr[rt] = base(ra) + si; // addi
            case 15 -> gpr[rt] = base(ra) + (si << 16); // addis
            case 24 -> gpr[ra] = gpr[rt] | ui; // ori
            case 25 -> gpr[ra] = gpr[rt] | (ui << 16); // oris
            case 28 -> { // andi.
                gpr[ra] = gpr[rt] & ui;
                setCrField(0, Long.compare(gpr[ra], 0));
            }
            case 11 -> { // cmpi
                if ((rt & 2) != 0) {
                    throw unsupported(w, "reserved bit set in cmpi");
                }
                int bf = rt >>> 2;
                boolean doubleword = (rt & 1) != 0;
                long a = doubleword ? gpr[ra] : (long) (int) gpr[ra];
                setCrField(bf, Long.compare(a, si));
            }
            case 30 -> executeMdForm(w, rt, ra);
            case 58 -> { // ld (DS-form, XO 0)
                requireDsXo(w, 0);
                gpr[rt] = memory.loadLe(base(ra) + (si & ~3L), 8);
            }
            case 62 -> { // std
                requireDsXo(w, 0);
                memory.storeLe(base(ra) + (si & ~3L), gpr[rt], 8);
            }
            case 32 -> gpr[rt] = memory.loadLe(base(ra) + si, 4); // lwz
            case 36 -> memory.storeLe(base(ra) + si, gpr[rt], 4); // stw
            case 31 -> executeOpcode31(w, rt, ra, rb);
            case 19 -> next = executeOpcode19(w, rt, ra, next);
            case 18 -> { // b, bl
                if ((w & 2) != 0) {
                    throw unsupported(w, "absolute branch");
                }
                long li = ((long) (w << 6)) >> 6 & ~3L;
                if ((w & 1) != 0) {
                    lr = next;
                }
                next = pc + li;
            }
            case 16 -> { // bc
                if ((w & 2) != 0) {
                    throw unsupported(w, "absolute branch");
                }
                long bd = (short) (w & 0xfffc);
                boolean taken = branchConditionHolds(rt, ra, true);
                if ((w & 1) != 0) {
                    lr = next;
                }
                if (taken) {
                    next = pc + bd;
                }
            }
            default -> throw unsupported(w, "primary opcode " + opcd);
        }
        pc = next;
        steps++;
    }

    private void executeMdForm(int w, int rs, int ra) {
        int xo = (w >>> 2) & 7;
        if (xo != 1 || (w & 1) != 0) {
            throw unsupported(w, "MD-form other than rldicr");
        }
        int sh = ((w >>> 11) & 31) | (((w >>> 1) & 1) << 5);
        int meField = (w >>> 5) & 63;
        int me = ((meField & 1) << 5) | (meField >>> 1);
        long rotated = Long.rotateLeft(gpr[rs], sh);
        long mask = -1L << (63 - me); // ISA bits 0..me
        gpr[ra] = rotated & mask;
    }

    private void executeOpcode31(int w, int rt, int ra, int rb) {
        int xo = (w >>> 1) & 0x3ff;
        if ((w & 1) != 0) {
            throw unsupported(w, "record form");
        }
        switch (xo) {
            case 444 -> { // or
                if (rt == ra && ra == rb) {
                    countPriorityHint(rt);
                }
                gpr[ra] = gpr[rt] | gpr[rb];
            }
            case 534 -> gpr[rt] = memory.loadBe(base(ra) + gpr[rb], 4); // lwbrx (LE machine)
            case 662 -> memory.storeBe(base(ra) + gpr[rb], gpr[rt], 4); // stwbrx
            case 83 -> gpr[rt] = msr; // mfmsr
            case 598 -> {} // sync: nothing to order here
            case 467 -> setSpr(sprNumber(w), gpr[rt]); // mtspr
            case 339 -> gpr[rt] = getSpr(sprNumber(w)); // mfspr
            default -> throw unsupported(w, "opcode 31 XO " + xo);
        }
    }

    private long executeOpcode19(int w, int bo, int bi, long next) {
        int xo = (w >>> 1) & 0x3ff;
        switch (xo) {
            case 528 -> { // bcctr
                if ((bo & 0b00100) == 0) {
                    throw unsupported(w, "bcctr that decrements CTR (invalid form)");
                }
                long target = ctr & ~3L;
                if ((w & 1) != 0) {
                    lr = next;
                }
                return branchConditionHolds(bo, bi, false) ? target : next;
            }
            case 18 -> { // rfid
                msr = srr1;
                return srr0 & ~3L;
            }
            case 150 -> { // isync
                return next;
            }
            default -> throw unsupported(w, "opcode 19 XO " + xo);
        }
    }

    /** Power ISA Book I, section 2.4: ctr_ok and cond_ok for a conditional branch. */
    private boolean branchConditionHolds(int bo, int bi, boolean mayDecrement) {
        boolean ctrOk = true;
        if ((bo & 0b00100) == 0 && mayDecrement) {
            ctr--;
            boolean ctrNonZero = ctr != 0;
            ctrOk = ctrNonZero ^ ((bo & 0b00010) != 0);
        }
        boolean condOk = (bo & 0b10000) != 0 || (crBit(bi) == ((bo & 0b01000) != 0));
        return ctrOk && condOk;
    }

    boolean crBit(int bi) {
        return ((cr >>> (31 - bi)) & 1) != 0;
    }

    /** Sets CR field {@code bf} to LT/GT/EQ from a comparison result (SO is always 0 here). */
    private void setCrField(int bf, int comparison) {
        int bits = comparison < 0 ? 0b1000 : comparison > 0 ? 0b0100 : 0b0010;
        int shift = 28 - 4 * bf;
        cr = (cr & ~(0xf << shift)) | (bits << shift);
    }

    private static int sprNumber(int w) {
        int field = (w >>> 11) & 0x3ff;
        return ((field & 31) << 5) | (field >>> 5);
    }

    private void setSpr(int spr, long value) {
        switch (spr) {
            case 8 -> lr = value;
            case 9 -> ctr = value;
            case 26 -> srr0 = value;
            case 27 -> srr1 = value;
            default -> throw new IllegalStateException("mtspr to unmodelled SPR " + spr);
        }
    }

    private long getSpr(int spr) {
        return switch (spr) {
            case 8 -> lr;
            case 9 -> ctr;
            case 26 -> srr0;
            case 27 -> srr1;
            default -> throw new IllegalStateException("mfspr from unmodelled SPR " + spr);
        };
    }

    private void countPriorityHint(int r) {
        if (r == 1) {
            priorityLowHints++;
        } else if (r == 2) {
            priorityMediumHints++;
        }
    }

    private long base(int ra) {
        return ra == 0 ? 0 : gpr[ra];
    }

    private void requireDsXo(int w, int xo) {
        if ((w & 3) != xo) {
            throw unsupported(w, "DS-form XO " + (w & 3));
        }
    }

    private UnsupportedOperationException unsupported(int w, String why) {
        return new UnsupportedOperationException(String.format("instruction 0x%08x at 0x%x: %s", w, pc, why));
    }
}
