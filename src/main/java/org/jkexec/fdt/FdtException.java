package org.jkexec.fdt;

import org.jkexec.JkexecException;

/**
 * A device-tree operation that failed, with the libfdt error it corresponds to, so callers
 * (and tests) can tell a tree that does not fit its buffer from a malformed blob without
 * reading messages. The message stays the one line the user sees.
 */
public final class FdtException extends JkexecException {
    private static final long serialVersionUID = 1L;

    /** libfdt's error codes (FDT_ERR_*), those jkexec's operations can meet. */
    public enum Code {
        /** A node or property asked for is not there. */
        NOTFOUND,
        /** A node or property to add is already there. */
        EXISTS,
        /** The tree does not fit the buffer it must be written into. */
        NOSPACE,
        /** The blob ends before what its header or a structure says. */
        TRUNCATED,
        /** Not a flattened device tree. */
        BADMAGIC,
        /** A version jkexec does not read. */
        BADVERSION,
        /** The blocks (reserve map, struct, strings) overlap or lie outside the blob. */
        BADLAYOUT,
        /** The struct block's tags, names or nesting are malformed. */
        BADSTRUCTURE,
        /** A property's value has the wrong size for what it holds; a reserve entry or size the format cannot hold. */
        BADVALUE,
        /** A node nested deeper than the format allows. */
        BADDEPTH
    }

    private final Code code;

    private FdtException(Code code, String message, int exitCode) {
        super(message, exitCode, null);
        this.code = code;
    }

    /** A malformed input ({@code source}: the file or property), exit status 2. */
    static FdtException badInput(Code code, Object source, String problem) {
        return new FdtException(code, source + ": " + problem, 2);
    }

    /** An edit or a write that cannot be made, exit status 1; the message starts with libfdt's name of the error. */
    static FdtException failed(Code code, String message) {
        return new FdtException(code, "FDT_ERR_" + code.name() + ": " + message, 1);
    }

    public Code code() {
        return code;
    }
}
