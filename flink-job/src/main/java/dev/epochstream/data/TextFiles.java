package dev.epochstream.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Opens text files of events so that one bad byte costs one line, not the file. Bytes that are not UTF-8
 * decode to {@link #NOT_UTF8}, an unpaired low surrogate that valid UTF-8 never yields (UTF-8 cannot encode
 * surrogates, and a supplementary character always decodes to a high then a low surrogate), so
 * {@link #notUtf8At} finds them exactly and the reader reports that line and goes on.
 */
public final class TextFiles {
    /** What a byte sequence that is not UTF-8 decodes to. */
    static final char NOT_UTF8 = '\uDFFF';

    private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};

    private TextFiles() {
    }

    /**
     * A UTF-8 reader of {@code file} that never throws for bytes that are not UTF-8 (see {@link #notUtf8At}).
     *
     * @throws IOException when the file cannot be opened, or is gzip-compressed (named in the message)
     */
    public static BufferedReader open(Path file) throws IOException {
        refuseCompressed(file);
        InputStream in = Files.newInputStream(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(NOT_UTF8));
        return new BufferedReader(new InputStreamReader(in, decoder));
    }

    /** Throws, naming the file and the fix, when {@code file} starts like gzip. */
    public static void refuseCompressed(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(2);
        }
        if (Arrays.equals(head, GZIP_MAGIC)) {
            throw new IOException(file + ": a gzip-compressed file; events files are read uncompressed"
                    + " (decompress it first: gunzip -k " + file + ")");
        }
    }

    /**
     * The 1-based column of the first byte sequence of {@code line} that was not UTF-8 when read through
     * {@link #open}, or 0 when the line is valid UTF-8.
     */
    public static int notUtf8At(String line) {
        for (int i = line.indexOf(NOT_UTF8); i >= 0; i = line.indexOf(NOT_UTF8, i + 1)) {
            if (i == 0 || !Character.isHighSurrogate(line.charAt(i - 1))) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The reason for a line that is not UTF-8, as bad-line messages print it. */
    public static String notUtf8Reason(int column) {
        return "not UTF-8 (an invalid byte sequence at column " + column + ")";
    }

    /** {@code line} without a leading UTF-8 byte order mark. */
    public static String stripBom(String line) {
        return line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }
}
