package io.ember.command;

import io.ember.client.Client;
import io.ember.util.Bytes;

/** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: the work is in {@link io.ember.script.Scripting}. */
public final class ScriptCommands {
    private ScriptCommands() {}

    static void register(CommandTable t) {
        t.add("eval", (c, argv, argc) -> c.engine.scripting.eval(c, argv, argc, false, false));
        t.add("evalsha", (c, argv, argc) -> c.engine.scripting.eval(c, argv, argc, true, false));
        t.add("eval_ro", (c, argv, argc) -> c.engine.scripting.eval(c, argv, argc, false, true));
        t.add("evalsha_ro", (c, argv, argc) -> c.engine.scripting.eval(c, argv, argc, true, true));
        t.addSub("script", "load", ScriptCommands::load);
        t.addSub("script", "exists", ScriptCommands::exists);
        t.addSub("script", "flush", ScriptCommands::flush);
        t.addSub("script", "kill", (c, argv, argc) -> c.engine.scripting.kill(c, true));
        t.addSub("script", "help", ScriptCommands::help);
    }

    static void load(Client c, byte[][] argv, int argc) {
        c.engine.scripting.load(c, argv[2]);
    }

    static void exists(Client c, byte[][] argv, int argc) {
        c.reply.arrayHeader(argc - 2);
        for (int i = 2; i < argc; i++) c.reply.integer(c.engine.scripting.exists(argv[i]) ? 1 : 0);
    }

    /** SCRIPT FLUSH [ASYNC|SYNC]: both free at once (the Lua state is replaced). */
    static void flush(Client c, byte[][] argv, int argc) {
        if (argc > 3 || (argc == 3 && !Bytes.eqIgnoreCase(argv[2], "sync") && !Bytes.eqIgnoreCase(argv[2], "async"))) {
            c.reply.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            return;
        }
        c.engine.scripting.flush();
        c.reply.ok();
    }

    static void help(Client c, byte[][] argv, int argc) {
        Help.reply(c, "SCRIPT",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it. The script can be",
                "    loaded into cache at any time and only once.");
    }
}
