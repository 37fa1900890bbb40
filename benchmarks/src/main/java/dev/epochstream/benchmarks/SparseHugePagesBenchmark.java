package dev.epochstream.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link SparseLogisticBenchmark} in a JVM started with {@code -XX:+UseTransparentHugePages}: the step's
 * random accesses into 8 MB arrays (weights, gradient, optimizer buffers) miss the TLB on 4 KB pages as
 * well as the caches, and 2 MB pages remove most of the page walks. Needs the kernel's transparent huge
 * pages at {@code madvise} or {@code always}; otherwise it measures the same as the default. The flag is a
 * deployment choice (Flink's {@code env.java.opts.taskmanager}), not something the learner can set.
 */
@Fork(value = 1, jvmArgsAppend = "-XX:+UseTransparentHugePages")
public class SparseHugePagesBenchmark extends SparseLogisticBenchmark {
}
