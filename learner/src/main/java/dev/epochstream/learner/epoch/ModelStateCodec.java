package dev.epochstream.learner.epoch;

import dev.epochstream.learner.features.Standardizer;
import dev.epochstream.learner.metric.Rolling;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.schedule.ScheduleState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Compact, versioned binary encoding of {@link ModelState} for Flink state and checkpoints. Doubles
 * are written as their IEEE-754 bits, so {@code decode(encode(x))} is bit-identical. Layout (big-endian,
 * {@link DataOutput}): magic {@code "ESMS"}, format version byte, then the fields in declaration order.
 * An unknown format version is refused with a clear error; every released version stays readable.
 */
public final class ModelStateCodec {
    private static final int MAGIC = 0x45534D53; // "ESMS"
    /**
     * Current format version. Version history: 1 = first release; 2 = a multilabel task's metric boards hold
     * per-label counts ({@link ScoreBoard#readFormat1}: format 1's multilabel boards are read as empty); 3 = the
     * names of the optimizer and the schedule the state belongs to, at the end (absent before: unknown, null).
     */
    public static final int FORMAT_VERSION = 3;

    private ModelStateCodec() {
    }

    public static byte[] encode(ModelState m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimateSize(m));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(m, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ModelState decode(byte[] data) {
        try {
            return read(new DataInputStream(new ByteArrayInputStream(data)));
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt model state (" + data.length + " bytes): " + e.getMessage(), e);
        }
    }

    private static int estimateSize(ModelState m) {
        long n = 256;
        for (double[] t : m.parameters) {
            n += 8L * t.length + 4;
        }
        for (double[] b : m.optimizer.buffers()) {
            n += 8L * b.length + 4;
        }
        return (int) Math.min(n, Integer.MAX_VALUE - 16);
    }

    public static void write(ModelState m, DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(FORMAT_VERSION);
        out.writeUTF(m.key);
        out.writeLong(m.architectureFingerprint);
        writeMatrixList(out, m.parameters);

        OptimizerState o = m.optimizer;
        out.writeLong(o.step());
        out.writeInt(o.counters().length);
        for (long c : o.counters()) {
            out.writeLong(c);
        }
        writeMatrixList(out, o.buffers());

        ScheduleState s = m.schedule;
        out.writeDouble(s.baseLr());
        out.writeDouble(s.lr());
        out.writeLong(s.epochs());
        out.writeDouble(s.best());
        out.writeLong(s.badEpochs());

        out.writeBoolean(m.standardizer != null);
        if (m.standardizer != null) {
            out.writeLong(m.standardizer.count());
            writeArray(out, m.standardizer.mean());
            writeArray(out, m.standardizer.m2());
        }

        out.writeLong(m.version);
        out.writeLong(m.epochs);
        out.writeLong(m.seen);
        out.writeLong(m.trained);
        out.writeLong(m.heldOut);
        out.writeLong(m.late);
        out.writeLong(m.refused);
        out.writeLong(m.refusedUpdates);
        out.writeLong(m.trainedThrough);
        out.writeDouble(m.bestLoss);
        out.writeLong(m.publishedVersion);
        out.writeDouble(m.previousTrainingLoss);
        out.writeDouble(m.previousValidationLoss);
        out.writeInt(m.overfitStreak);
        out.writeInt(m.cooldownLeft);

        out.writeByte(m.rolling.value().task().ordinal());
        m.rolling.writeTo(out);

        writeName(out, o.kind());
        writeName(out, s.kind());
    }

    /** A name or null, as a UTF string ("" for null: no optimizer or schedule is named so). */
    private static void writeName(DataOutput out, String name) throws IOException {
        out.writeUTF(name == null ? "" : name);
    }

    private static String readName(DataInput in) throws IOException {
        String name = in.readUTF();
        return name.isEmpty() ? null : name;
    }

    public static ModelState read(DataInput in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IllegalArgumentException("not an epochstream model state (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int version = in.readUnsignedByte();
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown model state format version " + version + " (this build reads "
                    + "versions 1 to " + FORMAT_VERSION + "): upgrade epochstream to read it");
        }
        String key = in.readUTF();
        long fingerprint = in.readLong();
        double[][] params = readMatrixList(in);

        long step = in.readLong();
        int counterCount = in.readInt();
        long[] counters = new long[counterCount];
        for (int i = 0; i < counterCount; i++) {
            counters[i] = in.readLong();
        }
        OptimizerState o = new OptimizerState(counterCount, readMatrixList(in));
        o.setStep(step);
        System.arraycopy(counters, 0, o.counters(), 0, counterCount);

        ScheduleState s = new ScheduleState(in.readDouble(), in.readDouble(), in.readLong(), in.readDouble(), in.readLong());

        Standardizer std = null;
        if (in.readBoolean()) {
            long count = in.readLong();
            std = new Standardizer(count, readArray(in), readArray(in));
        }

        ModelState m = new ModelState(key, fingerprint, params, o, s, std, null);
        m.version = in.readLong();
        m.epochs = in.readLong();
        m.seen = in.readLong();
        m.trained = in.readLong();
        m.heldOut = in.readLong();
        m.late = in.readLong();
        m.refused = in.readLong();
        m.refusedUpdates = in.readLong();
        m.trainedThrough = in.readLong();
        m.bestLoss = in.readDouble();
        m.publishedVersion = in.readLong();
        m.previousTrainingLoss = in.readDouble();
        m.previousValidationLoss = in.readDouble();
        m.overfitStreak = in.readInt();
        m.cooldownLeft = in.readInt();

        TaskType task = TaskType.values()[in.readUnsignedByte()];
        int outputs = params[params.length - 1].length; // the output layer's bias
        m.rolling = Rolling.readFrom(in, version == 1 ? din -> ScoreBoard.readFormat1(task, outputs, din)
                : din -> ScoreBoard.readFrom(task, din));
        if (version == 1 && task == TaskType.MULTILABEL) {
            m.rolling.reset(); // its boards came back empty: the rolling window holds no epoch now
        }
        if (version >= 3) {
            o.setKind(readName(in));
            s.setKind(readName(in));
        }
        return m;
    }

    private static void writeMatrixList(DataOutput out, double[][] list) throws IOException {
        out.writeInt(list.length);
        for (double[] a : list) {
            writeArray(out, a);
        }
    }

    private static double[][] readMatrixList(DataInput in) throws IOException {
        int n = in.readInt();
        double[][] list = new double[n][];
        for (int i = 0; i < n; i++) {
            list[i] = readArray(in);
        }
        return list;
    }

    private static void writeArray(DataOutput out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeLong(Double.doubleToRawLongBits(v));
        }
    }

    private static double[] readArray(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative array length " + n);
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Double.longBitsToDouble(in.readLong());
        }
        return a;
    }
}
