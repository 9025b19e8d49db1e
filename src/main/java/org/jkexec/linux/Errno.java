package org.jkexec.linux;

/** The errno values kexec can return (include/uapi/asm-generic/errno*.h; same on ppc64 and x86_64). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int ETXTBSY = 26;
    public static final int ENOSYS = 38;
    public static final int EBADMSG = 74;
    public static final int EOVERFLOW = 75;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENOKEY = 126;
    public static final int EKEYREJECTED = 129;

    private Errno() {}

    /** The symbolic name, or "errno N" for one we do not list. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case ENOEXEC -> "ENOEXEC";
            case EBADF -> "EBADF";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EINVAL -> "EINVAL";
            case ETXTBSY -> "ETXTBSY";
            case ENOSYS -> "ENOSYS";
            case EBADMSG -> "EBADMSG";
            case EOVERFLOW -> "EOVERFLOW";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENOKEY -> "ENOKEY";
            case EKEYREJECTED -> "EKEYREJECTED";
            default -> "errno " + errno;
        };
    }
}
