package dev.epochstream.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a Dockerfile the deployment tests check: the default values of the ARGs declared before
 * the first FROM, and per stage its base image and COPY instructions (with ${ARG} expanded). Handles the
 * subset of the syntax docker/Dockerfile uses: one instruction per line, {@code \} continuations,
 * {@code --chown}-style flags on COPY, no JSON-form COPY.
 */
record ParsedDockerfile(Map<String, String> args, Map<String, Stage> stages) {

    record Copy(String source, String destination) {
    }

    record Stage(String name, String from, List<Copy> copies) {
    }

    static ParsedDockerfile parse(String text) {
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, Stage> stages = new LinkedHashMap<>();
        Stage current = null;
        for (String line : text.replace("\\\n", " ").split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] words = l.split("\\s+");
            switch (words[0].toUpperCase(java.util.Locale.ROOT)) {
                case "ARG" -> {
                    int eq = words[1].indexOf('=');
                    if (current == null && eq > 0) {
                        args.put(words[1].substring(0, eq), words[1].substring(eq + 1));
                    }
                }
                case "FROM" -> {
                    if (words.length != 4 || !words[2].equalsIgnoreCase("AS")) {
                        throw new IllegalArgumentException("every stage must be named (FROM image AS name): " + l);
                    }
                    current = new Stage(words[3], expand(words[1], args), new ArrayList<>());
                    stages.put(current.name(), current);
                }
                case "COPY" -> {
                    List<String> operands = new ArrayList<>();
                    for (int i = 1; i < words.length; i++) {
                        if (!words[i].startsWith("--")) {
                            operands.add(expand(words[i], args));
                        }
                    }
                    if (operands.size() != 2 || current == null) {
                        throw new IllegalArgumentException("expected COPY SOURCE DESTINATION inside a stage: " + l);
                    }
                    current.copies().add(new Copy(operands.get(0), operands.get(1)));
                }
                default -> {
                    // other instructions are not checked
                }
            }
        }
        return new ParsedDockerfile(args, stages);
    }

    /** The stage built when no --target is given: the last one. */
    Stage defaultStage() {
        Stage last = null;
        for (Stage s : stages.values()) {
            last = s;
        }
        return last;
    }

    private static String expand(String word, Map<String, String> args) {
        String out = word;
        for (Map.Entry<String, String> a : args.entrySet()) {
            out = out.replace("${" + a.getKey() + "}", a.getValue());
        }
        if (out.contains("${")) {
            throw new IllegalArgumentException("undeclared ARG in '" + word + "'");
        }
        return out;
    }
}
