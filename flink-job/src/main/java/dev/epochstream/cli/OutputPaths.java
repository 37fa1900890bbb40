package dev.epochstream.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The output files of a command, checked before it does any work: a bad path is a usage error naming the
 * option, not a failure after training. Missing parent directories are created (as snapshot files always
 * have been).
 */
final class OutputPaths {
    /** Longest file name written for a key, in characters (all ASCII), within every common file system's 255 bytes. */
    static final int MAX_NAME = 200;

    private OutputPaths() {
    }

    /** Makes {@code file} writable: its parent directories exist; it is not a directory itself. */
    static void prepareFile(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new Main.UsageException(option + " " + file + ": is a directory; give a file name");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            prepareDir(parent, option + " " + file);
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new Main.UsageException(option + " " + file + ": the file is not writable");
        }
    }

    /** Creates {@code dir} (and its parents) when missing; {@code what} names it in the message. */
    static void prepareDir(Path dir, String what) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            Path blocking = dir.toAbsolutePath();
            while (blocking != null && !Files.exists(blocking)) {
                blocking = blocking.getParent();
            }
            String why = blocking != null && !Files.isDirectory(blocking) ? blocking + " is a file, not a directory"
                    : "cannot create directory " + dir + " (" + e.getClass().getSimpleName() + ")";
            throw new Main.UsageException(what + ": " + why);
        }
        if (!Files.isWritable(dir)) {
            throw new Main.UsageException(what + ": directory " + dir + " is not writable");
        }
    }

    /**
     * The file name of a key's snapshot in {@code --out-dir}: the key URL-encoded (UTF-8) plus {@code .snap};
     * when that is longer than {@link #MAX_NAME} characters, its first 160 characters, {@code ~}, and the first
     * 32 hex digits of the SHA-256 of the key's UTF-8 bytes. URL encoding never writes {@code ~}, so the two
     * forms cannot collide, and the name fits every common file system.
     */
    static String snapshotFileName(String key) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8);
        if (encoded.length() + ".snap".length() <= MAX_NAME) {
            return encoded + ".snap";
        }
        int cut = 160;
        // do not cut a %XX escape in two
        if (encoded.charAt(cut - 1) == '%') {
            cut -= 1;
        } else if (encoded.charAt(cut - 2) == '%') {
            cut -= 2;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return encoded.substring(0, cut) + "~" + HexFormat.of().formatHex(sha, 0, 16) + ".snap";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
