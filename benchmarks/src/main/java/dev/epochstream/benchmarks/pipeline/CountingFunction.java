package dev.epochstream.benchmarks.pipeline;

import dev.epochstream.schemas.LabelledEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The pass-through learner of the ceiling run: keyed like the trainer, it reads and writes one counter of
 * keyed state per event and emits nothing, so what is left is Kafka, Avro decoding, validation, the
 * shuffle by key and a state access: the most the pipeline could do with a free learner. It notes its
 * events' times itself ({@link ThroughputProbe#record()}), as no probe operator may add a copy here.
 */
final class CountingFunction extends KeyedProcessFunction<String, LabelledEvent, LabelledEvent> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<Long> count;

    @Override
    public void open(OpenContext ctx) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
    }

    @Override
    public void processElement(LabelledEvent event, Context ctx, Collector<LabelledEvent> out) throws Exception {
        ThroughputProbe.record();
        Long n = count.value();
        count.update(n == null ? 1L : n + 1L);
    }
}
