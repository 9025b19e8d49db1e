package org.jkexec.cli;

import org.jkexec.units.Memparse;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Size options read as the kernel reads crashkernel= (see {@link Memparse}); a bad one is a usage error (exit 2). */
final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return Memparse.value(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
