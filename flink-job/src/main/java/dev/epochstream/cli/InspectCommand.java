package dev.epochstream.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.epochstream.job.SnapshotFiles;
import dev.epochstream.schemas.LayerParameters;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.Preprocessing;
import dev.epochstream.schemas.SnapshotChecksum;
import dev.epochstream.schemas.TrainingCounters;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints a snapshot as one JSON object on stdout (logs go to stderr), so it pipes into jq. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a model snapshot as one JSON object: key, version, layers, activations, loss, "
                + "weights ([out][in] per layer), biases, preprocessing, counters.",
        footer = {"", "Example:", "  epochstream inspect model.snap | jq '.version, .layers'"})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "A snapshot file (written by replay --out).")
    Path snapshot;

    @Override
    public Integer call() throws Exception {
        ModelSnapshot s = SnapshotFiles.read(snapshot);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("key", s.getKey());
        o.put("version", s.getVersion());
        o.put("createdAt", s.getCreatedAt().toEpochMilli());
        if (s.getTrainedThrough() == null) {
            o.putNull("trainedThrough");
        } else {
            o.put("trainedThrough", s.getTrainedThrough().toEpochMilli());
        }
        ArrayNode layers = o.putArray("layers");
        s.getNetwork().getLayers().forEach(layers::add);
        ArrayNode acts = o.putArray("activations");
        s.getNetwork().getActivations().forEach(acts::add);
        o.put("loss", s.getNetwork().getLoss());
        o.put("taskType", s.getNetwork().getTaskType());
        ArrayNode weights = o.putArray("weights");
        ArrayNode biases = o.putArray("biases");
        for (LayerParameters p : s.getParameters()) {
            ArrayNode matrix = weights.addArray();
            List<Double> w = p.getWeights();
            for (int r = 0; r < p.getRows(); r++) {
                ArrayNode row = matrix.addArray();
                for (int c = 0; c < p.getCols(); c++) {
                    row.add(w.get(r * p.getCols() + c));
                }
            }
            ArrayNode b = biases.addArray();
            p.getBiases().forEach(b::add);
        }
        Preprocessing pre = s.getPreprocessing();
        ObjectNode po = o.putObject("preprocessing");
        po.put("denseInputs", pre.getDenseInputs());
        po.put("standardize", pre.getStandardize());
        po.put("count", pre.getCount());
        ArrayNode means = po.putArray("means");
        pre.getMeans().forEach(means::add);
        ArrayNode m2 = po.putArray("m2");
        pre.getM2().forEach(m2::add);
        po.put("hashBits", pre.getHashBits());
        TrainingCounters c = s.getCounters();
        ObjectNode co = o.putObject("counters");
        co.put("seen", c.getSeen());
        co.put("trained", c.getTrained());
        co.put("heldOut", c.getHeldOut());
        co.put("late", c.getLate());
        co.put("refused", c.getRefused());
        co.put("refusedUpdates", c.getRefusedUpdates());
        co.put("epochs", c.getEpochs());
        if (s.getOptimizerState() == null) {
            o.putNull("optimizer");
        } else {
            ObjectNode opt = o.putObject("optimizer");
            opt.put("name", s.getOptimizerState().getName());
            opt.put("step", s.getOptimizerState().getStep());
        }
        o.put("checksum", String.format("%08x", s.getChecksum()));
        o.put("checksumValid", SnapshotChecksum.matches(s));
        List<String> problems = ModelSnapshots.problems(s);
        ArrayNode pr = o.putArray("problems");
        problems.forEach(pr::add);
        System.out.println(Json.MAPPER.writeValueAsString(o));
        return problems.isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
}
