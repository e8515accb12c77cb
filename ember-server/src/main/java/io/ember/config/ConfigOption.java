package io.ember.config;

import java.util.List;

/**
 * One configuration directive: how it parses, how CONFIG GET shows it, what applying it does and
 * how CONFIG REWRITE writes it. Options are defined once in {@link ServerConfig}; the config file
 * loader, CONFIG GET/SET and CONFIG REWRITE all go through this class.
 */
public abstract class ConfigOption {
    /** Settable only from the config file or command line ("can't set immutable config"). */
    public static final int IMMUTABLE = 1;
    /** Settable at runtime only when enable-protected-configs allows it. */
    public static final int PROTECTED = 2;
    /** Takes several arguments: on a config line, or space-separated in one CONFIG SET value. */
    public static final int MULTI_ARG = 4;
    /** Not matched by CONFIG GET patterns, only by its exact name. */
    public static final int HIDDEN = 8;
    /** Holds a secret (requirepass): kept out of logs. */
    public static final int SENSITIVE = 16;

    private final String name;
    private final List<String> aliases;
    private final int flags;

    protected ConfigOption(String name, List<String> aliases, int flags) {
        this.name = name;
        this.aliases = aliases;
        this.flags = flags;
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Current value as CONFIG GET prints it. */
    public abstract String get();

    /** The built-in default, formatted as {@link #get()} would print it. */
    public abstract String defaultValue();

    /**
     * Validates {@code args} (the directive's arguments, exactly one for options without
     * {@link #MULTI_ARG}) and returns an applier; nothing changes until the applier runs, so
     * CONFIG SET of several pairs can validate all of them first. Returns {@link Applier#NONE}
     * when the value is already the current one (Redis then skips the option's side effects,
     * e.g. rebinding an unchanged port). {@code startup} is true while reading the config file.
     */
    public abstract Applier parse(List<String> args, boolean startup) throws ConfigException;

    /** Applies a validated value. May fail (a port that cannot be bound). */
    @FunctionalInterface
    public interface Applier {
        Applier NONE = () -> { };

        void apply() throws ConfigException;
    }

    /**
     * Writes this option for CONFIG REWRITE. The default is Redis's rule for plain options: one
     * line "name value", replacing the option's line in the file if it has one, appended only
     * when the value differs from the default otherwise.
     */
    public void rewrite(ConfigRewrite rw) {
        rw.line(name, name + " " + rewriteValue(), !get().equals(defaultValue()));
    }

    /** The value as written in a config file (memory sizes use units, strings are quoted). */
    protected String rewriteValue() {
        return get();
    }
}
