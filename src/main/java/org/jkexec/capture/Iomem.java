package org.jkexec.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.memory.MemRange;

/** The lines of /proc/iomem that matter: top-level "System RAM" and "Crash kernel". */
public record Iomem(List<MemRange> systemRam, Optional<MemRange> crashKernel) {

    public static Iomem parse(String text, String source) {
        List<MemRange> ram = new ArrayList<>();
        MemRange crash = null;
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(" : ");
            int dash = line.indexOf('-');
            if (colon < 0 || dash < 0 || dash > colon) {
                throw JkexecException.badInput(
                        source, "line " + lineNo + " is not 'start-end : name': " + line.strip());
            }
            boolean topLevel = !Character.isWhitespace(line.charAt(0));
            String name = line.substring(colon + 3).strip();
            long start;
            long end;
            try {
                start = Long.parseUnsignedLong(line.substring(0, dash).strip(), 16);
                end = Long.parseUnsignedLong(line.substring(dash + 1, colon).strip(), 16);
            } catch (NumberFormatException e) {
                throw JkexecException.badInput(source, "line " + lineNo + " has a bad address: " + line.strip());
            }
            if (Long.compareUnsigned(end, start) < 0) {
                throw JkexecException.badInput(source, "line " + lineNo + " ends before it starts: " + line.strip());
            }
            if (topLevel && name.equals("System RAM")) {
                ram.add(new MemRange(start, end));
            } else if (name.equals("Crash kernel")) {
                // the kernel reserves one region; of two lines the last would win unseen
                if (crash != null && !crash.equals(new MemRange(start, end))) {
                    throw JkexecException.badInput(
                            source,
                            "line " + lineNo + ": a second Crash kernel line " + new MemRange(start, end) + " beside "
                                    + crash);
                }
                crash = new MemRange(start, end);
            }
        }
        ram.sort(null);
        return new Iomem(List.copyOf(ram), Optional.ofNullable(crash));
    }
}
