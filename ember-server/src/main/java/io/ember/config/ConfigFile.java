package io.ember.config;

import io.ember.util.Bytes;
import io.ember.util.SplitArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads redis.conf syntax: one directive per line, arguments split like inline requests (quotes
 * and escapes), '#' comments, "include" of other files, repeated directives for multi-value
 * options (save, bind), unit suffixes handled by the options. Command-line "--name value" pairs
 * become extra lines read after the file, as redis-server does.
 */
public final class ConfigFile {
    /** A startup configuration error, reported with the file and line it came from. */
    public static final class LoadException extends Exception {
        public LoadException(String source, int line, String text, String reason) {
            super("*** FATAL CONFIG FILE ERROR ***\n"
                    + "Reading the configuration file " + source + ", at line " + line + "\n"
                    + ">>> '" + text + "'\n" + reason);
        }
    }

    private final ServerConfig config;
    /** Multi-value options seen so far: their first line replaces the default, later ones append. */
    private final Set<String> seenMulti = new HashSet<>();
    private final List<String> pendingSave = new ArrayList<>();

    private ConfigFile(ServerConfig config) {
        this.config = config;
    }

    /** Loads {@code file} (may be null) and then the command-line option lines. */
    public static void load(ServerConfig config, Path file, List<String> optionLines) throws LoadException {
        ConfigFile loader = new ConfigFile(config);
        if (file != null) {
            config.configFile = file.toAbsolutePath().normalize();
            loader.loadFile(config.configFile, 0);
        }
        int n = 0;
        for (String line : optionLines) loader.loadLine("(command line)", ++n, line, 0);
    }

    private void loadFile(Path file, int depth) throws LoadException {
        if (depth > 16) throw new LoadException(file.toString(), 0, "include", "Too many nested includes");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new LoadException(file.toString(), 0, "", "Fatal error, can't open config file '" + file + "': " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) loadLine(file.toString(), i + 1, lines.get(i), depth);
    }

    private void loadLine(String source, int lineNo, String raw, int depth) throws LoadException {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) return;
        List<byte[]> parts = SplitArgs.split(Bytes.ascii(line));
        if (parts == null) throw new LoadException(source, lineNo, line, "Unbalanced quotes in configuration line");
        if (parts.isEmpty()) return;
        String name = Bytes.latin1(parts.get(0)).toLowerCase(Locale.ROOT);
        List<String> args = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) args.add(Bytes.latin1(parts.get(i)));
        if (name.equals("include")) {
            if (args.size() != 1) throw new LoadException(source, lineNo, line, "Bad directive or wrong number of arguments");
            loadFile(Path.of(args.get(0)), depth + 1);
            return;
        }
        ConfigOption option = config.option(name);
        if (option == null || args.isEmpty()) {
            throw new LoadException(source, lineNo, line, "Bad directive or wrong number of arguments");
        }
        try {
            if (option.has(ConfigOption.MULTI_ARG)) {
                args = accumulate(option, args);
            }
            option.parse(args, true).apply();
        } catch (ConfigException e) {
            throw new LoadException(source, lineNo, line, e.getMessage());
        }
    }

    /** save lines accumulate; "save" with an empty argument clears. bind takes one line's addresses. */
    private List<String> accumulate(ConfigOption option, List<String> args) {
        if (!option.name().equals("save")) return args;
        if (seenMulti.add("save")) pendingSave.clear();
        if (args.size() == 1 && args.get(0).isEmpty()) {
            pendingSave.clear();
        } else {
            pendingSave.addAll(args);
        }
        return pendingSave.isEmpty() ? List.of("") : List.copyOf(pendingSave);
    }

    /** Quotes a value for writing back to a config file when it has blanks, quotes or is empty. */
    public static String quoteIfNeeded(String v) {
        boolean plain = !v.isEmpty();
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == '"' || c == '\'' || c == '\\' || c > '~') plain = false;
        }
        if (plain) return v;
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c < ' ' || c > '~') sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
