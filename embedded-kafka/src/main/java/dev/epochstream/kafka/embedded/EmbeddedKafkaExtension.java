package dev.epochstream.kafka.embedded;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension running one {@link EmbeddedKafka} broker per test class. Register it on a static field,
 * so the broker starts before the first test and stops after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().topic(TopicSpec.of("in", 2)).build();
 *
 * @Test
 * void reads() {
 *     String topic = KAFKA.uniqueTopic("reads");   // a fresh topic, so tests sharing the broker never interfere
 *     ... KAFKA.kafka().clientProperties() ...
 * }
 * }</pre>
 *
 * Test and lifecycle methods may also declare an {@link EmbeddedKafka} parameter. {@code @Nested} classes
 * share their enclosing class's broker.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final EmbeddedKafkaConfig config;
    private final AtomicInteger topicCounter = new AtomicInteger();
    private EmbeddedKafka kafka;
    // BeforeAll runs again for each @Nested class: the outermost class owns the broker.
    private int depth;

    private EmbeddedKafkaExtension(EmbeddedKafkaConfig config) {
        this.config = config;
    }

    /** Settings for the broker; {@link Builder#build()} makes the extension (the broker starts in beforeAll). */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (depth++ == 0) {
            kafka = EmbeddedKafka.start(config);
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--depth == 0 && kafka != null) {
            try {
                kafka.close();
            } finally {
                kafka = null;
            }
        }
    }

    /**
     * The running broker.
     *
     * @throws IllegalStateException outside the test class's lifecycle, e.g. when the extension is
     *     registered on an instance field (JUnit then never calls beforeAll)
     */
    public synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the embedded broker is not running: register EmbeddedKafkaExtension"
                    + " on a static field with @RegisterExtension, and use it inside the test class");
        }
        return kafka;
    }

    /** Creates a fresh single-partition topic named {@code prefix-N} and returns its name. */
    public String uniqueTopic(String prefix) {
        return uniqueTopic(TopicSpec.of(prefix, 1));
    }

    /** Creates a fresh topic named {@code prefix-N} with {@code partitions} partitions and returns its name. */
    public String uniqueTopic(String prefix, int partitions) {
        return uniqueTopic(TopicSpec.of(prefix, partitions));
    }

    /**
     * Creates a fresh topic shaped like {@code template} (partitions, configs), named
     * {@code template.name()-N}, and returns its name.
     */
    public String uniqueTopic(TopicSpec template) {
        TopicSpec spec = template.withName(template.name() + "-" + topicCounter.incrementAndGet());
        kafka().createTopic(spec);
        return spec.name();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return kafka();
    }

    /** Fluent settings for the extension's broker. */
    public static final class Builder extends EmbeddedKafkaConfigBuilder<Builder> {

        Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** Validates the settings now (a bad one fails at class initialisation, naming the setting). */
        public EmbeddedKafkaExtension build() {
            return new EmbeddedKafkaExtension(config());
        }
    }
}
