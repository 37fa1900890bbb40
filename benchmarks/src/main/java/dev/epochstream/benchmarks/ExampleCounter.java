package dev.epochstream.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts trained examples, so that JMH reports a secondary result {@code examples} in examples per
 * second next to the primary batches per second. (A batch size that is a {@code @Param} cannot go into
 * {@code @OperationsPerInvocation}, which takes a constant.)
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ExampleCounter {
    /** Examples trained in the current iteration; read by JMH. */
    public long examples;

    @Setup(Level.Iteration)
    public void reset() {
        examples = 0;
    }
}
