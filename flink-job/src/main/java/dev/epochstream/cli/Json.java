package dev.epochstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.MetricValues;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.epoch.Scored;

/**
 * JSON renderings for the command line, with the Avro records' field names (EpochMetrics, Prediction)
 * so that a file written by replay reads like the topic. Undefined values (NaN) become null.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode epoch(EpochResult r, Long emittedAt) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("key", r.key());
        o.put("epoch", r.epoch());
        time(o, "windowStart", r.windowStart());
        time(o, "windowEnd", r.windowEnd());
        o.put("modelVersion", r.modelVersion());
        o.put("seen", r.seen());
        o.put("trained", r.trained());
        o.put("heldOut", r.heldOut());
        o.put("late", r.late());
        o.put("refused", r.refused());
        o.put("pending", r.pending());
        o.put("taskType", r.taskType().configName());
        o.set("prequential", metrics(r.prequential()));
        number(o, "trainingLoss", r.trainingLoss());
        if (r.validation() == null) {
            o.putNull("validation");
        } else {
            o.set("validation", metrics(r.validation()));
        }
        number(o, "learningRate", r.learningRate());
        o.put("rollingEpochs", r.rollingEpochs());
        o.set("rolling", metrics(r.rolling()));
        o.put("overfitting", r.overfitting());
        o.put("updateRefused", r.updateRefused());
        o.put("earlyStopped", r.earlyStopped());
        o.put("published", r.published());
        o.putNull("freshnessLagMs");
        if (emittedAt == null) {
            o.putNull("emittedAt");
        } else {
            o.put("emittedAt", emittedAt);
        }
        return o;
    }

    static ObjectNode metrics(MetricValues m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("count", m.count());
        number(o, "loss", m.loss());
        number(o, "accuracy", m.accuracy());
        number(o, "precision", m.precision());
        number(o, "recall", m.recall());
        number(o, "f1", m.f1());
        number(o, "macroF1", m.macroF1());
        number(o, "logLoss", m.logLoss());
        number(o, "mae", m.mae());
        number(o, "mse", m.mse());
        number(o, "rmse", m.rmse());
        number(o, "r2", m.r2());
        return o;
    }

    static ObjectNode prediction(String id, String key, Scored s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", id);
        o.put("key", key);
        Object p = s.prediction();
        if (p instanceof Integer i) {
            o.put("prediction", i);
        } else if (p instanceof Double d) {
            number(o, "prediction", d);
        } else {
            o.set("prediction", array((double[]) p));
        }
        o.set("scores", array(s.scores()));
        o.put("version", s.modelVersion());
        return o;
    }

    static ArrayNode array(double[] values) {
        ArrayNode a = MAPPER.createArrayNode();
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    static void number(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    private static void time(ObjectNode o, String field, long t) {
        if (t == ModelState.NO_TIME) {
            o.putNull(field);
        } else {
            o.put(field, t);
        }
    }
}
