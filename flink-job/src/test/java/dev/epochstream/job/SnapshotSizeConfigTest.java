package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.connectors.format.EventValidator;
import dev.epochstream.learner.config.ConfigException;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.TrainingCounters;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A model whose snapshot cannot be written in one Kafka record is refused at start-up, naming
 * model.layers; the bound is the largest snapshot record the job can write, measured here on a real
 * snapshot as the snapshot sink serialises it and the producer sizes it.
 */
class SnapshotSizeConfigTest {

    /** Architecture, preprocessing and optimizer settings whose snapshots carry every kind of array. */
    private static final Map<String, Map<String, String>> MODELS = Map.of(
            "standardised", Map.of("model.layers", "1000,10", "model.activations", "softmax", "model.loss", "cce",
                    "features.standardize", "true"),
            "amsgrad-state", Map.of("model.layers", "200,16,3", "model.activations", "relu,softmax", "model.loss", "cce",
                    "optimizer", "adam", "optimizer.amsgrad", "true", "snapshot.optimizer-state", "true",
                    "features.standardize", "true"),
            "adagrad-decay-hashed", Map.of("model.layers", "64,8,1", "model.activations", "tanh,sigmoid", "model.loss", "bce",
                    "optimizer", "adagrad", "optimizer.weight-decay", "0.01", "snapshot.optimizer-state", "true",
                    "features.hash-bits", "4"));

    @Test
    void aWideStandardisedModelIsRefusedForItsStatistics() {
        // 600,002 parameters (4.8 MB) fit in 8 MiB; their inputs' mean and m2 add 4.8 MB more
        Map<String, String> wide = Map.of("model.layers", "300000,2", "model.activations", "softmax", "model.loss", "cce");
        assertThat(config(wide, null).snapshotRecordBytes()).isLessThan(JobConfig.DEFAULT_MAX_RECORD_BYTES);
        Map<String, String> standardised = new HashMap<>(wide);
        standardised.put("features.standardize", "true");
        assertThatThrownBy(() -> config(standardised, null)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("model.layers: ").hasMessageContaining("standardisation statistics")
                .hasMessageContaining("limited to 8388608 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"standardised", "amsgrad-state", "adagrad-decay-hashed"})
    void aModelFitsARecordLimitDownToItsLargestSnapshotRecord(String model) {
        int largest = largestSnapshotRecord(config(MODELS.get(model), null));
        assertThat(config(MODELS.get(model), largest).snapshotRecordBytes()).isEqualTo(largest);
        assertThatThrownBy(() -> config(MODELS.get(model), largest - 1)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("model.layers: ").hasMessageContaining("needs " + largest + " bytes");
    }

    private static JobConfig config(Map<String, String> model, Integer maxRequestSize) {
        Map<String, String> m = new HashMap<>(model);
        if (maxRequestSize != null) {
            m.put("kafka.max.request.size", maxRequestSize.toString());
        }
        return JobConfigs.logistic(m);
    }

    /**
     * A fresh model's snapshot, with every field that grows over a model's life at its longest (a key of the
     * longest length events may have, the largest version, times and counts, a checksum of 32 bits),
     * serialised by the snapshot sink's schema and sized as KafkaProducer sizes a record for max.request.size.
     */
    private static int largestSnapshotRecord(JobConfig config) {
        TrainingConfig t = config.training();
        EpochTrainer trainer = new EpochTrainer(t);
        String key = "k".repeat(EventValidator.MAX_KEY_BYTES);
        ModelSnapshot s = ModelSnapshots.of(t, trainer.image(trainer.newModel(key), t.snapshotOptimizerState()), Long.MAX_VALUE);
        s.setVersion(Long.MAX_VALUE);
        s.setTrainedThrough(Instant.ofEpochMilli(Long.MAX_VALUE));
        if (t.standardize()) {
            s.getPreprocessing().setCount(Long.MAX_VALUE); // else always 0
        }
        s.setCounters(new TrainingCounters(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE, Long.MAX_VALUE));
        if (s.getOptimizerState() != null) {
            s.getOptimizerState().setStep(Long.MAX_VALUE);
            s.getOptimizerState().setCounters(Collections.nCopies(s.getOptimizerState().getCounters().size(), Long.MAX_VALUE));
        }
        s.setChecksum(0xFFFF_FFFFL);
        ProducerRecord<byte[], byte[]> r = new SnapshotSerializationSchema(config.snapshotsTopic())
                .serialize(SnapshotMessage.of(s), null, null);
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                r.key(), r.value(), r.headers().toArray());
    }
}
