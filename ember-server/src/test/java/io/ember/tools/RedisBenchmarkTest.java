package io.ember.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** redis-benchmark, the tool users measure Redis with, runs against Ember without errors. */
class RedisBenchmarkTest {

    @Test
    void setGetIncrMsetCompleteWithoutErrors() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String pipeline : new String[] {"1", "16"}) {
                Process p = new ProcessBuilder("redis-benchmark", "-p", Integer.toString(server.port()),
                        "-t", "set,get,incr,mset", "-n", "20000", "-c", "20", "-P", pipeline, "-r", "1000", "--csv")
                        .redirectError(ProcessBuilder.Redirect.PIPE).start();
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "redis-benchmark did not finish");
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.exitValue(), err);
                assertTrue(err.isBlank() || !err.toLowerCase().contains("error"), err);
                List<String> tests = new ArrayList<>();
                for (String line : out.split("\n")) {
                    if (line.startsWith("\"test\"") || line.isBlank()) continue;
                    String[] f = line.replace("\"", "").split(",");
                    tests.add(f[0]);
                    assertTrue(Double.parseDouble(f[1]) > 0, line);
                }
                assertEquals(List.of("SET", "GET", "INCR", "MSET (10 keys)"), tests, out);
            }
        }
    }
}
