package io.ember.command;

import io.ember.client.Client;
import io.ember.resp.RespValue;
import io.ember.util.Bytes;
import io.ember.util.Glob;
import java.util.Arrays;
import java.util.List;

/**
 * COMMAND and its subcommands (COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, HELP), answered
 * from the command table, which holds Redis 7.0's own metadata for every command Ember has
 * registered; unregistered commands and subcommands are absent, as if Redis did not have them.
 */
final class IntrospectionCommands {
    private IntrospectionCommands() {}

    static void register(CommandTable t) {
        t.add("command", IntrospectionCommands::all);
        t.addSub("command", "count", IntrospectionCommands::count);
        t.addSub("command", "info", IntrospectionCommands::info);
        t.addSub("command", "docs", IntrospectionCommands::docs);
        t.addSub("command", "list", IntrospectionCommands::list);
        t.addSub("command", "getkeys", IntrospectionCommands::getKeys);
        t.addSub("command", "getkeysandflags", IntrospectionCommands::getKeysAndFlags);
        t.addSub("command", "help", IntrospectionCommands::help);
    }

    /** COMMAND: the INFO entry of every command. */
    static void all(Client c, byte[][] argv, int argc) {
        CommandTable table = c.engine.commands;
        c.reply.arrayHeader(table.size());
        for (CommandSpec cmd : table.all()) c.reply.value(cmd.info);
    }

    static void count(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.engine.commands.size());
    }

    /** COMMAND INFO [name ...]: one entry per name, null for names Ember does not know. */
    static void info(Client c, byte[][] argv, int argc) {
        if (argc == 2) {
            all(c, argv, argc);
            return;
        }
        c.reply.arrayHeader(argc - 2L);
        for (int i = 2; i < argc; i++) {
            CommandSpec cmd = c.engine.commands.lookupFullName(Bytes.latin1(argv[i]));
            if (cmd == null) c.reply.nullBulk();
            else c.reply.value(cmd.info);
        }
    }

    /** COMMAND DOCS [name ...]: a map from full name to docs; unknown names are left out. */
    static void docs(Client c, byte[][] argv, int argc) {
        CommandTable table = c.engine.commands;
        if (argc == 2) {
            c.reply.mapHeader(table.size());
            for (CommandSpec cmd : table.all()) docsEntry(c, cmd);
            return;
        }
        int handle = c.reply.deferLength();
        int n = 0;
        for (int i = 2; i < argc; i++) {
            CommandSpec cmd = table.lookupFullName(Bytes.latin1(argv[i]));
            if (cmd == null) continue;
            docsEntry(c, cmd);
            n++;
        }
        c.reply.setDeferredMap(handle, n);
    }

    private static final RespValue.Map NO_DOCS = new RespValue.Map(List.of());

    private static void docsEntry(Client c, CommandSpec cmd) {
        c.reply.bulk(cmd.fullName);
        c.reply.value(cmd.docs == null ? NO_DOCS : cmd.docs);
    }

    /**
     * COMMAND LIST [FILTERBY MODULE m | ACLCAT c | PATTERN p]: full names of commands and their
     * subcommands. Ember has no modules, so a module filter matches nothing.
     */
    static void list(Client c, byte[][] argv, int argc) {
        int filter = 0; // 0 none, 1 module, 2 aclcat, 3 pattern
        byte[] arg = null;
        for (int i = 2; i < argc; i++) {
            int more = argc - 1 - i;
            if (!Bytes.eqIgnoreCase(argv[i], "filterby") || more != 2) {
                c.reply.error(Errors.SYNTAX);
                return;
            }
            byte[] type = argv[i + 1];
            if (Bytes.eqIgnoreCase(type, "module")) filter = 1;
            else if (Bytes.eqIgnoreCase(type, "aclcat")) filter = 2;
            else if (Bytes.eqIgnoreCase(type, "pattern")) filter = 3;
            else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
            arg = argv[i + 2];
            i += 2;
        }
        int handle = c.reply.deferLength();
        int n = 0;
        for (CommandSpec cmd : c.engine.commands.all()) {
            n += listEntry(c, cmd, filter, arg);
            for (CommandSpec sub : cmd.subcommands()) n += listEntry(c, sub, filter, arg);
        }
        c.reply.setDeferredArray(handle, n);
    }

    private static int listEntry(Client c, CommandSpec cmd, int filter, byte[] arg) {
        boolean keep = switch (filter) {
            case 0 -> true;
            case 1 -> false;
            case 2 -> hasAclCategory(cmd, Bytes.latin1(arg));
            default -> Glob.matches(arg, Bytes.ascii(cmd.fullName), true);
        };
        if (!keep) return 0;
        c.reply.bulk(cmd.fullName);
        return 1;
    }

    /** ACL categories are item 6 of the INFO entry, as "@name". */
    private static boolean hasAclCategory(CommandSpec cmd, String category) {
        for (RespValue v : ((RespValue.Array) cmd.info.items().get(6)).items()) {
            String s = v.toString();
            if (s.length() == category.length() + 1 && s.regionMatches(true, 1, category, 0, category.length())) {
                return true;
            }
        }
        return false;
    }

    static void getKeys(Client c, byte[][] argv, int argc) {
        keysOf(c, argv, argc, false);
    }

    static void getKeysAndFlags(Client c, byte[][] argv, int argc) {
        keysOf(c, argv, argc, true);
    }

    /** COMMAND GETKEYS[ANDFLAGS] command arg ...: the keys Redis would find in that command line. */
    private static void keysOf(Client c, byte[][] argv, int argc, boolean withFlags) {
        byte[][] line = Arrays.copyOfRange(argv, 2, argc);
        int n = argc - 2;
        CommandSpec cmd = c.engine.commands.lookup(line, n);
        if (cmd == null) {
            c.reply.error("ERR Invalid command specified");
            return;
        }
        if (!CommandKeys.hasKeys(cmd)) {
            c.reply.error("ERR The command has no key arguments");
            return;
        }
        if (!cmd.arityOk(n)) {
            c.reply.error("ERR Invalid number of arguments specified for command");
            return;
        }
        List<int[]> keys = CommandKeys.find(cmd, line, n);
        if (keys.isEmpty()) {
            if (noMandatoryKeys(cmd)) c.reply.emptyArray();
            else c.reply.error("ERR Invalid arguments specified for command");
            return;
        }
        c.reply.arrayHeader(keys.size());
        for (int[] k : keys) {
            if (withFlags) c.reply.arrayHeader(2);
            c.reply.bulk(line[k[0]]);
            if (withFlags) {
                List<String> flags = CommandKeys.flagNames(k[1]);
                c.reply.setHeader(flags.size());
                for (String f : flags) c.reply.simple(f);
            }
        }
    }

    /** The no_mandatory_keys command flag (EVAL and friends may name no key at all). */
    private static boolean noMandatoryKeys(CommandSpec cmd) {
        for (RespValue f : ((RespValue.Array) cmd.info.items().get(2)).items()) {
            if (f.toString().equals("no_mandatory_keys")) return true;
        }
        return false;
    }

    private static final List<String> HELP = List.of(
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.");

    static void help(Client c, byte[][] argv, int argc) {
        Help.reply(c, argv[0], HELP);
    }
}
