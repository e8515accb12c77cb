package io.ember.command;

import io.ember.resp.RespValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command (or subcommand) as the table knows it: Redis's metadata (arity, flags, key
 * positions, ACL categories, key specs, docs), the handler, and its INFO commandstats counters.
 */
public final class CommandSpec {
    // Flag bits, named as COMMAND INFO names them.
    public static final int WRITE = 1, READONLY = 1 << 1, DENYOOM = 1 << 2, ADMIN = 1 << 3, PUBSUB = 1 << 4,
            NOSCRIPT = 1 << 5, BLOCKING = 1 << 6, LOADING = 1 << 7, STALE = 1 << 8, SKIP_MONITOR = 1 << 9,
            SKIP_SLOWLOG = 1 << 10, ASKING = 1 << 11, FAST = 1 << 12, NO_AUTH = 1 << 13, MAY_REPLICATE = 1 << 14,
            NO_MULTI = 1 << 15, MOVABLE_KEYS = 1 << 16, ALLOW_BUSY = 1 << 17, NO_ASYNC_LOADING = 1 << 18;

    public final String name;
    /** "get", or "config|get" for a subcommand. */
    public final String fullName;
    public final int arity;
    public final int flags;
    public final int firstKey, lastKey, keyStep;
    public final CommandHandler handler;
    /** COMMAND INFO entry as Redis 7.0 reports it (subcommands filled in by the table). */
    RespValue.Array info;
    /** COMMAND DOCS entry, or null. */
    RespValue.Map docs;
    final List<KeySpec> keySpecs;
    /** Subcommands by lower-case name; empty for plain commands. */
    final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    public final CommandSpec parent;
    /** Refused unless enable-debug-command allows it (Redis's CMD_PROTECTED: DEBUG). */
    public final boolean protectedCommand;

    // INFO commandstats
    public long calls, micros, rejectedCalls, failedCalls;

    CommandSpec(String fullName, CommandSpec parent, int arity, int flags, int firstKey, int lastKey, int keyStep,
                RespValue.Array info, List<KeySpec> keySpecs, CommandHandler handler) {
        this.fullName = fullName;
        this.name = fullName.substring(fullName.indexOf('|') + 1);
        this.parent = parent;
        this.arity = arity;
        this.flags = flags;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.info = info;
        this.keySpecs = keySpecs;
        this.handler = handler;
        this.protectedCommand = fullName.equals("debug");
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    public CommandSpec subcommand(String lowerName) {
        return subcommands.get(lowerName);
    }

    public Iterable<CommandSpec> subcommands() {
        return subcommands.values();
    }

    public boolean arityOk(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    public void resetStats() {
        calls = micros = rejectedCalls = failedCalls = 0;
    }

    static int flagBit(String name) {
        return switch (name) {
            case "write" -> WRITE;
            case "readonly" -> READONLY;
            case "denyoom" -> DENYOOM;
            case "admin" -> ADMIN;
            case "pubsub" -> PUBSUB;
            case "noscript" -> NOSCRIPT;
            case "blocking" -> BLOCKING;
            case "loading" -> LOADING;
            case "stale" -> STALE;
            case "skip_monitor" -> SKIP_MONITOR;
            case "skip_slowlog" -> SKIP_SLOWLOG;
            case "asking" -> ASKING;
            case "fast" -> FAST;
            case "no_auth" -> NO_AUTH;
            case "may_replicate" -> MAY_REPLICATE;
            case "no_multi" -> NO_MULTI;
            case "movablekeys" -> MOVABLE_KEYS;
            case "allow_busy" -> ALLOW_BUSY;
            case "no_async_loading" -> NO_ASYNC_LOADING;
            default -> 0;
        };
    }
}
