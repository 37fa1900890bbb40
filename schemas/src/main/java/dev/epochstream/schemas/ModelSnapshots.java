package dev.epochstream.schemas;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.epoch.ModelImage;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.epoch.Predictor;
import dev.epochstream.learner.epoch.TaskType;
import dev.epochstream.learner.features.Standardizer;
import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.Initialization;
import dev.epochstream.learner.nn.Network;
import dev.epochstream.learner.nn.NetworkSpec;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * Converts between the learner's model ({@link ModelImage} + {@link TrainingConfig}) and the
 * {@link ModelSnapshot} record that goes to the snapshot topic and to snapshot files, and validates a
 * snapshot before anything serves it. Parameter tensors W0, b0, W1, b1, ... map to one
 * {@link LayerParameters} per layer.
 */
public final class ModelSnapshots {
    /** The array schemas of the double lists a snapshot carries (all {@code array<double>}). */
    private static final Schema WEIGHTS = LayerParameters.SCHEMA$.getField("weights").schema();
    private static final Schema BIASES = LayerParameters.SCHEMA$.getField("biases").schema();
    private static final Schema MEANS = Preprocessing.SCHEMA$.getField("means").schema();
    private static final Schema M2 = Preprocessing.SCHEMA$.getField("m2").schema();
    private static final Schema BUFFER = OptimizerSnapshot.SCHEMA$.getField("buffers").schema().getElementType();

    private ModelSnapshots() {
    }

    /** The snapshot of {@code image}, trained under {@code config}, stamped {@code createdAtMillis}. */
    public static ModelSnapshot of(TrainingConfig config, ModelImage image, long createdAtMillis) {
        NetworkSpec spec = config.network();
        List<Integer> layers = layerSizes(spec);
        List<String> activations = activationNames(spec);
        NetworkSpecRecord network = NetworkSpecRecord.newBuilder()
                .setLayers(layers)
                .setActivations(activations)
                .setLeakySlope(spec.leakySlope())
                .setLoss(config.lossName())
                .setLossDelta(config.lossDelta())
                .setLossMargin(config.lossMargin())
                .setTaskType(TaskType.of(config.lossName(), spec.outputSize()).configName())
                .setClassLabels(List.of())
                .setInit(spec.init().name().toLowerCase(Locale.ROOT))
                .setSeed(spec.seed())
                .build();
        Standardizer std = image.standardizer();
        Preprocessing pre = Preprocessing.newBuilder()
                .setDenseInputs(config.denseInputs())
                .setStandardize(std != null)
                .setCount(std == null ? 0 : std.count())
                .setMeans(std == null ? List.of() : LearnerConversions.toDoubleList(std.mean(), MEANS))
                .setM2(std == null ? List.of() : LearnerConversions.toDoubleList(std.m2(), M2))
                .setHashBits(config.hashBits())
                .build();
        List<LayerParameters> params = new ArrayList<>();
        double[][] t = image.parameters();
        int[] sizes = spec.layers();
        for (int l = 0; l + 1 < sizes.length; l++) {
            params.add(LayerParameters.newBuilder()
                    .setRows(sizes[l + 1])
                    .setCols(sizes[l])
                    .setWeights(LearnerConversions.toDoubleList(t[2 * l], WEIGHTS))
                    .setBiases(LearnerConversions.toDoubleList(t[2 * l + 1], BIASES))
                    .build());
        }
        OptimizerSnapshot opt = null;
        if (image.optimizer() != null) {
            OptimizerState o = image.optimizer();
            List<Long> counters = new ArrayList<>();
            for (long c : o.counters()) {
                counters.add(c);
            }
            List<List<Double>> buffers = new ArrayList<>();
            for (double[] b : o.buffers()) {
                buffers.add(LearnerConversions.toDoubleList(b, BUFFER));
            }
            opt = OptimizerSnapshot.newBuilder().setName(config.optimizer().name()).setStep(o.step())
                    .setCounters(counters).setBuffers(buffers).build();
        }
        TrainingCounters counters = TrainingCounters.newBuilder()
                .setSeen(image.seen()).setTrained(image.trained()).setHeldOut(image.heldOut()).setLate(image.late())
                .setRefused(image.refused()).setRefusedUpdates(image.refusedUpdates()).setEpochs(image.epochs())
                .build();
        ModelSnapshot snapshot = ModelSnapshot.newBuilder()
                .setKey(image.key())
                .setVersion(image.version())
                .setCreatedAt(java.time.Instant.ofEpochMilli(createdAtMillis))
                .setTrainedThrough(image.trainedThrough() == ModelState.NO_TIME ? null
                        : java.time.Instant.ofEpochMilli(image.trainedThrough()))
                .setNetwork(network)
                .setPreprocessing(pre)
                .setParameters(params)
                .setOptimizerState(opt)
                .setCounters(counters)
                .setChecksum(0L)
                .build();
        snapshot.setChecksum(SnapshotChecksum.compute(snapshot));
        return snapshot;
    }

