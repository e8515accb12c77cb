package io.ember.command;

import io.ember.client.Client;
import io.ember.config.ConfigException;
import io.ember.config.ConfigOption;
import io.ember.config.ConfigRewrite;
import io.ember.config.ServerConfig;
import io.ember.util.Bytes;
import io.ember.util.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CONFIG GET, SET, RESETSTAT, REWRITE, HELP (config.c). The options themselves (names, parsing,
 * formatting, rewrite rules) live in the {@code config} package; this class implements the
 * commands' semantics and Redis's error texts.
 */
final class ConfigCommand {
    private ConfigCommand() {}

    static void register(CommandTable t) {
        t.addSub("config", "get", ConfigCommand::get);
        t.addSub("config", "set", ConfigCommand::set);
        t.addSub("config", "resetstat", ConfigCommand::resetstat);
        t.addSub("config", "rewrite", ConfigCommand::rewrite);
        t.addSub("config", "help", ConfigCommand::help);
    }

    /**
     * CONFIG GET pattern [pattern ...]: a map of every matching option. A pattern without glob
     * characters is looked up directly (so it finds hidden options and keeps the caller's
     * spelling); a glob pattern matches option names and aliases case-insensitively. Each name
     * appears once. Redis's order is its hash table's; Ember's is the definition order.
     */
    static void get(Client c, byte[][] argv, int argc) {
        ServerConfig config = c.engine.config;
        Map<String, Object[]> matches = new LinkedHashMap<>(); // lower-case name -> {shown name, option}
        for (int i = 2; i < argc; i++) {
            String pattern = Bytes.latin1(argv[i]);
            if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
                ConfigOption o = config.option(pattern);
                String key = pattern.toLowerCase(Locale.ROOT);
                if (o != null && !matches.containsKey(key)) matches.put(key, new Object[] {pattern, o});
                continue;
            }
            for (ConfigOption o : config.options()) {
                if (o.has(ConfigOption.HIDDEN)) continue;
                addIfMatches(matches, argv[i], o.name(), o);
                for (String alias : o.aliases()) addIfMatches(matches, argv[i], alias, o);
            }
        }
        c.reply.mapHeader(matches.size());
        for (Object[] m : matches.values()) {
            c.reply.bulk(Bytes.ascii((String) m[0]));
            c.reply.bulk(Bytes.ascii(((ConfigOption) m[1]).get()));
        }
    }

    private static void addIfMatches(Map<String, Object[]> matches, byte[] pattern, String name, ConfigOption o) {
        if (!matches.containsKey(name) && Glob.matches(pattern, Bytes.ascii(name), true)) {
            matches.put(name, new Object[] {name, o});
        }
    }

    /**
     * CONFIG SET name value [name value ...]: all names are checked first (unknown, immutable,
     * protected, duplicate), then all values are validated, then applied in order; if applying
     * one fails (a port that cannot be bound) the ones already applied get their old values back.
     */
    static void set(Client c, byte[][] argv, int argc) {
        if ((argc & 1) != 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        ServerConfig config = c.engine.config;
        int n = (argc - 2) / 2;
        ConfigOption[] options = new ConfigOption[n];
        String[] names = new String[n];
        String unknown = null, errName = null, errText = null;
        boolean local = c.conn == null || c.conn.isLocal();
        for (int i = 0; i < n; i++) {
            String name = Bytes.latin1(argv[2 + 2 * i]);
            ConfigOption o = config.option(name);
            if (o == null) {
                if (errName == null && unknown == null) unknown = name;
                continue;
            }
            if (unknown != null || errName != null) continue;
            if (o.has(ConfigOption.IMMUTABLE)
                    || (o.has(ConfigOption.PROTECTED) && !ServerConfig.allows(config.enableProtectedConfigs, local))) {
                errText = o.has(ConfigOption.IMMUTABLE) ? "can't set immutable config" : "can't set protected config";
                errName = name;
                continue;
            }
            for (int j = 0; j < i; j++) {
                if (options[j] == o) {
                    errText = "duplicate parameter";
                    errName = name;
                    break;
                }
            }
            options[i] = o;
            names[i] = name.toLowerCase(Locale.ROOT); // the name or alias it matched, as Redis reports it
        }
        if (unknown != null) {
            c.reply.error("ERR Unknown option or number of arguments for CONFIG SET - '" + unknown + "'");
            return;
        }
        if (errName != null) {
            c.reply.error(setFailed(errName, errText));
            return;
        }
        ConfigOption.Applier[] appliers = new ConfigOption.Applier[n];
        for (int i = 0; i < n; i++) {
            try {
                appliers[i] = options[i].parse(valueArgs(options[i], Bytes.latin1(argv[3 + 2 * i])), false);
            } catch (ConfigException e) {
                c.reply.error(setFailed(names[i], e.getMessage()));
                return;
            }
        }
        String[] old = new String[n];
        for (int i = 0; i < n; i++) old[i] = options[i].get();
        for (int i = 0; i < n; i++) {
            try {
                appliers[i].apply();
            } catch (ConfigException e) {
                c.engine.log.warning("Failed applying new configuration. Possibly related to new " + names[i]
                        + " setting. Restoring previous settings.");
                restore(c, options, old, i);
                c.reply.error(setFailed(names[i], e.getMessage()));
                return;
            }
        }
        c.reply.ok();
    }

    private static String setFailed(String name, String reason) {
        return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason;
    }

    /** A CONFIG SET value: one argument, or space-separated words for multi-argument options. */
    private static List<String> valueArgs(ConfigOption o, String value) {
        if (!o.has(ConfigOption.MULTI_ARG)) return List.of(value);
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(" ", -1));
    }

    /** Puts back the values of options 0..last after a failed apply (restoreBackupConfig). */
    private static void restore(Client c, ConfigOption[] options, String[] old, int last) {
        for (int j = 0; j <= last; j++) {
            try {
                options[j].parse(valueArgs(options[j], old[j]), false).apply();
            } catch (ConfigException e) {
                String shown = options[j].has(ConfigOption.SENSITIVE) ? "(redacted)" : old[j];
                c.engine.log.warning("Failed restoring failed CONFIG SET command. Error setting " + options[j].name()
                        + " to '" + shown + "': " + e.getMessage());
            }
        }
    }

    /** CONFIG RESETSTAT: zero the INFO counters (stats, commandstats, errorstats, connections). */
    static void resetstat(Client c, byte[][] argv, int argc) {
        c.engine.stats.reset();
        c.engine.clients.resetStats();
        List<CommandSpec> all = new ArrayList<>(c.engine.commands.all());
        for (CommandSpec cmd : all) {
            cmd.resetStats();
            for (CommandSpec sub : cmd.subcommands()) sub.resetStats();
        }
        c.reply.ok();
    }

    static void rewrite(Client c, byte[][] argv, int argc) {
        try {
            ConfigRewrite.rewrite(c.engine.config);
        } catch (ConfigException e) {
            if (c.engine.config.configFile != null) c.engine.log.warning("CONFIG REWRITE failed: " + e.getMessage());
            c.reply.error("ERR " + e.getMessage());
            return;
        }
        c.engine.log.notice("CONFIG REWRITE executed with success.");
        c.reply.ok();
    }

    static void help(Client c, byte[][] argv, int argc) {
        Help.reply(c, "config",
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.");
    }
}
