package io.prunestream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A running evaluator's stored results of one run, as {@code GET /results?runId=} answers them. */
final class EvaluatorResults {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private EvaluatorResults() {
    }

    /** The run's evaluations once there are {@code count} of them, polled every {@code poll}. */
    static JsonNode await(String evaluator, String run, int count, Duration timeout, Duration poll)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(evaluator + "/results?runId="
                    + run)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode results = BenchIo.JSON.readTree(answer.body());
            if (results.size() >= count) {
                return results;
            }
            Thread.sleep(poll.toMillis());
        }
        throw new IllegalStateException(run + ": fewer than " + count + " evaluations after " + timeout);
    }
}
