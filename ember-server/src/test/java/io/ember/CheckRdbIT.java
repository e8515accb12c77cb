package io.ember;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/ember-check-rdb as a real process on a good and a bad file (exit 0 / 1), and bin/ember-server
 * refusing to start on a bad dump.rdb with exit code 1 and the reason logged.
 */
class CheckRdbIT {
    @TempDir
    Path dir;

    private static String run(int expectedExit, Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }

    /** "REDIS0010", SELECTDB 0, a string key k = v, EOF and a zero checksum (not checked). */
    private static byte[] tinyRdb() {
        return new byte[] {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '0', (byte) 254, 0, 0, 1, 'k', 1, 'v', (byte) 255, 0, 0, 0, 0, 0, 0, 0, 0};
    }

    @Test
    void checkerExitCodes() throws Exception {
        Path good = dir.resolve("good.rdb");
        Files.write(good, tinyRdb());
        String out = run(0, dir, LauncherIT.ROOT.resolve("bin/ember-check-rdb").toString(), good.toString());
        assertTrue(out.contains("RDB looks OK"), out);
        Path bad = dir.resolve("bad.rdb");
        Files.write(bad, java.util.Arrays.copyOf(tinyRdb(), 14));
        out = run(1, dir, LauncherIT.ROOT.resolve("bin/ember-check-rdb").toString(), bad.toString());
        assertTrue(out.contains("RDB ERROR DETECTED"), out);
    }

    @Test
    void serverRefusesABadFile() throws Exception {
        Files.write(dir.resolve("dump.rdb"), java.util.Arrays.copyOf(tinyRdb(), 14));
        String out = run(1, dir, LauncherIT.LAUNCHER.toString(), "--port", "0", "--dir", dir.toString());
        assertTrue(out.contains("Fatal error loading the DB") && out.contains("offset"), out);
    }
}
