package io.ember.command;

/** Error replies shared by many commands, worded exactly as Redis 7.0 words them. */
public final class Errors {
    private Errors() {}

    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";

    public static String wrongArgs(CommandSpec cmd) {
        return "ERR wrong number of arguments for '" + cmd.fullName + "' command";
    }

    public static String invalidExpire(String commandName) {
        return "ERR invalid expire time in '" + commandName + "' command";
    }
}
