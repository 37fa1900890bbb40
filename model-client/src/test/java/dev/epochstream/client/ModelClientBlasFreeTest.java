package dev.epochstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The model client leaves out the learner's BLAS dependency (the opt-in {@code learner.gemm=blas} training
 * path): this test runs on the client's own classpath, so it fails if the exclusion goes or if serving ever
 * starts to need the library.
 */
class ModelClientBlasFreeTest {

    @Test
    void servesPredictionsWithoutTheBlasLibraryOnTheClasspath() throws IOException {
        assertThatThrownBy(() -> Class.forName("dev.ludovic.netlib.blas.BLAS"))
                .isInstanceOf(ClassNotFoundException.class);
        TrainingConfig cfg = TestModels.classifier();
        ModelSnapshot snapshot = TestModels.versions(cfg, "fraud", 2, 11).get(1);
        Path file = Files.write(TestModels.tempDir("blas-free").resolve("fraud.snap"), TestModels.encode(snapshot));

        ModelClient client = ModelClient.fromFiles(file);

        Example input = TestModels.input(cfg, "fraud", new Random(5));
        ModelPrediction p = client.predict("fraud", input.dense());
        assertThat(p.scores()).containsExactly(ModelSnapshots.predictor(snapshot).predict(input).scores());
    }
}
