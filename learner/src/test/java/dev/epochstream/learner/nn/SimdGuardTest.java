package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The guard's policy with its two inputs, the thread's allocated bytes and the clock, in the test's hands: a
 * kernel that keeps allocating for the whole persistence time goes scalar, one that stops allocating before
 * (C2 compiled it) does not, and a scalar kernel whose sampled vector call allocates nothing comes back.
 */
class SimdGuardTest {
    private static final long EVERY = 4;
    private static final long PERSIST = 1_000;

    private long allocated;
    private long now;
    private final SimdGuard guard = new SimdGuard("test kernel", () -> allocated, () -> now, EVERY, PERSIST);

    /** One call as a kernel's caller makes it; the vector kernel "allocates" {@code bytes} when it runs. */
    private boolean call(long bytes) {
        long sample = guard.start();
        boolean vector = sample != SimdGuard.SCALAR;
        if (vector) {
            allocated += bytes;
        }
        guard.finish(sample);
        return vector;
    }

    @Test
    void onlyEveryNthCallIsSampled() {
        int sampled = 0;
        for (int i = 0; i < 40; i++) {
            if (guard.start() >= 0) {
                sampled++;
            }
        }
        assertThat(sampled).isEqualTo(10);
    }

    @Test
    void aKernelThatKeepsAllocatingGoesScalarOnlyAfterThePersistenceTime() {
        for (int i = 0; i < 40; i++) {
            assertThat(call(512)).isTrue();
            now += 10; // 400 ticks in all: under PERSIST
        }
        assertThat(guard.scalar()).isFalse();
        for (int i = 0; i < 400; i++) {
            call(512);
            now += 10;
        }
        assertThat(guard.scalar()).as("allocating for > %d ticks", PERSIST).isTrue();
        int vectorCalls = 0;
        for (int i = 0; i < 40; i++) {
            if (call(512)) {
                vectorCalls++;
            }
        }
        assertThat(vectorCalls).as("only the sampled calls still run the vector kernel").isEqualTo(10);
        assertThat(guard.scalar()).isTrue();
    }

    @Test
    void aKernelThatStopsAllocatingBeforeThePersistenceTimeStaysVector() {
        for (int i = 0; i < 80; i++) {
            call(512);
            now += 10; // 800 ticks: the cold phase, before C2
        }
        for (int i = 0; i < 8; i++) {
            call(0); // compiled: one clean sample ends the run of allocating ones
        }
        for (int i = 0; i < 80; i++) {
            call(512); // allocating again (a deoptimization): the persistence time starts over
            now += 10;
        }
        assertThat(guard.scalar()).isFalse();
    }

    @Test
    void aScalarKernelComesBackWhenItsSampledVectorCallStopsAllocating() {
        for (int i = 0; i < 800; i++) {
            call(512);
            now += 10;
        }
        assertThat(guard.scalar()).isTrue();
        for (int i = 0; i < EVERY; i++) {
            call(0);
        }
        assertThat(guard.scalar()).isFalse();
        assertThat(call(0)).isTrue();
    }

    @Test
    void withoutAnAllocationCounterNothingIsSampledAndTheKernelStaysVector() {
        SimdGuard blind = new SimdGuard("blind", null, () -> now, EVERY, PERSIST);
        for (int i = 0; i < 100; i++) {
            assertThat(blind.start()).isEqualTo(SimdGuard.VECTOR);
        }
        assertThat(blind.scalar()).isFalse();
    }

    @Test
    void thisJvmCountsAThreadsAllocationSoTheGuardsSample() {
        assertThat(java.lang.management.ManagementFactory.getThreadMXBean())
                .isInstanceOfSatisfying(com.sun.management.ThreadMXBean.class,
                        t -> assertThat(t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()).isTrue());
    }
}
