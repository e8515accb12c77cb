package io.ember;

import io.ember.util.SplitArgs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads redis-server style arguments, {@code [/path/to/ember.conf] [-] [--option value ...]},
 * as redis-server's main() does: a first argument not starting with '-' is the config file; a
 * lone "-" as first or last argument reads more config from standard input; every "--name"
 * starts a config line and the words after it are its (quoted) arguments. A bare "--save"
 * followed by another option or at the end means {@code save ""}.
 */
final class CommandLine {
    /** The parsed arguments: config file (or null), whether to read stdin, the option lines. */
    record Parsed(Path configFile, boolean readStdin, List<String> optionLines) {}

    private CommandLine() {}

    static Parsed parse(List<String> args) {
        Path configFile = null;
        int j = 0;
        if (!args.isEmpty() && !args.get(0).startsWith("-")) {
            configFile = Path.of(args.get(0)).toAbsolutePath().normalize();
            j = 1;
        }
        boolean stdin = false;
        List<String> rest = new ArrayList<>();
        for (; j < args.size(); j++) {
            if (args.get(j).equals("-") && (j == 0 || j == args.size() - 1)) {
                stdin = true;
            } else {
                rest.add(args.get(j));
            }
        }
        return new Parsed(configFile, stdin, optionLines(rest));
    }

    static List<String> optionLines(List<String> args) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = null;
        boolean lastHasArg = true;
        for (int j = 0; j < args.size(); j++) {
            String a = args.get(j);
            if (lastHasArg && a.startsWith("--")) {
                if (cur != null) lines.add(cur.toString().stripTrailing());
                cur = new StringBuilder(a.substring(2)).append(' ');
                List<byte[]> words = SplitArgs.split(a.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                if (words != null && words.size() > 1) {
                    lastHasArg = true; // "--port 6380" given as one argument
                } else {
                    lastHasArg = false;
                    boolean nextIsOption = j + 1 < args.size() && args.get(j + 1).startsWith("--");
                    if (a.equalsIgnoreCase("--save") && (nextIsOption || j == args.size() - 1)) {
                        cur.append("\"\"");
                        lastHasArg = true;
                    }
                }
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(SplitArgs.repr(a)).append(' ');
                lastHasArg = true;
            }
        }
        if (cur != null) lines.add(cur.toString().stripTrailing());
        return lines;
    }
}
