package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import java.util.Locale;

/** Creates a {@link Loss} from its configuration name ({@code model.loss}). */
public final class Losses {

    private Losses() {
    }

    /**
     * @param name mse, mae, huber, bce, cce, hinge, kl or triplet (case-insensitive)
     * @param delta Huber switch point, used by huber only (torch default 1.0)
     * @param margin triplet margin, used by triplet only (torch default 1.0)
     * @param outputActivation the last layer's activation, whose derivative non-fused losses chain through
     * @param leakySlope the leaky_relu slope, used when the output activation is leaky_relu
     * @throws IllegalArgumentException for an unknown name or an invalid delta/margin
     */
    public static Loss create(String name, double delta, double margin, Activation outputActivation,
                              double leakySlope) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "mse" -> new MeanSquaredError(outputActivation, leakySlope);
            case "mae" -> new MeanAbsoluteError(outputActivation, leakySlope);
            case "huber" -> new HuberLoss(outputActivation, leakySlope, delta);
            case "bce" -> new BinaryCrossEntropyWithLogits(outputActivation, leakySlope);
            case "cce" -> new CrossEntropyLoss(outputActivation, leakySlope);
            case "hinge" -> new HingeLoss(outputActivation, leakySlope);
            case "kl" -> new KlDivergence(outputActivation, leakySlope);
            case "triplet" -> new TripletLoss(outputActivation, leakySlope, margin);
            default -> throw new IllegalArgumentException("model.loss: unknown loss '" + name
                    + "': use one of mse, mae, huber, bce, cce, hinge, kl, triplet");
        };
    }
}
