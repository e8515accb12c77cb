package io.ember.config;

import java.util.List;

/**
 * One configuration directive: how it parses, how CONFIG GET shows it and what applying it does.
 * Options are defined once in {@link ConfigOptions}; the config file loader, CONFIG GET/SET and
 * CONFIG REWRITE all go through this interface.
 */
public abstract class ConfigOption {
    /** Settable only from the config file or command line. */
    public static final int IMMUTABLE = 1;
    /** Settable at runtime only when enable-protected-configs allows it. */
    public static final int PROTECTED = 2;
    /** Repeated lines accumulate (save, bind are multi-value). */
    public static final int MULTI_ARG = 4;
    /** Not shown by CONFIG GET * patterns nor written by CONFIG REWRITE (aliases). */
    public static final int HIDDEN = 8;
    /** CONFIG GET masks nothing for these but REWRITE must quote; reserved for secrets. */
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
     * Validates {@code args} (the directive's arguments, one element for most options) and returns
     * an applier; nothing changes until the applier runs, so CONFIG SET of several pairs can
     * validate all of them first. {@code startup} is true while reading the config file.
     */
    public abstract Applier parse(List<String> args, boolean startup) throws ConfigException;

    /** Applies a validated value. May fail (a port that cannot be bound). */
    @FunctionalInterface
    public interface Applier {
        void apply() throws ConfigException;
    }

    /** The lines CONFIG REWRITE writes for the current value (one per line, without the name). */
    public List<String> rewriteValues() {
        return List.of(ConfigFile.quoteIfNeeded(get()));
    }
}
