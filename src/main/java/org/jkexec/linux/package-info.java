/**
 * The only code that talks to the running kernel: kexec_load(2) and kexec_file_load(2) through
 * JNA ({@link org.jkexec.linux.KexecSyscalls}, loaded lazily), their pre-flight checks, errno
 * messages, and the /sys and /proc files that describe kexec state.
 * {@link org.jkexec.linux.KexecLoader} is the entry point.
 */
package org.jkexec.linux;
