package io.ember.command;

import io.ember.Version;
import io.ember.client.Client;
import io.ember.tx.Transactions;
import io.ember.util.Bytes;
import io.ember.util.Numbers;

/** Connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH, SELECT. */
public final class ConnectionCommands {
    private ConnectionCommands() {}

    private static final byte[] PONG = Bytes.ascii("+PONG\r\n");
    private static final byte[] PONG_WORD = Bytes.ascii("pong");
    private static final byte[] RESET = Bytes.ascii("+RESET\r\n");

    static void register(CommandTable t) {
        t.add("ping", ConnectionCommands::ping);
        t.add("echo", ConnectionCommands::echo);
        t.add("quit", ConnectionCommands::quit);
        t.add("reset", ConnectionCommands::reset);
        t.add("hello", ConnectionCommands::hello);
        t.add("auth", ConnectionCommands::auth);
        t.add("select", ConnectionCommands::select);
    }

    static void ping(Client c, byte[][] argv, int argc) {
        if (argc > 2) {
            c.reply.error(Errors.wrongArgs(c.lastCommand));
            return;
        }
        if (c.inPubSubMode() && !c.reply.resp3()) { // a subscriber's PING: [pong, argument or ""]
            c.reply.arrayHeader(2);
            c.reply.bulk(PONG_WORD);
            c.reply.bulk(argc == 1 ? Bytes.EMPTY : argv[1]);
            return;
        }
        if (argc == 1) c.reply.raw(PONG);
        else c.reply.bulk(argv[1]);
    }

    static void echo(Client c, byte[][] argv, int argc) {
        c.reply.bulk(argv[1]);
    }

    static void quit(Client c, byte[][] argv, int argc) {
        c.reply.ok();
        c.closeAfterReply = true;
    }

    /** RESET: back to a fresh connection's state (clearClientConnectionState). */
    static void reset(Client c, byte[][] argv, int argc) {
        c.engine.detach(c);
        c.db = c.engine.db(0);
        c.reply.setProtocol(2);
        c.user = "default";
        c.authenticated = c.engine.config.requirepass.isEmpty();
        Transactions.discard(c);
        c.name = null;
        c.replyMode = Client.REPLY_ON;
        c.reply.setSuppressed(false);
        c.reply.raw(RESET);
    }

    /** HELLO [protover [AUTH username password] [SETNAME clientname]]. */
    static void hello(Client c, byte[][] argv, int argc) {
        long ver = 0;
        int next = 1;
        if (argc >= 2) {
            if (!Numbers.isLong(argv[1])) {
                c.reply.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            ver = Numbers.parseLong(argv[1]);
            next = 2;
            if (ver < 2 || ver > 3) {
                c.reply.error("NOPROTO unsupported protocol version");
                return;
            }
        }
        byte[] user = null, pass = null, setName = null;
        for (int j = next; j < argc; j++) {
            int more = argc - 1 - j;
            if (Bytes.eqIgnoreCase(argv[j], "auth") && more >= 2) {
                user = argv[j + 1];
                pass = argv[j + 2];
                j += 2;
            } else if (Bytes.eqIgnoreCase(argv[j], "setname") && more >= 1) {
                setName = argv[j + 1];
                String err = ClientNames.validate(setName);
                if (err != null) {
                    c.reply.error(err);
                    return;
                }
                j++;
            } else {
                c.reply.error("ERR Syntax error in HELLO option '" + Bytes.latin1(argv[j]) + "'");
                return;
            }
        }
        if (user != null && !authenticate(c, user, pass)) return;
        if (c.engine.dispatcher.authRequired(c)) {
            c.reply.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select "
                    + "the RESP protocol version at the same time");
            return;
        }
        if (setName != null) c.name = setName.length == 0 ? null : setName;
        if (ver != 0) c.reply.setProtocol((int) ver);
        c.reply.mapHeader(7);
        c.reply.bulk("server");
        c.reply.bulk("redis");
        c.reply.bulk("version");
        c.reply.bulk(Version.REDIS_VERSION);
        c.reply.bulk("proto");
        c.reply.integer(c.resp());
        c.reply.bulk("id");
        c.reply.integer(c.id);
        c.reply.bulk("mode");
        c.reply.bulk("standalone");
        c.reply.bulk("role");
        c.reply.bulk("master");
        c.reply.bulk("modules");
        c.reply.emptyArray();
    }

    /** AUTH [username] password, against the default user and requirepass. */
    static void auth(Client c, byte[][] argv, int argc) {
        if (argc > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (argc == 2 && c.engine.config.requirepass.isEmpty()) {
            c.reply.error("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
            return;
        }
        byte[] user = argc == 3 ? argv[1] : Bytes.ascii("default");
        byte[] pass = argc == 3 ? argv[2] : argv[1];
        if (authenticate(c, user, pass)) c.reply.ok();
    }

    /** Checks credentials; on failure replies WRONGPASS and returns false. */
    private static boolean authenticate(Client c, byte[] user, byte[] pass) {
        String required = c.engine.config.requirepass;
        boolean ok = Bytes.latin1(user).equals("default")
                && (required.isEmpty() || java.security.MessageDigest.isEqual(Bytes.latin1(pass).getBytes(
                        java.nio.charset.StandardCharsets.ISO_8859_1), required.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        if (!ok) {
            c.reply.error("WRONGPASS invalid username-password pair or user is disabled.");
            return false;
        }
        c.authenticated = true;
        c.user = "default";
        return true;
    }

    static void select(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[1])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long id = Numbers.parseLong(argv[1]);
        if (id < 0 || id >= c.engine.dbCount()) {
            c.reply.error(Errors.DB_OUT_OF_RANGE);
            return;
        }
        c.db = c.engine.db((int) id);
        c.reply.ok();
    }
}
