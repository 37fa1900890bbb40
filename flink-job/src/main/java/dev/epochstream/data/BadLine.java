package dev.epochstream.data;

/**
 * A line of an input file that is not an event: where it is and why. Printed as {@code source:line: reason},
 * the way compilers report errors, so editors can jump to it.
 *
 * @param source the file (or stream) name
 * @param line 1-based line number
 * @param reason what is wrong, naming the column or token
 */
public record BadLine(String source, long line, String reason) {
    @Override
    public String toString() {
        return source + ":" + line + ": " + reason;
    }
}
