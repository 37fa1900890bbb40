package dev.epochstream.benchmarks.pipeline;

import dev.epochstream.data.EventGenerator;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Pre-fills an events topic with generator events in the job's wire format (Avro single-object
 * encoding), as fast as one producer goes. The events of one generator are spread round-robin over
 * {@code keys} keys {@code model-0 .. model-(keys-1)}: this measures throughput, so every key sharing one
 * concept is fine, and it keeps 100,000 keys as cheap to generate as one.
 */
final class EventFill {
    private EventFill() {
    }

    /** Sends {@code events} events to {@code topic} and waits until the broker has them all; returns seconds taken. */
    static double fill(Properties client, String topic, EventGenerator generator, int keys, long events) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty("linger.ms", "20");
        p.setProperty("batch.size", Integer.toString(512 * 1024));
        p.setProperty("acks", "1");
        p.setProperty("enable.idempotence", "false");
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        String[] names = new String[keys];
        byte[][] keyBytes = new byte[keys][];
        for (int k = 0; k < keys; k++) {
            names[k] = "model-" + k;
            keyBytes[k] = names[k].getBytes(StandardCharsets.UTF_8);
        }
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                int k = (int) (i % keys);
                LabelledEvent e = generator.next();
                e.setKey(names[k]);
                producer.send(new ProducerRecord<>(topic, keyBytes[k], codec.encode(e)));
            }
            producer.flush();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
