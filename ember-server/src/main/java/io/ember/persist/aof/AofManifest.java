package io.ember.persist.aof;

import io.ember.util.Log;
import io.ember.util.SplitArgs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The multi-part AOF manifest of Redis 7.0 (aof.c): one line per file, {@code file <name> seq
 * <n> type b|h|i}, the base first, then history, then incremental files in sequence order. Parsed
 * with Redis's checks and error texts; written to {@code temp-<name>.manifest}, fsynced and
 * renamed over the manifest, then the directory is fsynced.
 */
public final class AofManifest {
    public static final char BASE = 'b', HISTORY = 'h', INCR = 'i';
    private static final int MAX_LINE = 1024;

    /** One file of the set. */
    public record Entry(String name, long seq, char type) {}

    public Entry base;
    public final List<Entry> history = new ArrayList<>();
    public final List<Entry> incr = new ArrayList<>();
    public long currBaseSeq, currIncrSeq;

    public static String manifestName(String appendfilename) {
        return appendfilename + ".manifest";
    }

    /** aofLoadManifestFromFile; a bad manifest is logged as Redis does and throws. */
    public static AofManifest load(Path file, Log log) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            String msg = "Fatal error: can't open the AOF manifest file " + file + " for reading: "
                    + AppendOnlyFile.reason(e);
            throw new AofException(msg);
        }
        AofManifest am = new AofManifest();
        long maxSeq = 0;
        int pos = 0, lineNum = 0;
        while (true) {
            if (pos >= data.length) {
                if (lineNum == 0) throw fatal(log, null, 0, "Found an empty AOF manifest");
                break;
            }
            // fgets with a buffer of MAX_LINE+1: at most MAX_LINE bytes, up to and including '\n'
            int end = pos;
            boolean newline = false;
            while (end < data.length && end - pos < MAX_LINE) {
                if (data[end++] == '\n') {
                    newline = true;
                    break;
                }
            }
            byte[] raw = java.util.Arrays.copyOfRange(data, pos, end);
            pos = end;
            lineNum++;
            if (raw.length > 0 && raw[0] == '#') continue;
            String line = trim(new String(raw, StandardCharsets.ISO_8859_1));
            if (!newline) throw fatal(log, line, lineNum, "The AOF manifest file contains too long line");
            if (line.isEmpty()) throw fatal(log, line, lineNum, "Invalid AOF manifest file format");
            List<byte[]> argv = SplitArgs.split(line.getBytes(StandardCharsets.ISO_8859_1));
            if (argv == null || argv.size() < 6 || argv.size() % 2 != 0) {
                throw fatal(log, line, lineNum, "Invalid AOF manifest file format");
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int i = 0; i < argv.size(); i += 2) {
                String k = new String(argv.get(i), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                String v = new String(argv.get(i + 1), StandardCharsets.ISO_8859_1);
                switch (k) {
                    case "file" -> {
                        name = v;
                        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
                            throw fatal(log, line, lineNum, "File can't be a path, just a filename");
                        }
                    }
                    case "seq" -> seq = atoll(v);
                    case "type" -> type = v.isEmpty() ? 0 : v.charAt(0);
                    default -> { } // unknown keys: forward compatibility
                }
            }
            if (name == null || seq == 0 || type == 0) throw fatal(log, line, lineNum, "Invalid AOF manifest file format");
            Entry e = new Entry(name, seq, type);
            switch (type) {
                case BASE -> {
                    if (am.base != null) throw fatal(log, line, lineNum, "Found duplicate base file information");
                    am.base = e;
                    am.currBaseSeq = seq;
                }
                case HISTORY -> am.history.add(e);
                case INCR -> {
                    if (seq <= maxSeq) throw fatal(log, line, lineNum, "Found a non-monotonic sequence number");
                    am.incr.add(e);
                    am.currIncrSeq = seq;
                    maxSeq = seq;
                }
                default -> throw fatal(log, line, lineNum, "Unknown AOF file type");
            }
        }
        return am;
    }

    private static AofException fatal(Log log, String line, int lineNum, String err) {
        log.warning("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
        if (line != null) {
            log.warning("Reading the manifest file, at line " + lineNum + "\n");
            log.warning(">>> '" + line + "'\n");
        }
        return new AofException(err);
    }

    /** sdstrim(" \t\r\n") */
    private static String trim(String s) {
        int a = 0, b = s.length();
        while (a < b && " \t\r\n".indexOf(s.charAt(a)) >= 0) a++;
        while (b > a && " \t\r\n".indexOf(s.charAt(b - 1)) >= 0) b--;
        return s.substring(a, b);
    }

    /** C's atoll: optional blanks and sign, then digits; anything else ends the number (0 if none). */
    static long atoll(String s) {
        int i = 0, n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) i++;
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) neg = s.charAt(i++) == '-';
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') v = v * 10 + (s.charAt(i++) - '0');
        return neg ? -v : v;
    }

    /** getAofManifestAsString: base, history, incr; names quoted when they need it. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) line(sb, base);
        for (Entry e : history) line(sb, e);
        for (Entry e : incr) line(sb, e);
        return sb.toString();
    }

    private static void line(StringBuilder sb, Entry e) {
        sb.append("file ");
        byte[] name = e.name.getBytes(StandardCharsets.ISO_8859_1);
        if (needsRepr(name)) SplitArgs.appendRepr(sb, name);
        else sb.append(e.name);
        sb.append(" seq ").append(e.seq).append(" type ").append(e.type).append('\n');
    }

    /** sdsneedsrepr */
    private static boolean needsRepr(byte[] s) {
        for (byte b : s) {
            int c = b & 0xff;
            if (c == '\\' || c == '"' || c == '\n' || c == '\r' || c == '\t' || c == 7 || c == '\b'
                    || c < 0x20 || c >= 0x7f || c == ' ' || c == 0x0b || c == '\f') {
                return true;
            }
        }
        return false;
    }

    /** getNewBaseFileNameAndMarkPreAsHistory */
    public String newBaseName(String appendfilename, boolean rdb) {
        if (base != null) history.add(0, new Entry(base.name, base.seq, HISTORY));
        base = new Entry(appendfilename + "." + (++currBaseSeq) + ".base" + (rdb ? ".rdb" : ".aof"), currBaseSeq, BASE);
        return base.name;
    }

    void dropLastIncr() {
        incr.remove(incr.size() - 1);
        currIncrSeq--;
    }

    /** A copy (the rewrite changes a copy and adopts it once the copy is on disk). */
    AofManifest copy() {
        AofManifest m = new AofManifest();
        m.base = base;
        m.history.addAll(history);
        m.incr.addAll(incr);
        m.currBaseSeq = currBaseSeq;
        m.currIncrSeq = currIncrSeq;
        return m;
    }

    /** markRewrittenIncrAofAsHistory: every incr file but the last ({@code keepLast}) becomes history. */
    void markIncrAsHistory(boolean keepLast) {
        int n = incr.size() - (keepLast ? 1 : 0);
        for (int i = 0; i < n; i++) {
            Entry e = incr.remove(0);
            history.add(new Entry(e.name, e.seq, HISTORY));
        }
    }

    /** getNewIncrAofName */
    public String newIncrName(String appendfilename) {
        Entry e = new Entry(appendfilename + "." + (++currIncrSeq) + ".incr.aof", currIncrSeq, INCR);
        incr.add(e);
        return e.name;
    }

    /**
     * writeAofManifestFile: temp file, fsync, rename, fsync of the directory. A failure throws
     * with the line Redis logs.
     */
    public void write(Path dir, String appendfilename) throws AofException {
        String name = manifestName(appendfilename);
        String tmpName = "temp-" + name;
        Path tmp = dir.resolve(tmpName);
        byte[] bytes = format().getBytes(StandardCharsets.ISO_8859_1);
        FileChannel ch;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new AofException("Can't open the AOF manifest file " + tmpName + ": " + AppendOnlyFile.reason(e));
        }
        try (ch) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
        } catch (IOException e) {
            throw new AofException("Error trying to write the temporary AOF manifest file " + tmpName + ": "
                    + AppendOnlyFile.reason(e));
        }
        try (FileChannel sync = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            sync.force(true);
        } catch (IOException e) {
            throw new AofException("Fail to fsync the temp AOF file " + tmpName + ": " + AppendOnlyFile.reason(e) + ".");
        }
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AofException("Error trying to rename the temporary AOF manifest file " + tmpName + " into " + name
                    + ": " + AppendOnlyFile.reason(e));
        }
        try {
            AppendOnlyFile.fsyncDir(dir);
        } catch (IOException e) {
            throw new AofException("Fail to fsync AOF directory " + dir.resolve(name) + ": " + AppendOnlyFile.reason(e) + ".");
        }
    }
}
