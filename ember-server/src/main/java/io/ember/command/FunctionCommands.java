package io.ember.command;

import io.ember.client.Client;
import io.ember.script.Functions;
import io.ember.util.Bytes;
import io.ember.util.Glob;

/**
 * FUNCTION LOAD | DELETE | FLUSH | LIST | STATS | DUMP | RESTORE | KILL | HELP, FCALL and FCALL_RO
 * (functions.c): argument parsing and replies; the libraries live in {@link Functions}.
 */
public final class FunctionCommands {
    private FunctionCommands() {}

    static void register(CommandTable t) {
        t.add("fcall", (c, argv, argc) -> c.engine.scripting.functions.fcall(c, argv, argc, false));
        t.add("fcall_ro", (c, argv, argc) -> c.engine.scripting.functions.fcall(c, argv, argc, true));
        // (Redis lists subcommands in its dict's order, which changes with every process: no order to match)
        t.addSub("function", "load", FunctionCommands::load);
        t.addSub("function", "list", FunctionCommands::list);
        t.addSub("function", "stats", (c, argv, argc) -> c.engine.scripting.functions.stats(c));
        t.addSub("function", "kill", (c, argv, argc) -> c.engine.scripting.kill(c, false));
        t.addSub("function", "dump", FunctionCommands::dump);
        t.addSub("function", "delete", FunctionCommands::delete);
        t.addSub("function", "restore", FunctionCommands::restore);
        t.addSub("function", "flush", FunctionCommands::flush);
        t.addSub("function", "help", FunctionCommands::help);
    }

    /** FUNCTION LOAD [REPLACE] code: the library name. Loading from disk has no time limit (mustObeyClient). */
    static void load(Client c, byte[][] argv, int argc) {
        boolean replace = false;
        int pos = 2;
        while (pos < argc - 1) {
            byte[] arg = argv[pos++];
            if (Bytes.eqIgnoreCase(arg, "replace")) {
                replace = true;
                continue;
            }
            c.reply.error("ERR Unknown option given: " + Bytes.latin1(arg));
            return;
        }
        long timeout = c.engine.persistence.loading != null ? 0 : Functions.LOAD_TIMEOUT_MS;
        try {
            String name = c.engine.scripting.functions.load(argv[pos], replace, timeout);
            c.engine.dirty++; // replicated and counted as a change, as Redis does
            c.reply.bulk(name);
        } catch (Functions.FunctionError e) {
            c.reply.error("ERR " + e.getMessage());
        }
    }

    static void delete(Client c, byte[][] argv, int argc) {
        if (!c.engine.scripting.functions.delete(argv[2])) {
            c.reply.error("ERR Library not found");
            return;
        }
        c.engine.dirty++;
        c.reply.ok();
    }

    /** FUNCTION FLUSH [ASYNC|SYNC]: both free at once (the Lua state is replaced). */
    static void flush(Client c, byte[][] argv, int argc) {
        if (argc > 3) {
            Help.subcommandSyntaxError(c, argv);
            return;
        }
        if (argc == 3 && !Bytes.eqIgnoreCase(argv[2], "sync") && !Bytes.eqIgnoreCase(argv[2], "async")) {
            c.reply.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
        c.engine.scripting.functions.flush();
        c.engine.dirty++;
        c.reply.ok();
    }

    /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] (functionListCommand). */
    static void list(Client c, byte[][] argv, int argc) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < argc; i++) {
            if (!withCode && Bytes.eqIgnoreCase(argv[i], "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && Bytes.eqIgnoreCase(argv[i], "libraryname")) {
                if (i >= argc - 1) {
                    c.reply.error("ERR library name argument was not given");
                    return;
                }
                pattern = argv[++i];
                continue;
            }
            c.reply.error("ERR Unknown argument " + Bytes.latin1(argv[i]));
            return;
        }
        int handle = c.reply.deferLength();
        long n = 0;
        for (Functions.Library li : c.engine.scripting.functions.libraries()) {
            if (pattern != null && !Glob.matches(pattern, li.name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), true)) continue;
            n++;
            c.reply.mapHeader(withCode ? 4 : 3);
            c.reply.bulk("library_name");
            c.reply.bulk(li.name);
            c.reply.bulk("engine");
            c.reply.bulk("LUA");
            c.reply.bulk("functions");
            c.reply.arrayHeader(li.functions.size());
            for (Functions.Function f : li.functions.values()) {
                c.reply.mapHeader(3);
                c.reply.bulk("name");
                c.reply.bulk(f.name());
                c.reply.bulk("description");
                if (f.description() == null) c.reply.nullBulk();
                else c.reply.bulk(f.description());
                c.reply.bulk("flags");
                java.util.List<String> flags = f.flagNames();
                c.reply.setHeader(flags.size());
                for (String flag : flags) c.reply.simple(flag);
            }
            if (withCode) {
                c.reply.bulk("library_code");
                c.reply.bulk(li.code);
            }
        }
        c.reply.setDeferredArray(handle, n);
    }

    static void dump(Client c, byte[][] argv, int argc) {
        c.reply.bulk(c.engine.scripting.functions.dump(c.engine.persistence.dumpOutput()));
    }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] (APPEND by default). */
    static void restore(Client c, byte[][] argv, int argc) {
        if (argc > 4) {
            Help.subcommandSyntaxError(c, argv);
            return;
        }
        Functions.RestorePolicy policy = Functions.RestorePolicy.APPEND;
        if (argc == 4) {
            if (Bytes.eqIgnoreCase(argv[3], "append")) policy = Functions.RestorePolicy.APPEND;
            else if (Bytes.eqIgnoreCase(argv[3], "replace")) policy = Functions.RestorePolicy.REPLACE;
            else if (Bytes.eqIgnoreCase(argv[3], "flush")) policy = Functions.RestorePolicy.FLUSH;
            else {
                c.reply.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        try {
            c.engine.scripting.functions.restore(argv[2], policy);
            c.engine.dirty++;
            c.reply.ok();
        } catch (Functions.FunctionError e) {
            c.reply.error("ERR " + e.getMessage());
        }
    }

    static void help(Client c, byte[][] argv, int argc) {
        Help.reply(c, "FUNCTION",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
                        + "RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).");
    }
}