    /**
     * The most bytes {@link AvroSingleObjectCodec} can take for a snapshot of a model trained under {@code config}
     * with a key of up to {@code maxKeyBytes} UTF-8 bytes: every array of doubles at its full length
     * (parameters, standardisation statistics, and the optimizer's buffers when {@code config} exports its
     * state), every field that varies between snapshots at its longest (the key, and the varints of the version,
     * times, counters and checksum). The bytes come from the codec itself: a snapshot of the model with empty
     * arrays is encoded, and each array adds its doubles (8 bytes each) and its item count, so the arrays are
     * never allocated. Only with exported optimizer state are one fresh network and its optimizer state
     * allocated, since the optimizer alone knows its buffers.
     */
    public static long maxEncodedBytes(TrainingConfig config, int maxKeyBytes) {
        int[] sizes = config.network().layers();
        double[][] noParameters = new double[2 * (sizes.length - 1)][];
        long arrays = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            noParameters[2 * l] = new double[0];
            noParameters[2 * l + 1] = new double[0];
            arrays += arrayBytes((long) sizes[l] * sizes[l + 1]) + arrayBytes(sizes[l + 1]);
        }
        Standardizer std = null;
        if (config.standardize()) {
            std = new Standardizer(Long.MAX_VALUE, new double[0], new double[0]);
            arrays += 2 * arrayBytes(config.denseInputs());
        }
        OptimizerState opt = null;
        if (config.snapshotOptimizerState()) {
            OptimizerState fresh = config.optimizer().create().newState(new Network(config.network()).parameters());
            double[][] noBuffers = new double[fresh.buffers().length][];
            for (int i = 0; i < noBuffers.length; i++) {
                noBuffers[i] = new double[0];
                arrays += arrayBytes(fresh.buffer(i).length);
            }
            opt = new OptimizerState(fresh.counters().length, noBuffers);
            opt.setStep(Long.MAX_VALUE);
            Arrays.fill(opt.counters(), Long.MAX_VALUE);
        }
        long most = Long.MAX_VALUE;
        ModelImage largest = new ModelImage("k".repeat(maxKeyBytes), most, most, noParameters, opt, std,
                most, most, most, most, most, most, most);
        ModelSnapshot s = of(config, largest, most);
        s.setChecksum(0xFFFF_FFFFL); // an unsigned CRC-32C: its longest varint
        return AvroSingleObjectCodec.forClass(ModelSnapshot.class).encode(s).length + arrays;
    }

    /** What {@code n} doubles add to the binary encoding of an empty {@code array<double>}: 8 bytes each and the count. */
    private static long arrayBytes(long n) {
        if (n == 0) {
            return 0;
        }
        long zigzag = n << 1; // a block's item count is a zigzag varint of 7 bits a byte
        int varint = 1;
        while ((zigzag >>>= 7) != 0) {
            varint++;
        }
        return varint + 8 * n;
    }

    /** The learner's network specification of a snapshot (validated by {@link NetworkSpec}). */
    public static NetworkSpec networkSpec(ModelSnapshot s) {
        NetworkSpecRecord n = s.getNetwork();
        int[] layers = n.getLayers().stream().mapToInt(Integer::intValue).toArray();
        List<Activation> activations = new ArrayList<>();
        for (String a : n.getActivations()) {
            activations.add(Activation.fromConfigName(a));
        }
        return new NetworkSpec(layers, activations, n.getLeakySlope(), Initialization.fromConfigName(n.getInit()),
                n.getSeed());
    }

    /** The parameter tensors W0, b0, W1, b1, ... of a snapshot, as arrays. */
    public static double[][] parameters(ModelSnapshot s) {
        List<LayerParameters> layers = s.getParameters();
        double[][] t = new double[2 * layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            t[2 * l] = LearnerConversions.toArray(layers.get(l).getWeights());
            t[2 * l + 1] = LearnerConversions.toArray(layers.get(l).getBiases());
        }
        return t;
    }

    /** The standardisation statistics of a snapshot, or null when it does not standardise. */
    public static Standardizer standardizer(ModelSnapshot s) {
        Preprocessing p = s.getPreprocessing();
        if (!p.getStandardize()) {
            return null;
        }
        return new Standardizer(p.getCount(), LearnerConversions.toArray(p.getMeans()),
                LearnerConversions.toArray(p.getM2()));
    }

    /** The learner-side image of a snapshot (to resume training from it). */
    public static ModelImage image(ModelSnapshot s) {
        OptimizerState opt = null;
        if (s.getOptimizerState() != null) {
            OptimizerSnapshot o = s.getOptimizerState();
            double[][] buffers = new double[o.getBuffers().size()][];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = LearnerConversions.toArray(o.getBuffers().get(i));
            }
            opt = new OptimizerState(o.getCounters().size(), buffers);
            opt.setKind(o.getName()); // a warm start under another optimizer then starts its state afresh
            opt.setStep(o.getStep());
            for (int i = 0; i < o.getCounters().size(); i++) {
                opt.counters()[i] = o.getCounters().get(i);
            }
        }
        TrainingCounters c = s.getCounters();
        long trainedThrough = s.getTrainedThrough() == null ? ModelState.NO_TIME : s.getTrainedThrough().toEpochMilli();
        return new ModelImage(s.getKey(), s.getVersion(), trainedThrough, parameters(s), opt, standardizer(s),
                c.getSeen(), c.getTrained(), c.getHeldOut(), c.getLate(), c.getRefused(), c.getRefusedUpdates(),
                c.getEpochs());
    }

    /** A predictor serving a snapshot; call {@link #problems} first for untrusted snapshots. */
    public static Predictor predictor(ModelSnapshot s) {
        NetworkSpecRecord n = s.getNetwork();
        return new Predictor(networkSpec(s), n.getLoss(), n.getLossDelta(), n.getLossMargin(), parameters(s),
                standardizer(s), s.getPreprocessing().getHashBits(), s.getVersion());
    }

    /**
     * Whether snapshot {@code s} was trained under the architecture of {@code config}, as a restore or a warm
     * start needs: the keys {@code model.layers}, {@code model.activations}, {@code model.leaky-slope} (when
     * leaky_relu is used), {@code model.loss}, {@code model.loss.delta} (huber), {@code model.loss.margin}
     * (triplet), {@code features.standardize} and {@code features.hash-bits}, compared with the snapshot's
     * network and preprocessing records. Hyper-parameters (optimizer, schedule, ...) may differ.
     *
     * @return null when they agree, else a message naming the first differing key and both values, e.g.
     *     {@code model.activations is relu,softmax in the configuration but tanh,softmax in the snapshot}
     */
    public static String architectureMismatch(ModelSnapshot s, TrainingConfig config) {
        NetworkSpecRecord n = s.getNetwork();
        NetworkSpec spec = config.network();
        List<Integer> layers = layerSizes(spec);
        List<String> activations = activationNames(spec);
        String m = differs("model.layers", join(layers), join(n.getLayers()));
        if (m == null) {
            m = differs("model.activations", join(activations), join(n.getActivations()));
        }
        if (m == null && activations.contains(Activation.LEAKY_RELU.configName())) {
            m = differs("model.leaky-slope", spec.leakySlope(), n.getLeakySlope());
        }
        if (m == null) {
            m = differs("model.loss", config.lossName(), n.getLoss());
        }
        if (m == null && "huber".equals(config.lossName())) {
            m = differs("model.loss.delta", config.lossDelta(), n.getLossDelta());
        }
        if (m == null && "triplet".equals(config.lossName())) {
            m = differs("model.loss.margin", config.lossMargin(), n.getLossMargin());
        }
        Preprocessing pre = s.getPreprocessing();
        if (m == null) {
            m = differs("features.standardize", config.standardize(), pre.getStandardize());
        }
        if (m == null) {
            m = differs("features.hash-bits", config.hashBits(), pre.getHashBits());
        }
        return m;
    }

    private static List<Integer> layerSizes(NetworkSpec spec) {
        List<Integer> layers = new ArrayList<>();
        for (int l : spec.layers()) {
            layers.add(l);
        }
        return layers;
    }

    private static List<String> activationNames(NetworkSpec spec) {
        List<String> activations = new ArrayList<>();
        for (Activation a : spec.activations()) {
            activations.add(a.configName());
        }
        return activations;
    }

    private static String differs(String key, Object configured, Object inSnapshot) {
        return java.util.Objects.equals(configured, inSnapshot) ? null
                : key + " is " + configured + " in the configuration but " + inSnapshot + " in the snapshot";
    }

    private static String join(List<?> values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            sb.append(sb.length() == 0 ? "" : ",").append(v);
        }
        return sb.toString();
    }

    /**
     * Everything that makes a snapshot unfit to serve: checksum mismatch, unknown activation or loss,
     * an inconsistent architecture, parameter shapes that disagree with the declared layers, preprocessing
     * that does not fit the input, a non-finite parameter, or optimizer state that cannot be resumed from (a
     * negative step or counter, a non-finite buffer). Empty when the snapshot is valid.
     */
    public static List<String> problems(ModelSnapshot s) {
        List<String> problems = new ArrayList<>();
        if (!SnapshotChecksum.matches(s)) {
            problems.add("checksum mismatch: stored " + Long.toHexString(s.getChecksum()) + ", computed "
                    + Long.toHexString(SnapshotChecksum.compute(s)));
        }
        NetworkSpec spec;
        try {
            spec = networkSpec(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add("invalid network: " + e.getMessage());
            return problems;
        }
        NetworkSpecRecord n = s.getNetwork();
        try {
            Losses.create(n.getLoss(), n.getLossDelta(), n.getLossMargin(), spec.outputActivation(), spec.leakySlope())
                    .validate(spec.outputActivation(), spec.outputSize());
        } catch (IllegalArgumentException e) {
            problems.add("invalid loss: " + e.getMessage());
        }
        List<LayerParameters> layers = s.getParameters();
        int[] sizes = spec.layers();
        if (layers.size() != sizes.length - 1) {
            problems.add("declares " + (sizes.length - 1) + " layers but carries parameters for " + layers.size());
            return problems;
        }
        for (int l = 0; l < layers.size(); l++) {
            LayerParameters p = layers.get(l);
            int rows = sizes[l + 1];
            int cols = sizes[l];
            if (p.getRows() != rows || p.getCols() != cols || p.getWeights().size() != (long) rows * cols
                    || p.getBiases().size() != rows) {
                problems.add("layer " + l + " has shape " + p.getRows() + "x" + p.getCols() + " with "
                        + p.getWeights().size() + " weights and " + p.getBiases().size() + " biases; layers "
                        + n.getLayers() + " need " + rows + "x" + cols);
                continue;
            }
            if (!allFinite(p.getWeights()) || !allFinite(p.getBiases())) {
                problems.add("layer " + l + " holds a non-finite parameter");
            }
        }
        Preprocessing pre = s.getPreprocessing();
        int hashed = pre.getHashBits() == 0 ? 0 : 1 << Math.min(pre.getHashBits(), 30);
        if (pre.getHashBits() < 0 || pre.getHashBits() > TrainingConfig.MAX_HASH_BITS
                || pre.getDenseInputs() + hashed != sizes[0]) {
            problems.add("preprocessing (" + pre.getDenseInputs() + " dense inputs, hash bits " + pre.getHashBits()
                    + ") does not match the input size " + sizes[0]);
        }
        if (pre.getStandardize() && (pre.getMeans().size() != pre.getDenseInputs()
                || pre.getM2().size() != pre.getDenseInputs() || !allFinite(pre.getMeans()) || !allFinite(pre.getM2()))) {
            problems.add("standardisation statistics do not match " + pre.getDenseInputs() + " dense inputs or are not finite");
        }
        optimizerProblems(s.getOptimizerState(), problems);
        return problems;
    }

    /**
     * The optimizer state cannot be resumed from with a negative step or counter (steps and step indices
     * count up from 0) or a non-finite buffer (every update from it would be refused).
     */
    private static void optimizerProblems(OptimizerSnapshot o, List<String> problems) {
        if (o == null) {
            return;
        }
        if (o.getStep() < 0) {
            problems.add("optimizer state: step " + o.getStep() + " is negative");
        }
        List<Long> counters = o.getCounters();
        for (int i = 0; i < counters.size(); i++) {
            if (counters.get(i) == null || counters.get(i) < 0) {
                problems.add("optimizer state: counter " + i + " is " + counters.get(i) + ", not a count >= 0");
                break;
            }
        }
        List<List<Double>> buffers = o.getBuffers();
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i) == null || !allFinite(buffers.get(i))) {
                problems.add("optimizer state: buffer " + i + " holds a non-finite value");
            }
        }
    }

    private static boolean allFinite(List<Double> values) {
        if (values instanceof PrimitivesArrays.DoubleArray doubles) {
            for (int i = 0; i < doubles.size(); i++) {
                if (!Double.isFinite(doubles.getDouble(i))) {
                    return false;
                }
            }
            return true;
        }
        for (Double v : values) {
            if (v == null || !Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
