package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.EpochTrainerTest.assertBitIdentical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelStateCodecTest {
    private final EpochTrainer trainer = new EpochTrainer(RichModel.config());

    @Test
    void decodeOfEncodeIsBitIdentical() {
        ModelState m = RichModel.trained(trainer, 4);
        m.recordLate(3);
        byte[] bytes = ModelStateCodec.encode(m);

        ModelState d = ModelStateCodec.decode(bytes);

        assertThat(ModelStateCodec.encode(d)).isEqualTo(bytes);
        assertThat(d.key()).isEqualTo("k");
        assertThat(d.architectureFingerprint()).isEqualTo(m.architectureFingerprint());
        assertBitIdentical(d.parameters(), m.parameters());
        assertBitIdentical(d.optimizerState().buffers(), m.optimizerState().buffers());
        assertThat(d.optimizerState().step()).isEqualTo(m.optimizerState().step()).isPositive();
        assertThat(d.optimizerState().counters()).isEqualTo(m.optimizerState().counters());
        assertThat(d.scheduleState().lr()).isEqualTo(m.scheduleState().lr());
        assertThat(d.scheduleState().best()).isEqualTo(m.scheduleState().best());
        assertThat(d.scheduleState().badEpochs()).isEqualTo(m.scheduleState().badEpochs());
        assertThat(d.scheduleState().epochs()).isEqualTo(4);
        assertThat(d.optimizerState().kind()).isEqualTo(trainer.config().optimizer().name()).isNotNull();
        assertThat(d.scheduleState().kind()).isEqualTo(trainer.config().schedule().name()).isNotNull();
        assertThat(d.standardizer().count()).isEqualTo(m.standardizer().count()).isPositive();
        assertBitIdentical(new double[][] {d.standardizer().mean(), d.standardizer().m2()},
                new double[][] {m.standardizer().mean(), m.standardizer().m2()});
        assertThat(new long[] {d.version(), d.epochs(), d.seen(), d.trained(), d.heldOut(), d.late(), d.refused(),
                d.refusedUpdates(), d.trainedThrough(), d.publishedVersion()})
                .containsExactly(m.version(), m.epochs(), m.seen(), m.trained(), m.heldOut(), 3, m.refused(),
                        m.refusedUpdates(), m.trainedThrough(), m.publishedVersion());
        assertThat(d.seen()).isEqualTo(4 * 12 + 3);
        assertThat(Double.doubleToRawLongBits(d.bestLoss())).isEqualTo(Double.doubleToRawLongBits(m.bestLoss()));
        assertThat(d.rolling).isEqualTo(m.rolling);
    }

    @Test
    void trainingAfterARoundTripEqualsTrainingWithout() {
        ModelState original = RichModel.trained(trainer, 3);
        ModelState decoded = ModelStateCodec.decode(ModelStateCodec.encode(original));
        EpochTrainer other = new EpochTrainer(RichModel.config());

        for (int e = 3; e < 6; e++) {
            EpochResult a = trainer.trainEpoch(original, RichModel.window("w" + e + "-", 12, e), 0, 1, 0);
            EpochResult b = other.trainEpoch(decoded, RichModel.window("w" + e + "-", 12, e), 0, 1, 0);
            assertThat(b).isEqualTo(a);
        }
        assertBitIdentical(decoded.parameters(), original.parameters());
        assertThat(ModelStateCodec.encode(decoded)).isEqualTo(ModelStateCodec.encode(original));
    }

    @Test
    void aStateWithoutStandardizerOrOptimizerBuffersRoundTrips() {
        EpochTrainer plain = new EpochTrainer(TestConfigs.config("model.layers", "2,1", "model.activations",
                "identity", "model.loss", "mse", "optimizer", "sgd"));
        ModelState fresh = plain.newModel("fresh");
        byte[] bytes = ModelStateCodec.encode(fresh);
        ModelState d = ModelStateCodec.decode(bytes);
        assertThat(d.standardizer()).isNull();
        assertThat(d.version()).isZero();
        assertThat(d.trainedThrough()).isEqualTo(ModelState.NO_TIME);
        assertThat(d.bestLoss()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ModelStateCodec.encode(d)).isEqualTo(bytes);
    }

    @Test
    void badMagicIsRefused() {
        byte[] bytes = ModelStateCodec.encode(trainer.newModel("k"));
        bytes[0] = 'X';
        assertThatThrownBy(() -> ModelStateCodec.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an epochstream model state");
    }

    @Test
    void unknownFormatVersionIsRefused() {
        byte[] bytes = ModelStateCodec.encode(trainer.newModel("k"));
        // layout: 4 magic bytes "ESMS", then the format version byte
        assertThat(Arrays.copyOf(bytes, 4)).isEqualTo(new byte[] {'E', 'S', 'M', 'S'});
        assertThat(bytes[4]).isEqualTo((byte) 3);
        bytes[4] = 4;
        assertThatThrownBy(() -> ModelStateCodec.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown model state format version 4")
                .hasMessageContaining("reads versions 1 to 3");
        bytes[4] = 0;
        assertThatThrownBy(() -> ModelStateCodec.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown model state format version 0");
    }

    @Test
    void truncatedStateIsRefused() {
        byte[] bytes = ModelStateCodec.encode(RichModel.trained(trainer, 1));
        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> ModelStateCodec.decode(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt model state");
    }
}
