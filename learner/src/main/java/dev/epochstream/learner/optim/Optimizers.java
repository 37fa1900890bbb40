package dev.epochstream.learner.optim;

import java.util.List;

/** The optimizer config names ({@code optimizer=...}) and their default configs. */
public final class Optimizers {

    private static final List<String> NAMES =
            List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "ftrl");

    private Optimizers() {
    }

    /** Every config name, in a fixed order. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The default config of {@code name} (torch 1.13.1's defaults, or ours where torch has none).
     *
     * @throws IllegalArgumentException naming the key {@code optimizer} and the known names
     */
    public static OptimizerConfig defaults(String name) {
        switch (name) {
            case "sgd":
                return SgdConfig.defaults();
            case "momentum":
                return MomentumConfig.defaults();
            case "nesterov":
                return MomentumConfig.nesterovDefaults();
            case "adam":
                return AdamConfig.defaults();
            case "adamw":
                return AdamWConfig.defaults();
            case "rmsprop":
                return RmspropConfig.defaults();
            case "adagrad":
                return AdagradConfig.defaults();
            case "adadelta":
                return AdadeltaConfig.defaults();
            case "ftrl":
                return FtrlConfig.defaults();
            default:
                throw ConfigChecks.invalid("optimizer", "one of " + NAMES, name, "choose a known optimizer");
        }
    }
}
