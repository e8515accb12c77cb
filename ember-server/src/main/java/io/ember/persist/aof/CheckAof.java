package io.ember.persist.aof;

import io.ember.persist.rdb.CheckRdb;
import io.ember.util.Log;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * ember-check-aof [--fix|--truncate-to-timestamp ts] FILE: redis-check-aof 7.0 for a manifest
 * (every base and incr file it lists), an old-style AOF or an AOF with an RDB preamble, with
 * redis-check-aof's messages. Differences: {@code --fix} does not ask for confirmation (it is
 * meant for scripts: giving the option is the confirmation), and the RDB part is reported by
 * ember-check-rdb's checker.
 */
public final class CheckAof {
    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private enum Result { OK, EMPTY, TRUNCATED, TIMESTAMP_TRUNCATED }

    private final PrintStream out;
    private String error = "";
    private long epos;
    /** Lines consumed, counted over all the files checked (as redis-check-aof's static counter). */
    private long line = 1;
    private long toTimestamp;
    private boolean fix;

    private CheckAof(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        CheckAof c = new CheckAof(out);
        try {
            c.check(args);
            return 0;
        } catch (Exit e) {
            return e.code;
        } finally {
            out.flush();
        }
    }

    private void check(String[] args) {
        String file;
        if (args.length == 1) {
            file = args[0];
        } else if (args.length == 2 && args[0].equals("--fix")) {
            file = args[1];
            fix = true;
        } else if (args.length == 3 && args[0].equals("--truncate-to-timestamp")) {
            try {
                toTimestamp = Long.parseLong(args[1]);
            } catch (NumberFormatException e) {
                out.println("Invalid timestamp, aborting...");
                throw new Exit(1);
            }
            file = args[2];
        } else {
            out.println("Usage: ember-check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>");
            throw new Exit(1);
        }
        Path path = Path.of(file);
        if (startsWith(path, "file", 30)) {
            checkMultiPart(path);
        } else {
            out.println("Start checking Old-Style AOF");
            report("AOF " + file, checkSingle(file, path, true, startsWith(path, "REDIS", 8)), file);
        }
    }

    private boolean startsWith(Path p, String sig, int minSize) {
        try (InputStream in = Files.newInputStream(p)) {
            if (Files.size(p) < minSize) return false;
            byte[] b = in.readNBytes(sig.length());
            return new String(b, StandardCharsets.ISO_8859_1).equals(sig);
        } catch (IOException e) {
            out.println("Cannot open file: " + p);
            throw new Exit(1);
        }
    }

    private void report(String what, Result r, String name) {
        switch (r) {
            case OK -> out.println(what + " is valid");
            case EMPTY -> out.println(what + " is empty");
            case TIMESTAMP_TRUNCATED -> out.println("Successfully truncated AOF " + name + " to timestamp " + toTimestamp);
            case TRUNCATED -> out.println("Successfully truncated AOF " + name);
        }
    }

    private void checkMultiPart(Path manifestPath) {
        out.println("Start checking Multi Part AOF");
        if (!Files.exists(manifestPath)) {
            out.println("The AOF manifest file " + manifestPath + " doesn't exist");
            throw new Exit(1);
        }
        AofManifest am;
        try {
            am = AofManifest.load(manifestPath, new Log());
        } catch (IOException e) {
            out.println("\n*** FATAL AOF MANIFEST FILE ERROR ***");
            out.println(e.getMessage());
            throw new Exit(1);
        }
        Path dir = manifestPath.toAbsolutePath().getParent();
        int total = (am.base != null ? 1 : 0) + am.incr.size(), n = 0;
        if (am.base != null) {
            String name = am.base.name();
            boolean rdb = startsWith(dir.resolve(name), "REDIS", 8);
            out.println("Start to check BASE AOF (" + (rdb ? "RDB" : "RESP") + " format).");
            report("BASE AOF " + name, checkSingle(name, dir.resolve(name), ++n == total, rdb), name);
        }
        if (!am.incr.isEmpty()) {
            out.println("Start to check INCR files.");
            for (AofManifest.Entry e : am.incr) {
                report("INCR AOF " + e.name(), checkSingle(e.name(), dir.resolve(e.name()), ++n == total, false), e.name());
            }
        }
        out.println("All AOF files and manifest are valid");
    }

