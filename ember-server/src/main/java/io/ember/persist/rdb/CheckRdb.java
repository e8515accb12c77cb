package io.ember.persist.rdb;

import io.ember.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * ember-check-rdb FILE: reads a whole RDB file with the loader's decoder and reports what it holds,
 * in the spirit of redis-check-rdb: version, AUX fields, keys and expires per database, the
 * checksum, then "RDB looks OK" (exit 0) or the error with its offset (exit 1).
 */
public final class CheckRdb implements RdbLoadTarget {
    private final PrintStream out;
    private final long now = System.currentTimeMillis();
    private final TreeMap<Integer, long[]> perDb = new TreeMap<>();
    private long keys;
    private long expires;
    private long alreadyExpired;

    private CheckRdb(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Checks the file named by args[0]; returns the exit code. */
    public static int run(String[] args, PrintStream out) {
        if (args.length != 1) {
            out.println("Usage: ember-check-rdb <rdb-file-name>");
            return 1;
        }
        return new CheckRdb(out).check(Path.of(args[0]));
    }

    /**
     * The RDB preamble of an AOF file (ember-check-aof): checks it as above and returns the
     * offset where the AOF tail begins, or -1 when the RDB part is not sane.
     */
    public static long checkPreamble(Path file, String name, PrintStream out) {
        CheckRdb c = new CheckRdb(out);
        c.preamble = true;
        c.name = name;
        return c.check(file) == 0 ? c.end : -1;
    }

    private boolean preamble;
    private String name;
    private long end;

    private int check(Path file) {
        out.println("[offset 0] Checking RDB file " + (name != null ? name : file));
        ServerConfig config = new ServerConfig();
        config.databases = Integer.MAX_VALUE; // report any SELECTDB; the server checks its own limit
        RdbReader reader = null;
        try (InputStream s = Files.newInputStream(file)) {
            reader = new RdbReader(RdbInput.of(s, Files.size(file)), config);
            int version = reader.readHeader();
            out.println("[offset 9] RDB format version " + version);
            reader.load(this);
            long at = reader.input().offset();
            if (version < 5) out.println("[offset " + at + "] No checksum (RDB version " + version + ")");
            else if (reader.storedChecksum() == 0) out.println("[offset " + at + "] RDB file was saved with checksum disabled: no check performed.");
            else out.println("[offset " + at + "] Checksum OK");
            end = at;
            if (!preamble && !reader.input().atEnd()) out.println("[offset " + reader.input().offset() + "] Warning: extra bytes after the checksum");
            out.println("[offset " + at + "] \\o/ RDB looks OK! \\o/");
            summary();
            return 0;
        } catch (RdbFormatException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("[offset " + e.offset() + "] " + e.reason());
            summary();
            return 1;
        } catch (IOException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("Cannot read " + file + ": " + e);
            return 1;
        }
    }

    private void summary() {
        for (var e : perDb.entrySet()) {
            out.println("[info] db " + e.getKey() + ": " + e.getValue()[0] + " keys, " + e.getValue()[1] + " expires");
        }
        out.println("[info] " + keys + " keys read");
        out.println("[info] " + expires + " expires");
        out.println("[info] " + alreadyExpired + " already expired");
    }

    @Override
    public void aux(String name, byte[] value) {
        out.println("[info] AUX FIELD " + name + " = '" + RdbReader.text(value) + "'");
    }

    @Override
    public void selectDb(int db, long offset) {
        out.println("[offset " + offset + "] Selecting DB ID " + db);
        perDb.computeIfAbsent(db, k -> new long[2]);
    }

    @Override
    public void resizeDb(int db, long keys, long expires) {
        out.println("[info] RESIZEDB: " + keys + " keys, " + expires + " expires");
    }

    @Override
    public void key(int db, byte[] key, RdbValue value, long expireAtMs, long idleSeconds, int freq, long offset) {
        long[] c = perDb.computeIfAbsent(db, k -> new long[2]);
        c[0]++;
        keys++;
        if (expireAtMs != 0) {
            c[1]++;
            expires++;
            if (expireAtMs < now) alreadyExpired++;
        }
    }
}
