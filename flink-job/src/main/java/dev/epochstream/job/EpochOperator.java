package dev.epochstream.job;

import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * The trainer's operator: Flink's {@link KeyedProcessOperator} running {@link EpochFunction}, which as it opens
 * tells the function when this instance (re)started and goes once over the keys of the restored state: with
 * {@code state.ttl} on it arms an expiry timer for each, and with event-time windows a timer that closes the
 * key's buffered windows by the current {@code epoch.allowed-lateness} ({@link EpochFunction#restartWindowTimer}).
 *
 * <p>A key's expiry timer is otherwise armed by its events. A state restored under a {@code state.ttl} its job did
 * not have (or from a savepoint of a build that armed none) holds keys without one, and a key that gets no more
 * events, the very key a TTL is turned on to retire, would never expire. Arming one a TTL after the start for
 * every key is harmless for keys that had one: the check finds a busy key in use and re-arms it as its events do.
 */
final class EpochOperator extends KeyedProcessOperator<String, LabelledEvent, EpochMetrics> {
    private static final long serialVersionUID = 1L;
    /** The timer service {@link KeyedProcessOperator} registers its function's timers with. */
    private static final String USER_TIMERS = "user-timers";

    EpochOperator(EpochFunction function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        EpochFunction function = (EpochFunction) userFunction;
        long now = getProcessingTimeService().getCurrentProcessingTime();
        function.noteStart(now);
        boolean expires = function.expires();
        if (!expires && !function.windowsByEventTime()) {
            return;
        }
        InternalTimerService<VoidNamespace> timers =
                getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        long due = expires ? function.expiryTimer(now) : Long.MIN_VALUE;
        // the backend makes each key the current one before the call, so the timers are that key's
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                EpochFunction.bookkeepingDescriptor(), (key, state) -> {
                    if (expires) {
                        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, due);
                    }
                    long windows = function.restartWindowTimer(state.value());
                    if (windows != Long.MIN_VALUE) {
                        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, windows);
                    }
                });
    }
}
