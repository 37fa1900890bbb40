package dev.epochstream.it;

import dev.epochstream.connectors.format.JsonEventEncoder;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The records of one hostile-input run, each with the outcome it must have: valid events (trained, or
 * predicted when unlabelled) beside bad ones, each of which must become exactly one dead letter with
 * its documented reason code. Records are listed per partition in production order, so a record's
 * offset in a fresh topic is its index there; job-side dead letters (no offset) are matched by event id.
 */
final class HostileCorpus {
    /** Outcome of a valid labelled event. */
    static final String TRAIN = "(train)";
    /** Outcome of a valid event without a label. */
    static final String PREDICT = "(predict)";

    /** One record: {@code expected} is a dead-letter reason code, {@link #TRAIN} or {@link #PREDICT}. */
    record Sent(String name, String expected, int partition, String recordKey, String eventId, String eventKey,
                byte[] value) {
        boolean deadLettered() {
            return !expected.equals(TRAIN) && !expected.equals(PREDICT);
        }
    }

    enum Format { AVRO, JSON }

    private static final long T0 = 1_700_000_000_000L;

    final Format format;
    private final Map<Integer, List<Sent>> partitions = new LinkedHashMap<>();
    private final Map<String, Sent> byEventId = new HashMap<>();
    private final AvroSingleObjectCodec<LabelledEvent> avro = AvroSingleObjectCodec.forClass(LabelledEvent.class);
    private final JsonEventEncoder json = new JsonEventEncoder();
    private int sequence;

    HostileCorpus(Format format, int partitions) {
        this.format = format;
        for (int p = 0; p < partitions; p++) {
            this.partitions.put(p, new ArrayList<>());
        }
    }

    /** A fresh event of {@code key} with a unique id and a time after every earlier one. */
    LabelledEvent.Builder event(String key, String id) {
        return LabelledEvent.newBuilder().setId(id).setKey(key).setTime(Instant.ofEpochMilli(T0 + 10L * sequence++))
                .setFeatures(List.of(0.25, -0.5)).setLabel(1);
    }

    /** The event in this corpus's wire format. */
    byte[] encode(LabelledEvent e) {
        return format == Format.AVRO ? avro.encode(e) : json.encodeUtf8(e);
    }

    /** An event, encoded in the corpus's format, that must have {@code expected} as its outcome. */
    void add(int partition, String name, String expected, LabelledEvent e) {
        add(partition, name, expected, e.getKey(), e.getId(), e.getKey(), encode(e));
    }

    /** Raw record bytes (not necessarily an event) that must have {@code expected} as its outcome. */
    void add(int partition, String name, String expected, String recordKey, String eventId, String eventKey, byte[] value) {
        Sent s = new Sent(name, expected, partition, recordKey, eventId, eventKey, value);
        partitions.get(partition).add(s);
        if (eventId != null && byEventId.put(eventId, s) != null) {
            throw new IllegalArgumentException("duplicate event id " + eventId);
        }
    }

    void addJson(int partition, String name, String expected, String recordKey, String text) {
        add(partition, name, expected, recordKey, null, null, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code count} events of a seeded concept for {@code key}: labelled with a class index (1 when
     * x0 + 2·x1 &gt; 0) or, with {@code distribution}, a 3-way distribution ((x0+1)/4, (x1+1)/4, the rest);
     * unlabelled (to be predicted) unless {@code labelled}.
     */
    void concept(int partition, String key, int count, boolean labelled, boolean distribution, SplittableRandom rnd) {
        for (int i = 0; i < count; i++) {
            double x0 = rnd.nextDouble(-1, 1);
            double x1 = rnd.nextDouble(-1, 1);
            Object label = null;
            if (labelled && distribution) {
                double a = (x0 + 1) / 4;
                double b = (x1 + 1) / 4;
                label = List.of(a, b, 1 - a - b);
            } else if (labelled) {
                label = x0 + 2 * x1 > 0 ? 1 : 0;
            }
            String id = key + "-" + sequence;
            add(partition, id, labelled ? TRAIN : PREDICT,
                    event(key, id).setFeatures(List.of(x0, x1)).setLabel(label).build());
        }
    }

    /** Sparse features {@code size} with the given indices and values of 1. */
    static SparseFeatures sparse(int size, Integer... indices) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < indices.length; i++) {
            values.add(1.0);
        }
        return new SparseFeatures(size, List.of(indices), values);
    }

    List<Records.Message> messages() {
        List<Records.Message> out = new ArrayList<>();
        for (List<Sent> records : partitions.values()) {
            for (Sent s : records) {
                out.add(new Records.Message(s.recordKey(), s.value(), s.partition(), -1));
            }
        }
        return out;
    }

    Map<Integer, List<Sent>> partitions() {
        return partitions;
    }

    Sent atOffset(int partition, long offset) {
        return partitions.get(partition).get((int) offset);
    }

    Sent byEventId(String id) {
        Sent s = byEventId.get(id);
        if (s == null) {
            throw new AssertionError("no record sent with event id " + id);
        }
        return s;
    }

    List<Sent> all() {
        List<Sent> out = new ArrayList<>();
        partitions.values().forEach(out::addAll);
        return out;
    }
}
