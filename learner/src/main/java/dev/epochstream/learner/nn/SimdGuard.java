package dev.epochstream.learner.nn;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Keeps a Vector API kernel from running slower than its scalar twin for the life of a JVM.
 *
 * <p>Why: JDK 17's C2 turns the Vector API into SIMD instructions only when each operation's vector class
 * is a compile-time constant. Now and then (about one JVM in seven on a loaded machine, measured with the
 * dense products: the same build, the same input) it compiles a kernel with some of those classes unknown,
 * and the operations fall back to the API's Java implementation, which boxes every vector: 6x slower than
 * the scalar kernel, for as long as that compiled code lives. The same fallback runs before C2 has compiled
 * the kernel at all (the first seconds of a JVM). Both are visible the same way: a kernel that allocates.
 *
 * <p>So every {@code sampleEvery}-th call is measured ({@link #start}/{@link #finish}: the thread's
 * allocated bytes before and after; the call itself is unchanged), and {@link #start} tells every other call
 * which kernel to run. A kernel that keeps allocating for
 * {@code persistNanos} is switched to its scalar twin ({@link #scalar()}), whether C2 compiled it badly or
 * has not compiled it yet: either way the scalar kernel is faster. While switched, the sampled calls still
 * run the vector kernel (so that C2 compiles it, and a recompiled kernel is noticed): the first one that
 * allocates nothing switches back. The twins give the same doubles, so switching never
 * changes a result, only the speed.
 *
 * <p>Thread-safe in the way it needs to be: the counters are racy (a lost count moves a sample by a call),
 * the mode is volatile. Where the JVM cannot count a thread's allocation, nothing is sampled.
 */
final class SimdGuard {
    /** {@link #start}'s answer on a call it does not sample while the vector kernel is in use: run it. */
    static final long VECTOR = Long.MIN_VALUE;
    /** {@link #start}'s answer on a call it does not sample while switched: run the scalar kernel. */
    static final long SCALAR = Long.MIN_VALUE + 1;

    /** The dense products ({@link VectorizedProducts}). */
    static final SimdGuard PRODUCTS = SimdGuard.forThisJvm("dense products");
    /** The softmax's exponentials ({@link VectorizedExp}). */
    static final SimdGuard EXP = SimdGuard.forThisJvm("softmax exponentials");
    /** The non-finite-update guard's scan ({@link VectorizedFiniteness}). */
    static final SimdGuard FINITENESS = SimdGuard.forThisJvm("finiteness scan");

    /**
     * Often enough that a kernel switched to scalar still gets called enough for C2 to compile it (its
     * counters grow only on the sampled calls); two reads of a thread counter per 64 kernel calls cost
     * nothing measurable.
     */
    private static final long SAMPLE_EVERY = 64;
    /**
     * A few seconds: a boxing kernel is 2-3x slower than the scalar one, so switching while C2 has not yet
     * compiled it (the cold phase, which lasted ~5 s in a busy job) loses nothing, and the first clean
     * sample switches back.
     */
    private static final long PERSIST_NANOS = 5_000_000_000L;

    private final String name;
    private final LongSupplier allocatedBytes;
    private final LongSupplier nanoTime;
    private final long sampleEvery;
    private final long persistNanos;
    private long calls;
    private volatile boolean scalar;
    /** When the current run of allocating samples began; -1 when the last sample allocated nothing. */
    private volatile long allocatingSince = -1;

    /**
     * @param allocatedBytes the calling thread's allocated bytes so far; null where the JVM cannot tell
     * @param nanoTime       a monotonic clock
     */
    SimdGuard(String name, LongSupplier allocatedBytes, LongSupplier nanoTime, long sampleEvery, long persistNanos) {
        this.name = name;
        this.allocatedBytes = allocatedBytes;
        this.nanoTime = nanoTime;
        this.sampleEvery = sampleEvery;
        this.persistNanos = persistNanos;
    }

    private static SimdGuard forThisJvm(String name) {
        LongSupplier allocated = null;
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            allocated = threads::getCurrentThreadAllocatedBytes;
        }
        return new SimdGuard(name, allocated, System::nanoTime, SAMPLE_EVERY, PERSIST_NANOS);
    }

    /**
     * Call before a kernel: {@link #SCALAR} (run the scalar kernel), else run the vector kernel and pass this
     * value to {@link #finish}: {@link #VECTOR}, or on a sampled call the thread's allocated bytes (>= 0).
     */
    long start() {
        if (allocatedBytes == null || ++calls % sampleEvery != 0) {
            return scalar ? SCALAR : VECTOR;
        }
        return allocatedBytes.getAsLong();
    }

    /** Whether the kernel is switched to its scalar twin (the calls {@link #start} does not sample). */
    boolean scalar() {
        return scalar;
    }

    /** After a sampled call's vector kernel: whether it allocated decides the mode (see the class comment). */
    void finish(long allocatedBefore) {
        if (allocatedBefore < 0) {
            return;
        }
        long allocated = allocatedBytes.getAsLong() - allocatedBefore;
        if (allocated <= 0) {
            allocatingSince = -1;
            if (scalar) {
                scalar = false;
                log(System.Logger.Level.INFO, "the Vector API kernel of the " + name
                        + " no longer allocates (recompiled into SIMD instructions): using it again");
            }
            return;
        }
        long now = nanoTime.getAsLong();
        long since = allocatingSince;
        if (since < 0) {
            allocatingSince = now;
        } else if (!scalar && now - since >= persistNanos) {
            scalar = true;
            log(System.Logger.Level.WARNING, "the Vector API kernel of the " + name + " still allocates (" + allocated
                    + " bytes a call) " + (now - since) / 1_000_000_000L + " s after its first sample: this JVM's C2"
                    + " compiled it without SIMD instructions (a known fragility of JDK 17's incubating API), so it"
                    + " runs slower than the scalar kernel; using the scalar kernel (the same results) until it is"
                    + " recompiled");
        }
    }

    private static void log(System.Logger.Level level, String message) {
        System.getLogger(SimdGuard.class.getName()).log(level, message);
    }
}
