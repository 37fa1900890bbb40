package dev.epochstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * Every benchmark, in every combination of its {@code @Param} values (read from the annotations, so a new
 * value is covered without editing this test), sets up and trains: a few invocations give a finite loss,
 * i.e. the step was applied, and count their examples. Measures nothing. (Allocation is not asserted here:
 * before the JIT compiles it, {@code StrictMath.pow} allocates small arrays on every call; see BENCHMARKS.md.)
 */
class BenchmarkSetupTest {

    private static final List<Class<? extends TrainingBenchmark>> BENCHMARKS = List.of(SmallMlpBenchmark.class,
            DeepMlpBenchmark.class, MnistMlpBenchmark.class, LogisticBenchmark.class, SparseLogisticBenchmark.class);

    @Test
    void everyParameterCombinationTrainsWithAFiniteLoss() throws Exception {
        int combinations = 0;
        for (Class<? extends TrainingBenchmark> type : BENCHMARKS) {
            List<Field> params = new ArrayList<>();
            for (Field f : type.getFields()) {
                if (f.isAnnotationPresent(Param.class)) {
                    params.add(f);
                }
            }
            combinations += runAll(type, params, 0, new String[params.size()]);
        }
        // 10 small + 4 deep (2 batches x 2 gemm) + 4 mnist + 4 logistic + 2 sparse
        assertThat(combinations).isEqualTo(24);
    }

    private static int runAll(Class<? extends TrainingBenchmark> type, List<Field> params, int depth, String[] values)
            throws Exception {
        if (depth == params.size()) {
            TrainingBenchmark bench = type.getDeclaredConstructor().newInstance();
            int batch = 0;
            for (int i = 0; i < values.length; i++) {
                Field f = params.get(i);
                if (f.getType() == int.class) {
                    f.setInt(bench, Integer.parseInt(values[i]));
                    batch = Integer.parseInt(values[i]);
                } else {
                    f.set(bench, values[i]);
                }
            }
            bench.setUp();
            ExampleCounter counter = new ExampleCounter();
            counter.reset();
            for (int i = 0; i < 3; i++) {
                assertThat(bench.trainStep(counter)).as("%s %s step %d", type.getSimpleName(), String.join(",", values), i)
                        .isFinite();
            }
            assertThat(counter.examples).isEqualTo(3L * batch);
            return 1;
        }
        int n = 0;
        for (String v : params.get(depth).getAnnotation(Param.class).value()) {
            values[depth] = v;
            n += runAll(type, params, depth + 1, values);
        }
        return n;
    }
}
