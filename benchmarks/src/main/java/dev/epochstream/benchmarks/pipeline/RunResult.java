package dev.epochstream.benchmarks.pipeline;

import java.util.Locale;
import java.util.Map;

/**
 * What one run of the job measured.
 *
 * @param label            what ran, e.g. {@code train hashmap 1000 keys}
 * @param events           events that reached the keyed operator
 * @param firstToLastS     seconds from the first to the last event reaching the keyed operator
 * @param submitToEndS     seconds from job submission to the job's end (start-up, final training, commit)
 * @param checkpoints      completed checkpoints (the final one at the end of the bounded input included)
 * @param maxStateBytes    largest checkpointed state size
 * @param avgCheckpointMs  mean end-to-end checkpoint duration
 * @param maxCheckpointMs  longest end-to-end checkpoint duration
 * @param peakHeapMb       largest used heap sampled every 250 ms (the whole JVM: broker, cluster, job)
 * @param peakOldAfterGcMb largest old-generation occupancy right after a collection (live data, roughly)
 * @param loadStart        1-minute load average at the start
 * @param loadEnd          1-minute load average at the end
 * @param cpuS             CPU seconds the whole process (broker, cluster, job) used from submission to the
 *                         job's end: unlike wall time, not inflated by other processes on a shared machine
 * @param cpuByThread      {@code cpuS} split by thread group, largest first ({@link ThreadCpuSampler})
 */
record RunResult(String label, long events, double firstToLastS, double submitToEndS, long checkpoints,
                 long maxStateBytes, long avgCheckpointMs, long maxCheckpointMs, long peakHeapMb,
                 long peakOldAfterGcMb, double loadStart, double loadEnd, double cpuS,
                 Map<String, Double> cpuByThread) {

    double eventsPerSecond() {
        return firstToLastS > 0 ? events / firstToLastS : Double.NaN;
    }

    /** Events over the whole job, start-up and the training at the end of the input included. */
    double eventsPerJobSecond() {
        return events / submitToEndS;
    }

    /** Events per CPU second of the whole process over the job (submission to end). */
    double eventsPerCpuSecond() {
        return cpuS > 0 ? events / cpuS : Double.NaN;
    }

    String line() {
        return String.format(Locale.ROOT, "%-34s %,10d events %8.1f s %,12.0f ev/s | job %6.1f s %,9.0f ev/s | %d ckpts, max state %,d B, "
                        + "ckpt avg %,d ms max %,d ms | heap peak %,d MB, old after GC %,d MB | load %.2f -> %.2f | cpu %.1f s, %,.0f ev/cpu-s",
                label, events, firstToLastS, eventsPerSecond(), submitToEndS, eventsPerJobSecond(), checkpoints, maxStateBytes, avgCheckpointMs,
                maxCheckpointMs, peakHeapMb, peakOldAfterGcMb, loadStart, loadEnd, cpuS, eventsPerCpuSecond())
                + (cpuByThread.isEmpty() ? "" : System.lineSeparator() + ThreadCpuSampler.line(cpuByThread, events));
    }
}
