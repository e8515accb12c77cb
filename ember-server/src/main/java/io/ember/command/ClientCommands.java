package io.ember.command;

import io.ember.client.Client;
import io.ember.client.ClientInfo;
import io.ember.util.Bytes;
import io.ember.util.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT (ID, INFO, LIST, KILL, SETNAME, GETNAME, REPLY, NO-EVICT, HELP), MONITOR and WAIT, with
 * Redis 7.0's syntax and error texts (networking.c clientCommand, replication.c waitCommand).
 */
final class ClientCommands {
    private ClientCommands() {}

    static void register(CommandTable t) {
        t.addSub("client", "id", ClientCommands::id);
        t.addSub("client", "info", ClientCommands::info);
        t.addSub("client", "list", ClientCommands::list);
        t.addSub("client", "kill", ClientCommands::kill);
        t.addSub("client", "setname", ClientCommands::setName);
        t.addSub("client", "getname", ClientCommands::getName);
        t.addSub("client", "reply", ClientCommands::reply);
        t.addSub("client", "no-evict", ClientCommands::noEvict);
        t.addSub("client", "help", ClientCommands::help);
        t.add("monitor", ClientCommands::monitor);
        t.add("wait", ClientCommands::waitForReplicas);
    }

    static void id(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.id);
    }

    static void info(Client c, byte[][] argv, int argc) {
        c.reply.verbatim(ClientInfo.line(c, c.engine.nowMs(), argvBytes(argv, argc)) + "\n");
    }

    /** CLIENT LIST [TYPE type] | [ID id [id ...]]: the two filters exclude each other in 7.0. */
    static void list(Client c, byte[][] argv, int argc) {
        long now = c.engine.nowMs();
        long ownArgv = argvBytes(argv, argc);
        StringBuilder out = new StringBuilder();
        if (argc == 4 && Bytes.eqIgnoreCase(argv[2], "type")) {
            int type = ClientInfo.typeByName(Bytes.latin1(argv[3]));
            if (type < 0) {
                c.reply.error("ERR Unknown client type '" + Bytes.latin1(argv[3]) + "'");
                return;
            }
            for (Client other : c.engine.clients.all()) {
                if (ClientInfo.type(other) == type) appendLine(out, other, c, now, ownArgv);
            }
        } else if (argc > 3 && Bytes.eqIgnoreCase(argv[2], "id")) {
            for (int j = 3; j < argc; j++) {
                if (!Numbers.isLong(argv[j])) {
                    c.reply.error("ERR Invalid client ID");
                    return;
                }
                Client other = c.engine.clients.get(Numbers.parseLong(argv[j]));
                if (other != null) appendLine(out, other, c, now, ownArgv);
            }
        } else if (argc != 2) {
            c.reply.error(Errors.SYNTAX);
            return;
        } else {
            for (Client other : c.engine.clients.all()) appendLine(out, other, c, now, ownArgv);
        }
        c.reply.verbatim(out.toString());
    }

    private static void appendLine(StringBuilder out, Client other, Client self, long now, long ownArgv) {
        out.append(ClientInfo.line(other, now, other == self ? ownArgv : 0)).append('\n');
    }

    private static long argvBytes(byte[][] argv, int argc) {
        long n = 0;
        for (int i = 0; i < argc; i++) n += argv[i].length;
        return n;
    }

    /**
     * CLIENT KILL addr (old form: OK or "No such client", may kill the caller) or CLIENT KILL
     * with ID / TYPE / ADDR / LADDR / USER / SKIPME filters (count of killed clients). A caller
     * that kills itself gets its reply first, then is closed.
     */
    static void kill(Client c, byte[][] argv, int argc) {
        String addr = null, laddr = null, user = null;
        int type = -1;
        long id = 0;
        boolean skipMe = true;
        if (argc == 3) {
            addr = Bytes.latin1(argv[2]);
            skipMe = false;
        } else {
            for (int i = 2; i < argc; i += 2) {
                boolean more = argc > i + 1;
                if (more && Bytes.eqIgnoreCase(argv[i], "id")) {
                    if (!Numbers.isLong(argv[i + 1]) || Numbers.parseLong(argv[i + 1]) < 1) {
                        c.reply.error("ERR client-id should be greater than 0");
                        return;
                    }
                    id = Numbers.parseLong(argv[i + 1]);
                } else if (more && Bytes.eqIgnoreCase(argv[i], "type")) {
                    type = ClientInfo.typeByName(Bytes.latin1(argv[i + 1]));
                    if (type < 0) {
                        c.reply.error("ERR Unknown client type '" + Bytes.latin1(argv[i + 1]) + "'");
                        return;
                    }
                } else if (more && Bytes.eqIgnoreCase(argv[i], "addr")) {
                    addr = Bytes.latin1(argv[i + 1]);
                } else if (more && Bytes.eqIgnoreCase(argv[i], "laddr")) {
                    laddr = Bytes.latin1(argv[i + 1]);
                } else if (more && Bytes.eqIgnoreCase(argv[i], "user")) {
                    user = Bytes.latin1(argv[i + 1]);
                    // "default" is the only user until ACLs exist.
                    if (!user.equals("default")) {
                        c.reply.error("ERR No such user '" + user + "'");
                        return;
                    }
                } else if (more && Bytes.eqIgnoreCase(argv[i], "skipme")) {
                    if (Bytes.eqIgnoreCase(argv[i + 1], "yes")) {
                        skipMe = true;
                    } else if (Bytes.eqIgnoreCase(argv[i + 1], "no")) {
                        skipMe = false;
                    } else {
                        c.reply.error(Errors.SYNTAX);
                        return;
                    }
                } else {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
            }
        }
        long killed = 0;
        boolean closeSelf = false;
        for (Client other : new ArrayList<>(c.engine.clients.all())) {
            if (other.conn == null || other.conn.embedded()) continue;
            if (addr != null && !addr.equals(other.conn.peerAddress())) continue;
            if (laddr != null && !laddr.equals(other.conn.localAddress())) continue;
            if (type != -1 && ClientInfo.type(other) != type) continue;
            if (id != 0 && other.id != id) continue;
            if (user != null && !user.equals(other.user)) continue;
            if (other == c && skipMe) continue;
            if (other == c) closeSelf = true;
            else disconnect(other);
            killed++;
        }
        if (argc == 3) {
            if (killed == 0) c.reply.error("ERR No such client");
            else c.reply.ok();
        } else {
            c.reply.integer(killed);
        }
        if (closeSelf) c.closeAfterReply = true;
    }

    /** Closes another client's connection and forgets it at once, as freeClient does. */
    private static void disconnect(Client victim) {
        victim.conn.close();
        victim.engine.clients.remove(victim);
        victim.engine.detach(victim);
    }

    static void setName(Client c, byte[][] argv, int argc) {
        byte[] name = argv[2];
        String err = ClientNames.validate(name);
        if (err != null) {
            c.reply.error(err);
            return;
        }
        c.name = name.length == 0 ? null : name;
        c.reply.ok();
    }

    static void getName(Client c, byte[][] argv, int argc) {
        if (c.name == null) c.reply.nullBulk();
        else c.reply.bulk(c.name);
    }

    /**
     * CLIENT REPLY ON|OFF|SKIP. OFF and SKIP answer nothing. SKIP only marks the next command;
     * the dispatcher turns that mark into suppression for exactly one command (resetClient).
     */
    static void reply(Client c, byte[][] argv, int argc) {
        if (Bytes.eqIgnoreCase(argv[2], "on")) {
            c.replyMode = Client.REPLY_ON;
            c.reply.setSuppressed(false);
            c.reply.ok();
        } else if (Bytes.eqIgnoreCase(argv[2], "off")) {
            c.replyMode = Client.REPLY_OFF;
            c.reply.setSuppressed(true);
        } else if (Bytes.eqIgnoreCase(argv[2], "skip")) {
            if (c.replyMode != Client.REPLY_OFF) c.replyMode = Client.REPLY_SKIP_NEXT;
        } else {
            c.reply.error(Errors.SYNTAX);
        }
    }

    static void noEvict(Client c, byte[][] argv, int argc) {
        if (Bytes.eqIgnoreCase(argv[2], "on")) {
            c.noEvict = true;
        } else if (Bytes.eqIgnoreCase(argv[2], "off")) {
            c.noEvict = false;
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        c.reply.ok();
    }

    /** Redis 7.0's CLIENT HELP entries, each under the subcommand it documents. */
    private static final String[][] HELP = {
        {"caching", "CACHING (YES|NO)", "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes."},
        {"getredir", "GETREDIR", "    Return the client ID we are redirecting to when tracking is enabled."},
        {"getname", "GETNAME", "    Return the name of the current connection."},
        {"id", "ID", "    Return the ID of the current connection."},
        {"info", "INFO", "    Return information about the current client connection."},
        {"kill", "KILL <ip:port>", "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes)."},
        {"list", "LIST [options ...]", "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type."},
        {"unpause", "UNPAUSE", "    Stop the current client pause, resuming traffic."},
        {"pause", "PAUSE <timeout> [WRITE|ALL]", "    Suspend all, or just write, clients for <timeout> milliseconds."},
        {"reply", "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection."},
        {"setname", "SETNAME <name>", "    Assign the name <name> to the current connection."},
        {"unblock", "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock the specified blocked client."},
        {"tracking", "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]", "    Control server assisted client side caching."},
        {"trackinginfo", "TRACKINGINFO", "    Report tracking status for the current connection."},
        {"no-evict", "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction."},
    };

    /** Lists only the subcommands Ember implements, so the help never promises a missing one. */
    static void help(Client c, byte[][] argv, int argc) {
        CommandTable table = c.engine.commands;
        List<String> lines = new ArrayList<>();
        for (String[] entry : HELP) {
            if (table.lookupFullName("client|" + entry[0]) == null) continue;
            for (int i = 1; i < entry.length; i++) lines.add(entry[i]);
        }
        Help.reply(c, argv[0], lines);
    }

    /**
     * MONITOR: from now on the client receives every executed command (see Monitors.feed).
     * Refused inside EXEC (a transaction expects one reply per command); a second MONITOR
     * answers nothing, as in Redis.
     */
    static void monitor(Client c, byte[][] argv, int argc) {
        if (c.engine.dispatcher.callDepth() > 1) {
            c.reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
            return;
        }
        if (c.monitor) return;
        c.engine.monitors.add(c);
        c.reply.ok();
    }

    /**
     * WAIT numreplicas timeout. Ember has no replicas yet, so no write can be acknowledged: the
     * answer is 0. Redis would first block until the timeout when numreplicas > 0; Ember answers
     * at once (see docs/clients.md).
     */
    static void waitForReplicas(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[1])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (!Numbers.isLong(argv[2])) {
            c.reply.error("ERR timeout is not an integer or out of range");
            return;
        }
        if (Numbers.parseLong(argv[2]) < 0) {
            c.reply.error("ERR timeout is negative");
            return;
        }
        c.reply.integer(0);
    }
}
