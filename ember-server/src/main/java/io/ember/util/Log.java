package io.ember.util;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Server log in Redis's format ("pid:M 21 Nov 2026 20:26:00.123 * message"), to stdout or the
 * configured logfile, filtered by loglevel.
 */
public final class Log {
    public static final int DEBUG = 0, VERBOSE = 1, NOTICE = 2, WARNING = 3;
    private static final char[] MARK = {'.', '-', '*', '#'};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);

    private final long pid = ProcessHandle.current().pid();
    private volatile int level = NOTICE;
    private volatile PrintStream out = System.out;
    private volatile char role = 'M';

    public void setLevel(String name) {
        level = switch (name) {
            case "debug" -> DEBUG;
            case "verbose" -> VERBOSE;
            case "warning" -> WARNING;
            default -> NOTICE;
        };
    }

    /** Directs output to a file (appending); "" means standard output. */
    public void setFile(String path) throws IOException {
        out = path.isEmpty() ? System.out : new PrintStream(new FileOutputStream(path, true), true);
    }

    public boolean enabled(int lvl) {
        return lvl >= level;
    }

    public void log(int lvl, String msg) {
        if (lvl < level) return;
        String line = pid + ":" + role + " " + LocalDateTime.now().format(TIME) + " " + MARK[lvl] + " " + msg;
        PrintStream o = out;
        synchronized (o) {
            o.println(line);
        }
    }

    /** Writes a line with no prefix (the startup banner). */
    public void raw(String text) {
        PrintStream o = out;
        synchronized (o) {
            o.println(text);
        }
    }

    public void debug(String msg) { log(DEBUG, msg); }
    public void verbose(String msg) { log(VERBOSE, msg); }
    public void notice(String msg) { log(NOTICE, msg); }
    public void warning(String msg) { log(WARNING, msg); }
}
