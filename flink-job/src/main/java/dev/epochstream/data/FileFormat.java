package dev.epochstream.data;

import java.nio.file.Path;
import java.util.Locale;

/** The file formats {@code produce --file} reads. */
public enum FileFormat {
    /** Comma-separated values with a header row: {@link CsvEventReader}. */
    CSV,
    /** One JSON event per line: {@link JsonLinesEventReader}. */
    JSONL,
    /** LIBSVM sparse lines: {@link LibsvmEventReader}. */
    LIBSVM;

    /** The format's name on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format a file name suggests: {@code .csv}; {@code .jsonl}, {@code .ndjson}, {@code .json};
     * {@code .libsvm}, {@code .svm}, {@code .svmlight}; null when the name says nothing.
     */
    public static FileFormat ofFileName(Path file) {
        Path name = file.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            return null;
        }
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
            return JSONL;
        }
        if (n.endsWith(".libsvm") || n.endsWith(".svm") || n.endsWith(".svmlight")) {
            return LIBSVM;
        }
        return null;
    }
}
