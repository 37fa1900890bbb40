package dev.epochstream.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.epoch.ModelImage;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.epoch.Scored;
import dev.epochstream.learner.epoch.TaskType;
import dev.epochstream.learner.features.Standardizer;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.EpochRecords;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.LayerParameters;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.OptimizerSnapshot;
import dev.epochstream.schemas.Prediction;
import dev.epochstream.schemas.SparseFeatures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The codec's writer against Avro's own: byte for byte, on snapshots built by {@link ModelSnapshots#of}
 * (whose double lists are Avro's primitive arrays) of random shapes and awkward values, on decoded records
 * (primitive int, long and double arrays) and on metrics records; and the bytes decode to the same record.
 */
class PrimitiveArrayDatumWriterTest {

    private static final int SNAPSHOTS = 150;

    private final AvroSingleObjectCodec<ModelSnapshot> snapshots = AvroSingleObjectCodec.forClass(ModelSnapshot.class);

    /** Avro's single-object encoding of {@code record} by its class's model and Avro's generic writer. */
    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] avroBytes(T record) throws IOException {
        SpecificData model = SpecificData.getForClass(record.getClass());
        ByteBuffer b = new BinaryMessageEncoder<T>(model, record.getSchema()).encode(record);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void randomSnapshotsEncodeToAvrosBytesAndDecodeBack() throws IOException {
        SplittableRandom random = new SplittableRandom(20261128L);
        int withState = 0;
        int standardised = 0;
        int longLists = 0;
        for (int n = 0; n < SNAPSHOTS; n++) {
            RandomModel m = RandomModel.draw(random);
            ModelSnapshot s = ModelSnapshots.of(m.config, m.image, 1_700_000_000_000L + n);
            assertThat(s.getParameters().get(0).getWeights()).isInstanceOf(PrimitivesArrays.DoubleArray.class);

            byte[] bytes = snapshots.encode(s);

            assertThat(bytes).as("snapshot %d, layers %s", n, s.getNetwork().getLayers()).isEqualTo(avroBytes(s));
            ModelSnapshot back = snapshots.decode(bytes).value();
            assertThat(back).isEqualTo(s);
            // equals compares doubles as Double.compare does (one NaN): compare the raw bits as well
            assertSameBits(ModelSnapshots.parameters(back), m.image.parameters());
            if (m.image.optimizer() != null) {
                assertSameBits(ModelSnapshots.image(back).optimizer().buffers(), m.image.optimizer().buffers());
                withState++;
            }
            if (m.image.standardizer() != null) {
                Standardizer std = ModelSnapshots.standardizer(back);
                assertSameBits(new double[][] {std.mean(), std.m2()},
                        new double[][] {m.image.standardizer().mean(), m.image.standardizer().m2()});
                standardised++;
            }
            for (double[] t : m.image.parameters()) {
                longLists += t.length > 1024 ? 1 : 0;
            }
        }
        // the draw covers what it is meant to
        assertThat(withState).isBetween(SNAPSHOTS / 4, 3 * SNAPSHOTS / 4);
        assertThat(standardised).isBetween(SNAPSHOTS / 4, 3 * SNAPSHOTS / 4);
        assertThat(longLists).as("lists longer than one writeFixed chunk").isGreaterThan(5);
    }

    @Test
    void decodedRecordsWithPrimitiveIntLongAndDoubleArraysEncodeToAvrosBytes() throws IOException {
        // decoding gives Avro's primitive arrays: a snapshot's layers (int), optimizer counters (long) and
        // parameters (double), a sparse event's indices (int) and values (double)
        ModelSnapshot snapshot = snapshots.decode(snapshots.encode(SampleRecords.modelSnapshot())).value();
        assertThat(snapshot.getNetwork().getLayers()).isInstanceOf(PrimitivesArrays.IntArray.class);
        assertThat(snapshot.getOptimizerState().getCounters()).isInstanceOf(PrimitivesArrays.LongArray.class);
        assertThat(snapshot.getOptimizerState().getBuffers().get(0)).isInstanceOf(PrimitivesArrays.DoubleArray.class);
        snapshot.getOptimizerState().setCounters(longs(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, -(1L << 35)));
        assertThat(snapshots.encode(snapshot)).isEqualTo(avroBytes(snapshot));

        AvroSingleObjectCodec<LabelledEvent> events = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        for (LabelledEvent sample : SampleRecords.events()) {
            LabelledEvent event = events.decode(events.encode(sample)).value();
            assertThat(events.encode(event)).isEqualTo(avroBytes(event)).isEqualTo(avroBytes(sample));
        }
        LabelledEvent sparse = events.decode(events.encode(SampleRecords.sparseEvent())).value();
        SparseFeatures features = (SparseFeatures) sparse.getFeatures();
        assertThat(features.getIndices()).isInstanceOf(PrimitivesArrays.IntArray.class);
        features.setIndices(ints(0, -1, 63, 64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 20));
        features.setValues(
                doubles(Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e308, -1.5, 0.0, 7.0));
        assertThat(events.encode(sparse)).isEqualTo(avroBytes(sparse));
    }

    @Test
    void metricsRecordsEncodeToAvrosBytes() throws IOException {
        AvroSingleObjectCodec<EpochMetrics> metrics = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        EpochMetrics full = SampleRecords.epochMetrics();
        EpochMetrics sparse = SampleRecords.epochMetrics();
        sparse.setValidation(null);
        sparse.setTrainingLoss(null);
        sparse.setFreshnessLagMs(null);
        sparse.setLearningRate(-Double.MIN_VALUE);
        for (EpochMetrics m : List.of(full, sparse)) {
            byte[] bytes = metrics.encode(m);
            assertThat(bytes).isEqualTo(avroBytes(m));
            assertThat(metrics.decode(bytes).value()).isEqualTo(m);
        }
    }

    @Test
    void predictionsOfEveryTaskEncodeToAvrosBytes() throws IOException {
        AvroSingleObjectCodec<Prediction> predictions = AvroSingleObjectCodec.forClass(Prediction.class);
        SplittableRandom random = new SplittableRandom(5);
        for (TaskType task : TaskType.values()) {
            for (int outputs : new int[] {1, 3, 10}) {
                double[] scores = RandomModel.awkwardArray(random, outputs);
                Prediction p = EpochRecords.prediction("e", "k", 1_700_000_000_000L,
                        new Scored(task, random.nextInt(outputs), scores, 9));
                assertThat(p.getScores()).isInstanceOf(PrimitivesArrays.DoubleArray.class);

                byte[] bytes = predictions.encode(p);

                assertThat(bytes).as("%s, %d outputs", task, outputs).isEqualTo(avroBytes(p));
                Prediction back = predictions.decode(bytes).value();
                assertThat(back).isEqualTo(p);
                for (int i = 0; i < outputs; i++) {
                    assertThat(Double.doubleToRawLongBits(back.getScores().get(i)))
                            .isEqualTo(Double.doubleToRawLongBits(scores[i]));
                }
            }
        }
    }

    @Test
    void aRecordThatFailsHalfWayLeavesNothingInTheNextEncoding() throws IOException {
        AvroSingleObjectCodec<EpochMetrics> metrics = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        EpochMetrics broken = SampleRecords.epochMetrics();
        broken.setTaskType(null); // required: the writer fails after the fields before it are buffered
        EpochMetrics good = SampleRecords.epochMetrics();

        assertThatThrownBy(() -> metrics.encode(broken)).isInstanceOf(NullPointerException.class);

        assertThat(metrics.encode(good)).isEqualTo(avroBytes(good));
    }

    @Test
    void everyEncoderGetsAvrosBytes() throws IOException {
        // the bulk path is taken on the plain binary encoders only; blocking and JSON encoders frame items
        Schema schema = LayerParameters.SCHEMA$;
        SplittableRandom random = new SplittableRandom(7);
        for (int size : new int[] {0, 1, 3, 1023, 1024, 1025, 2049}) {
            LayerParameters layer = new LayerParameters(size, 1, randomDoubles(random, size), randomDoubles(random, 1));
            for (String kind : new String[] {"direct", "buffered", "blocking", "json"}) {
                assertThat(write(new PrimitiveArrayDatumWriter<>(schema, SpecificData.get()), layer, kind))
                        .as("%s encoder, %d weights", kind, size)
                        .isEqualTo(write(new SpecificDatumWriter<>(schema), layer, kind));
            }
        }
    }

    private static byte[] write(SpecificDatumWriter<LayerParameters> writer, LayerParameters layer, String kind)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EncoderFactory factory = new EncoderFactory().configureBlockSize(256);
        Encoder encoder = switch (kind) {
            case "direct" -> factory.directBinaryEncoder(out, null);
            case "buffered" -> factory.binaryEncoder(out, null);
            case "blocking" -> factory.blockingBinaryEncoder(out, null);
            default -> factory.jsonEncoder(LayerParameters.SCHEMA$, out);
        };
        writer.write(layer, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static void assertSameBits(double[][] actual, double[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int t = 0; t < expected.length; t++) {
            assertThat(actual[t].length).isEqualTo(expected[t].length);
            for (int i = 0; i < expected[t].length; i++) {
                assertThat(Double.doubleToRawLongBits(actual[t][i])).as("tensor %d element %d", t, i)
                        .isEqualTo(Double.doubleToRawLongBits(expected[t][i]));
            }
        }
    }

    /** Ordinary values mixed with NaN payloads, signed zeros, infinities, subnormals and arbitrary bits. */
    static double awkward(SplittableRandom random) {
        return switch (random.nextInt(10)) {
            case 0 -> Double.longBitsToDouble(0x7FF0000000000001L | random.nextLong(1L << 51)); // NaN, any payload
            case 1 -> Double.longBitsToDouble(0xFFF8000000000000L | random.nextLong(1L << 51)); // negative quiet NaN
            case 2 -> -0.0;
            case 3 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 4 -> Double.MIN_VALUE * random.nextInt(1, 1000);
            case 5 -> Double.longBitsToDouble(random.nextLong());
            default -> random.nextDouble(-3, 3);
        };
    }

    private static List<Double> randomDoubles(SplittableRandom random, int n) {
        return doubles(RandomModel.awkwardArray(random, n));
    }

    private static List<Double> doubles(double... values) {
        PrimitivesArrays.DoubleArray out =
                new PrimitivesArrays.DoubleArray(values.length, LayerParameters.SCHEMA$.getField("weights").schema());
        for (int i = 0; i < values.length; i++) {
            out.add(i, values[i]);
        }
        return out;
    }

    private static List<Integer> ints(int... values) {
        PrimitivesArrays.IntArray out =
                new PrimitivesArrays.IntArray(values.length, SparseFeatures.SCHEMA$.getField("indices").schema());
        for (int i = 0; i < values.length; i++) {
            out.add(i, values[i]);
        }
        return out;
    }

    private static List<Long> longs(long... values) {
        PrimitivesArrays.LongArray out =
                new PrimitivesArrays.LongArray(values.length, OptimizerSnapshot.SCHEMA$.getField("counters").schema());
        for (int i = 0; i < values.length; i++) {
            out.add(i, values[i]);
        }
        return out;
    }

    /** A configuration and a model image of random shape and awkward values. */
    private record RandomModel(TrainingConfig config, ModelImage image) {
        static RandomModel draw(SplittableRandom random) {
            int depth = random.nextInt(1, 4);
            int[] layers = new int[depth + 1];
            for (int l = 0; l <= depth; l++) {
                // mostly small and odd; sometimes wide enough for lists past one 1024-double chunk
                layers[l] = random.nextInt(8) == 0 ? random.nextInt(30, 70) : random.nextInt(1, 18);
            }
            boolean standardize = random.nextBoolean();
            StringBuilder shape = new StringBuilder();
            StringBuilder activations = new StringBuilder();
            for (int l = 0; l <= depth; l++) {
                shape.append(l == 0 ? "" : ",").append(layers[l]);
                if (l > 0) {
                    activations.append(l == 1 ? "" : ",").append(l == depth ? "identity" : "tanh");
                }
            }
            Map<String, String> raw = new HashMap<>();
            raw.put("model.layers", shape.toString());
            raw.put("model.activations", activations.toString());
            raw.put("model.loss", "mse");
            raw.put("features.standardize", Boolean.toString(standardize));
            TrainingConfig config = TrainingConfig.from(RawConfig.of(raw));

            double[][] params = new double[2 * depth][];
            for (int l = 0; l < depth; l++) {
                params[2 * l] = awkwardArray(random, layers[l + 1] * layers[l]);
                params[2 * l + 1] = awkwardArray(random, layers[l + 1]);
            }
            OptimizerState optimizer = null;
            if (random.nextBoolean()) {
                double[][] buffers = new double[random.nextInt(0, 2 * params.length + 1)][];
                for (int b = 0; b < buffers.length; b++) {
                    buffers[b] = awkwardArray(random, params[b % params.length].length);
                }
                optimizer = new OptimizerState(random.nextInt(0, 3), buffers);
                optimizer.setStep(random.nextLong(0, 1L << 40));
                for (int c = 0; c < optimizer.counters().length; c++) {
                    optimizer.counters()[c] = random.nextLong();
                }
            }
            Standardizer std = standardize ? new Standardizer(random.nextLong(0, 1000),
                    awkwardArray(random, layers[0]), awkwardArray(random, layers[0])) : null;
            ModelImage image = new ModelImage("key-" + random.nextInt(100), random.nextLong(0, 1L << 40),
                    random.nextBoolean() ? ModelState.NO_TIME : random.nextLong(0, 1L << 42), params, optimizer, std,
                    random.nextLong(0, 1000), random.nextLong(0, 1000), random.nextLong(0, 1000), random.nextLong(0, 9),
                    random.nextLong(0, 9), random.nextLong(0, 9), random.nextLong(0, 99));
            return new RandomModel(config, image);
        }

        private static double[] awkwardArray(SplittableRandom random, int n) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = awkward(random);
            }
            return out;
        }
    }
}
