package io.ember.config;

import io.ember.Version;
import io.ember.util.Bytes;
import io.ember.util.Glob;
import io.ember.util.SplitArgs;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads redis.conf syntax (config.c loadServerConfigFromString): one directive per line,
 * arguments split like inline requests (quotes and escapes), '#' comments, "include" of other
 * files (with * ? [ wildcards in the file name), repeated directives (the last one wins, save
 * lines add up). The config file is read first, then standard input ("-"), then the
 * command-line "--name value" options, as redis-server does. The first error stops loading:
 * unlike Redis, the message names the file (or stdin, or the command line) as well as the line.
 */
public final class ConfigFile {
    /** A startup configuration error; the message is what the server prints before exiting 1. */
    public static final class LoadException extends Exception {
        LoadException(String message) {
            super(message);
        }

        static LoadException at(String where, String text, String reason) {
            return new LoadException(header() + where + "\n>>> '" + text + "'\n" + reason);
        }

        static String header() {
            return "\n*** FATAL CONFIG FILE ERROR (Ember " + Version.EMBER_VERSION + ") ***\n";
        }
    }

    /** Directives Redis 7.0 still accepts and ignores. */
    private static final Set<String> DEPRECATED = Set.of("list-max-ziplist-entries", "list-max-ziplist-value",
            "lua-replicate-commands");
    private static final int MAX_INCLUDE_DEPTH = 16;

    private final ServerConfig config;

    private ConfigFile(ServerConfig config) {
        this.config = config;
    }

    /** Loads {@code file} (may be null) and then the command-line option lines. */
    public static void load(ServerConfig config, Path file, List<String> optionLines) throws LoadException {
        load(config, file, null, optionLines);
    }

    /**
     * Loads {@code file} (may be null), then {@code stdin} (may be null: "-" not given), then the
     * option lines built from the command line by {@code CommandLine}.
     */
    public static void load(ServerConfig config, Path file, InputStream stdin, List<String> optionLines)
            throws LoadException {
        ConfigFile loader = new ConfigFile(config);
        if (file != null) {
            config.configFile = file.toAbsolutePath().normalize();
            loader.loadFile(config.configFile, 0);
        }
        if (stdin != null) {
            String text;
            try {
                text = new String(stdin.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new LoadException("Fatal error, can't read config from stdin: " + ConfigRewrite.strerror(e));
            }
            loader.loadText("the configuration from standard input", text, 0);
        }
        int n = 0;
        for (String line : optionLines) {
            n++;
            loader.loadLine("Reading the command line, at option " + n, line, 0);
        }
        checkLogfile(config);
    }

    private void loadFile(Path file, int depth) throws LoadException {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new LoadException("Fatal error, can't open config file '" + file + "': " + ConfigRewrite.strerror(e));
        }
        loadText("the configuration file " + file, text, depth);
    }

    private void loadText(String source, String text, int depth) throws LoadException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            loadLine("Reading " + source + ", at line " + (i + 1), lines[i], depth);
        }
    }

    private void loadLine(String where, String raw, int depth) throws LoadException {
        String line = ConfigRewrite.trim(raw);
        if (line.isEmpty() || line.startsWith("#")) return;
        List<byte[]> parts = SplitArgs.split(Bytes.ascii(line));
        if (parts == null) throw LoadException.at(where, line, "Unbalanced quotes in configuration line");
        if (parts.isEmpty()) return;
        String name = Bytes.latin1(parts.get(0)).toLowerCase(Locale.ROOT);
        List<String> args = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) args.add(Bytes.latin1(parts.get(i)));

        ConfigOption option = config.option(name);
        if (option != null) {
            try {
                if (!option.has(ConfigOption.MULTI_ARG) && args.size() != 1) {
                    throw new ConfigException("wrong number of arguments");
                }
                option.parse(args, true).apply();
            } catch (ConfigException e) {
                throw LoadException.at(where, line, e.getMessage());
            }
        } else if (DEPRECATED.contains(name) && args.size() == 1) {
            return;
        } else if (name.equals("include") && args.size() == 1) {
            if (depth >= MAX_INCLUDE_DEPTH) throw LoadException.at(where, line, "Too many nested includes");
            include(args.get(0), depth + 1);
        } else {
            throw LoadException.at(where, line, "Bad directive or wrong number of arguments");
        }
    }

    /**
     * include path: a file name with wildcards includes every matching file in name order (none
     * is fine, so an empty conf.d works); without wildcards the file must exist. Relative paths
     * are relative to the working directory, as in Redis. Wildcards apply to the last path element.
     */
    private void include(String path, int depth) throws LoadException {
        Path p = Path.of(path);
        String fileName = p.getFileName() == null ? "" : p.getFileName().toString();
        if (fileName.indexOf('*') < 0 && fileName.indexOf('?') < 0 && fileName.indexOf('[') < 0) {
            loadFile(p, depth);
            return;
        }
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        List<Path> matches = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(e -> Glob.matches(fileName, e.getFileName().toString())).sorted().forEach(matches::add);
        } catch (IOException e) {
            return; // like glob() finding nothing
        }
        for (Path m : matches) loadFile(m, depth);
    }

    /** Redis refuses to start when the log file cannot be opened. */
    private static void checkLogfile(ServerConfig config) throws LoadException {
        if (config.logfile.isEmpty()) return;
        try (FileOutputStream out = new FileOutputStream(config.logfile, true)) {
            out.flush();
        } catch (IOException e) {
            String reason = e.getMessage() != null && e.getMessage().contains("(")
                    ? e.getMessage().substring(e.getMessage().lastIndexOf('(') + 1).replace(")", "")
                    : String.valueOf(e.getMessage());
            throw new LoadException(LoadException.header() + "Can't open the log file: " + reason);
        }
    }
}
