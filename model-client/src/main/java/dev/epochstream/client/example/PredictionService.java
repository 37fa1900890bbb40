package dev.epochstream.client.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.epochstream.client.InvalidInputException;
import dev.epochstream.client.ModelClient;
import dev.epochstream.client.ModelClientBuilder;
import dev.epochstream.client.ModelClientMetrics;
import dev.epochstream.client.ModelPrediction;
import dev.epochstream.client.NoModelException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal prediction service: a {@link ModelClient} following a snapshot topic behind a tiny HTTP
 * server on the loopback interface. An example to copy from, not a production server (no TLS, no auth).
 *
 * <pre>
 * java -cp model-client.jar:... dev.epochstream.client.example.PredictionService \
 *     --bootstrap-servers localhost:9092 --topic model-snapshots [--port 8080] [--key K]... [--property k=v]...
 *
 * GET /predict?key=fraud-eu&amp;features=0.5,1.25,-3&amp;attr.country=FR
 *   200 {"key":"fraud-eu","version":42,"prediction":1,"scores":[0.1,0.9]}
 *   404 {"error":"..."}  no model for the key (not followed, not loaded yet, retired)
 *   400 {"error":"..."}  features of the wrong dimension, non-finite, unparsable
 * GET /models
 *   200 {"bootstrapped":true,"reloads":3,"rejected":0,"models":{"fraud-eu":{"version":42,...}}}
 * </pre>
 */
public final class PredictionService implements AutoCloseable {
    private static final int HTTP_THREADS = 4;

    private final ModelClient client;
    private final HttpServer server;
    private final ExecutorService executor;

    private PredictionService(ModelClient client, int port) throws IOException {
        this.client = client;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
            Thread t = new Thread(r, "prediction-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/predict", this::predict);
        server.createContext("/models", this::models);
        server.start();
    }

    /**
     * Parses the command line, starts the model client (waiting for its bootstrap) and the HTTP server.
     *
     * @throws IllegalArgumentException for a bad command line
     */
    public static PredictionService start(String... args) throws IOException {
        ModelClientBuilder b = ModelClient.builder();
        int port = 8080;
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + opt + " needs a value");
            }
            String value = args[++i];
            switch (opt) {
                case "--bootstrap-servers" -> b.bootstrapServers(value);
                case "--topic" -> b.topic(value);
                case "--port" -> port = Integer.parseInt(value);
                case "--key" -> b.keys(value);
                case "--property" -> {
                    int eq = value.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--property needs key=value, got " + value);
                    }
                    b.property(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + opt + "; options: --bootstrap-servers,"
                        + " --topic, --port, --key, --property");
            }
        }
        ModelClient client = b.build();
        try {
            client.start();
            return new PredictionService(client, port);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    public static void main(String[] args) throws Exception {
        PredictionService service;
        try {
            service = start(args);
        } catch (IllegalArgumentException e) {
            System.err.println("prediction-service: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "prediction-service-shutdown"));
        System.out.println("prediction-service listening on http://127.0.0.1:" + service.port());
        stopped.await();
    }

    /** The port the HTTP server listens on (useful with {@code --port 0}). */
    public int port() {
        return server.getAddress().getPort();
    }

    public ModelClient client() {
        return client;
    }

    /** Stops the HTTP server and the model client. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }

    private void predict(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("GET")) {
            reply(ex, 405, error("use GET"));
            return;
        }
        Map<String, String> q;
        try {
            q = query(ex.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException badEscape) { // URLDecoder: '%zz', a trailing '%'
            reply(ex, 400, error("the query is not URL-encoded: " + badEscape.getMessage()));
            return;
        }
        String key = q.get("key");
        String features = q.get("features");
        if (key == null || features == null) {
            reply(ex, 400, error("parameters key and features (comma-separated numbers) are required"));
            return;
        }
        Map<String, String> attributes = new HashMap<>();
        for (Map.Entry<String, String> e : q.entrySet()) {
            if (e.getKey().startsWith("attr.")) {
                attributes.put(e.getKey().substring(5), e.getValue());
            }
        }
        try {
            ModelPrediction p = client.predict(key, parse(features), attributes.isEmpty() ? null : attributes);
            reply(ex, 200, "{\"key\":" + string(p.key()) + ",\"version\":" + p.version() + ",\"prediction\":"
                    + value(p.prediction()) + ",\"scores\":" + value(p.scores()) + "}");
        } catch (NoModelException e) {
            reply(ex, 404, error(e.getMessage()));
        } catch (InvalidInputException | NumberFormatException e) {
            reply(ex, 400, error(e.getMessage()));
        }
    }

    private void models(HttpExchange ex) throws IOException {
        ModelClientMetrics m = client.metrics();
        StringBuilder models = new StringBuilder("{");
        for (Map.Entry<String, ModelClientMetrics.KeyMetrics> e : m.keys().entrySet()) {
            ModelClientMetrics.KeyMetrics k = e.getValue();
            if (models.length() > 1) {
                models.append(',');
            }
            models.append(string(e.getKey())).append(":{\"version\":").append(k.servingVersion())
                    .append(",\"newest\":").append(k.newestVersion()).append(",\"pinned\":").append(k.pinned())
                    .append(",\"lagMillis\":").append(k.reloadLagMillis()).append('}');
        }
        reply(ex, 200, "{\"bootstrapped\":" + m.bootstrapped() + ",\"reloads\":" + m.reloads() + ",\"rejected\":"
                + m.rejected() + ",\"models\":" + models.append('}') + "}");
    }

    private static double[] parse(String csv) {
        String[] parts = csv.split(",", -1);
        double[] x = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            x[i] = Double.parseDouble(parts[i].trim());
        }
        return x;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return q;
    }

    /** JSON of a prediction value: an integer class, a number, or an array of numbers. */
    private static String value(Object v) {
        if (v instanceof double[] a) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < a.length; i++) {
                sb.append(i > 0 ? "," : "").append(number(a[i]));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Double d) {
            return number(d);
        }
        return String.valueOf(v);
    }

    /** Double.toString round-trips exactly and is valid JSON; JSON has no NaN or infinity. */
    private static String number(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }

    private static String error(String message) {
        return "{\"error\":" + string(message) + "}";
    }

    private static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