    /** checkSingleAof */
    private Result checkSingle(String name, Path path, boolean lastFile, boolean preamble) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            out.println("Cannot open file: " + name + ", aborting...");
            throw new Exit(1);
        }
        if (size == 0) return Result.EMPTY;
        long start = 0;
        if (preamble) {
            start = CheckRdb.checkPreamble(path, name, out);
            if (start < 0) {
                out.println("RDB preamble of AOF file is not sane, aborting.");
                throw new Exit(1);
            }
            out.println("RDB preamble is OK, proceeding with AOF tail...");
        }
        long pos = start;
        int[] multi = {0};
        long truncateAt = -1;
        Reader in;
        try {
            in = new Reader(path, start);
        } catch (IOException e) {
            out.println("Cannot open file: " + name + ", aborting...");
            throw new Exit(1);
        }
        try (in) {
            while (true) {
                if (multi[0] == 0) pos = in.offset;
                int c = in.peek();
                if (c < 0) break;
                if (c == '#') {
                    long at = annotation(in, path, lastFile);
                    if (at >= 0) {
                        truncateAt = at;
                        break;
                    }
                } else if (c == '*') {
                    if (!resp(in, path.toString(), multi)) break;
                } else {
                    out.println("AOF " + name + " format error");
                    break;
                }
            }
            if (truncateAt < 0 && in.eof && multi[0] != 0 && error.isEmpty()) {
                error("Reached EOF before reading EXEC for MULTI");
            }
        } catch (IOException e) {
            out.println("Failed to read from AOF " + name + ", aborting...");
            throw new Exit(1);
        }
        if (truncateAt >= 0) {
            truncate(path, truncateAt, "Failed to truncate AOF " + path + " to timestamp " + toTimestamp);
            return Result.TIMESTAMP_TRUNCATED;
        }
        if (!error.isEmpty()) {
            out.println(error);
        }
        long diff = size - pos;
        if (diff == 0 && toTimestamp != 0) {
            out.println("Truncate nothing in AOF " + name + " to timestamp " + toTimestamp);
            return Result.OK;
        }
        out.println("AOF analyzed: filename=" + name + ", size=" + size + ", ok_up_to=" + pos + ", ok_up_to_line="
                + line + ", diff=" + diff);
        if (diff > 0) {
            if (!fix) {
                out.println("AOF " + name + " is not valid. Use the --fix option to try fixing it.");
                throw new Exit(1);
            }
            if (!lastFile) {
                out.println("Failed to truncate AOF " + name + " because it is not the last file");
                throw new Exit(1);
            }
            out.println("This will shrink the AOF " + name + " from " + size + " bytes, with " + diff + " bytes, to "
                    + pos + " bytes");
            out.println("Continue? [y/N]: y (--fix given: no confirmation asked)");
            truncate(path, pos, "Failed to truncate AOF " + name);
            return Result.TRUNCATED;
        }
        return Result.OK;
    }

    private void truncate(Path path, long at, String failure) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(at);
            ch.force(true);
        } catch (IOException e) {
            out.println(failure);
            throw new Exit(1);
        }
    }

    /** processAnnotations: -1 to go on, else the offset to truncate at (a #TS past the target). */
    private long annotation(Reader in, Path path, boolean lastFile) throws IOException {
        epos = in.offset;
        byte[] b = in.fgets(1024);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        if (toTimestamp == 0 || !s.startsWith("#TS:")) return -1;
        long ts = strtol(s, 4);
        if (ts <= toTimestamp) return -1;
        if (epos == 0) {
            out.println("AOF " + path + " has nothing before timestamp " + toTimestamp + ", aborting...");
            throw new Exit(1);
        }
        if (!lastFile) {
            out.println("Failed to truncate AOF " + path + " to timestamp " + toTimestamp + " to offset " + epos
                    + " because it is not the last file.");
            out.println("If you insist, please delete all files after this file according to the manifest file and "
                    + "delete the corresponding records in manifest file manually. Then re-run redis-check-aof.");
            throw new Exit(1);
        }
        return epos;
    }

    /** processRESP: one command; false (with the error set, or at the end of the file) when it is incomplete. */
    private boolean resp(Reader in, String file, int[] multi) throws IOException {
        long argc = readLong(in, '*');
        if (argc == Long.MIN_VALUE) return false;
        for (long i = 0; i < argc; i++) {
            byte[] str = readString(in);
            if (str == null) return false;
            if (i == 0) {
                String cmd = new String(str, StandardCharsets.ISO_8859_1);
                if (cmd.equalsIgnoreCase("multi")) {
                    if (multi[0]++ != 0) {
                        error("Unexpected MULTI in AOF " + file);
                        return false;
                    }
                } else if (cmd.equalsIgnoreCase("exec")) {
                    if (--multi[0] != 0) {
                        error("Unexpected EXEC in AOF " + file);
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** readLong; Long.MIN_VALUE on failure. */
    private long readLong(Reader in, char prefix) throws IOException {
        epos = in.offset;
        byte[] b = in.fgets(128);
        if (b == null) return Long.MIN_VALUE;
        if (b[0] != prefix) {
            error("Expected prefix '" + prefix + "', got: '" + (char) (b[0] & 0xff) + "'");
            return Long.MIN_VALUE;
        }
        int[] end = new int[1];
        long v = strtol(b, 1, end);
        if (!newline(b, end[0])) return Long.MIN_VALUE;
        return v;
    }

    private byte[] readString(Reader in) throws IOException {
        long len = readLong(in, '$');
        if (len == Long.MIN_VALUE) return null;
        if (len < 0 || len > Long.MAX_VALUE - 2) {
            error("Expected to read string of " + len + " bytes, which is not in the suitable range");
            return null;
        }
        epos = in.offset;
        byte[] b = in.read(len + 2);
        if (b.length != len + 2) {
            error("Expected to read " + (len + 2) + " bytes, got " + b.length + " bytes");
            return null;
        }
        if (!newline(b, (int) len)) return null;
        return java.util.Arrays.copyOf(b, (int) len);
    }

    /** consumeNewline */
    private boolean newline(byte[] b, int at) {
        if (at + 1 < b.length && b[at] == '\r' && b[at + 1] == '\n') {
            line++;
            return true;
        }
        int c0 = at < b.length ? b[at] : 0, c1 = at + 1 < b.length ? b[at + 1] : 0;
        error(String.format("Expected \\r\\n, got: %02x%02x", c0, c1));
        return false;
    }

    private void error(String msg) {
        error = String.format("0x%16x: %s", epos, msg);
    }

    private static long strtol(String s, int from) {
        return strtol(s.getBytes(StandardCharsets.ISO_8859_1), from, new int[1]);
    }

    /** C's strtol in base 10: blanks, sign, digits; {@code end[0]} is where it stopped. */
    private static long strtol(byte[] b, int i, int[] end) {
        int start = i;
        while (i < b.length && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) i++;
        boolean neg = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) neg = b[i++] == '-';
        int digits = i;
        long v = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') v = v * 10 + (b[i++] - '0');
        end[0] = i == digits ? start : i;
        return neg ? -v : v;
    }

    /** The file from an offset, with fgets and fread semantics and the current offset. */
    private static final class Reader implements AutoCloseable {
        private final InputStream in;
        long offset;
        boolean eof;

        Reader(Path p, long start) throws IOException {
            in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
            in.skipNBytes(start);
            offset = start;
        }

        int peek() throws IOException {
            in.mark(1);
            int c = in.read();
            if (c < 0) eof = true;
            else in.reset();
            return c;
        }

        /** Up to max-1 bytes, through the first newline; null at the end of the file. */
        byte[] fgets(int max) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (b.size() < max - 1) {
                int c = in.read();
                if (c < 0) {
                    eof = true;
                    break;
                }
                b.write(c);
                if (c == '\n') break;
            }
            offset += b.size();
            return b.size() == 0 ? null : b.toByteArray();
        }

        byte[] read(long n) throws IOException {
            byte[] b = in.readNBytes((int) Math.min(n, Integer.MAX_VALUE - 8));
            if (b.length < n) eof = true;
            offset += b.length;
            return b;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
