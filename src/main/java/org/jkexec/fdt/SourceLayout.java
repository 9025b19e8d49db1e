package org.jkexec.fdt;

/**
 * Where {@code fdt_open_into} puts the blocks of the blob a tree came from, and the bytes of
 * that blob it carries along that are not part of the tree. Immutable, shared by copies.
 *
 * <p>libfdt's fdt_open_into has two paths. If the source blocks are in canonical order
 * (reserve map after the header, struct after the map, strings after the struct, all inside
 * totalsize: {@code fdt_blocks_misordered_} is false), it copies the whole blob ({@code fdt_move})
 * and only fixes up the header: every block keeps its offset, the gaps between blocks keep
 * their bytes, and so does whatever followed the strings in the source. Later edits splice
 * (memmove) everything after the edit point up to the end of the strings, so the gaps travel
 * with the blocks. Otherwise (misordered, which includes SLOF's strings-before-struct blobs) it
 * packs header | reserve map | struct | strings with no gaps into a buffer whose other bytes it
 * never writes (here: zero). Version 16 blobs go through the same test: v16 only lacks
 * size_dt_struct, which libfdt computes by walking the struct block to FDT_END.
 */
final class SourceLayout {
    /** True for libfdt's in-order path: blocks keep their source offsets and gaps. */
    final boolean keepsOffsets;

    final int reserveMapOffset;
    /** Source bytes between the reserve map's terminator and the struct block. */
    final byte[] gapAfterReserveMap;
    /** Source bytes between the struct block and the strings block. */
    final byte[] gapAfterStruct;
    /** v17 bytes after FDT_END that size_dt_struct still covers; libfdt copies them along. */
    final byte[] structTrailer;
    /** Buffer content under the image where nothing was written: the source blob, or null for zeros. */
    final byte[] background;
    /** fdt_move refuses a buffer smaller than the source's totalsize. */
    final int minTotalSize;
    /** fdt_open_into's in-order path keeps last_comp_version; packing sets 16. */
    final int lastCompVersion;

    private static final byte[] NONE = new byte[0];

    private SourceLayout(
            boolean keepsOffsets,
            int reserveMapOffset,
            byte[] gapAfterReserveMap,
            byte[] gapAfterStruct,
            byte[] structTrailer,
            byte[] background,
            int minTotalSize,
            int lastCompVersion) {
        this.keepsOffsets = keepsOffsets;
        this.reserveMapOffset = reserveMapOffset;
        this.gapAfterReserveMap = gapAfterReserveMap;
        this.gapAfterStruct = gapAfterStruct;
        this.structTrailer = structTrailer;
        this.background = background;
        this.minTotalSize = minTotalSize;
        this.lastCompVersion = lastCompVersion;
    }

    /** A tree not read from a blob: header | reserve map | struct | strings, nothing else. */
    static SourceLayout packed() {
        return packed(NONE);
    }

    /** libfdt's reorder path (fdt_packblocks_); only the struct trailer survives. */
    static SourceLayout packed(byte[] structTrailer) {
        return new SourceLayout(
                false, FdtFormat.RESERVE_MAP_OFFSET, NONE, NONE, structTrailer, null, 0, FdtFormat.LAST_COMP_VERSION);
    }

    /** libfdt's in-order path (fdt_move): the source blob is the background of the image. */
    static SourceLayout keptInPlace(
            int reserveMapOffset,
            byte[] gapAfterReserveMap,
            byte[] gapAfterStruct,
            byte[] structTrailer,
            byte[] sourceBlob,
            int lastCompVersion) {
        return new SourceLayout(
                true,
                reserveMapOffset,
                gapAfterReserveMap,
                gapAfterStruct,
                structTrailer,
                sourceBlob,
                sourceBlob.length,
                lastCompVersion);
    }
}
