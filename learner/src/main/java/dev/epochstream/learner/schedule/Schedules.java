package dev.epochstream.learner.schedule;

import java.util.List;

/** The schedule config names ({@code schedule=...}). */
public final class Schedules {

    private static final List<String> NAMES = List.of("constant", "step", "exponential", "inverse-time", "plateau");

    private Schedules() {
    }

    /** Every config name, in a fixed order. */
    public static List<String> names() {
        return NAMES;
    }
}
