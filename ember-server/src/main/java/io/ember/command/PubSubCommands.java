package io.ember.command;

import io.ember.client.Client;
import io.ember.pubsub.PubSub;
import io.ember.pubsub.Subscriptions;
import io.ember.util.Bytes;
import java.util.Arrays;
import java.util.List;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH
 * and PUBSUB (Redis's pubsub.c). The registry is {@link PubSub}; the RESP2 subscriber context
 * (which commands a subscribed client may run) is checked by the {@link Dispatcher}.
 *
 * <p>Each (un)subscription is confirmed by its own [kind, channel, count] reply — a push in
 * RESP3 — where count is the client's channels plus patterns (shard channels for the S forms).
 */
final class PubSubCommands {
    private PubSubCommands() {}

    private static final byte[] SUBSCRIBE = Bytes.ascii("subscribe");
    private static final byte[] UNSUBSCRIBE = Bytes.ascii("unsubscribe");
    private static final byte[] PSUBSCRIBE = Bytes.ascii("psubscribe");
    private static final byte[] PUNSUBSCRIBE = Bytes.ascii("punsubscribe");
    private static final byte[] SSUBSCRIBE = Bytes.ascii("ssubscribe");
    private static final byte[] SUNSUBSCRIBE = Bytes.ascii("sunsubscribe");

    static void register(CommandTable t) {
        t.add("subscribe", PubSubCommands::subscribe);
        t.add("unsubscribe", PubSubCommands::unsubscribe);
        t.add("psubscribe", PubSubCommands::psubscribe);
        t.add("punsubscribe", PubSubCommands::punsubscribe);
        t.add("ssubscribe", PubSubCommands::ssubscribe);
        t.add("sunsubscribe", PubSubCommands::sunsubscribe);
        t.add("publish", PubSubCommands::publish);
        t.add("spublish", PubSubCommands::spublish);
        t.addSub("pubsub", "channels", PubSubCommands::channels);
        t.addSub("pubsub", "shardchannels", PubSubCommands::shardChannels);
        t.addSub("pubsub", "numsub", PubSubCommands::numsub);
        t.addSub("pubsub", "shardnumsub", PubSubCommands::shardNumsub);
        t.addSub("pubsub", "numpat", PubSubCommands::numpat);
        t.addSub("pubsub", "help", PubSubCommands::help);
    }

    /**
     * An in-process (embedded) caller expects exactly one reply per command and has nowhere to
     * receive messages: refused with the error Redis gives its DENY_BLOCKING clients.
     */
    private static boolean refused(Client c, String name) {
        if (c.conn != null && !c.conn.embedded()) return false;
        c.reply.error("ERR " + name + " isn't allowed for a DENY BLOCKING client");
        return true;
    }

    private static void confirm(Client c, byte[] kind, byte[] channel, long count) {
        c.reply.pushHeader(3);
        c.reply.bulk(kind);
        if (channel == null) c.reply.nullBulk();
        else c.reply.bulk(channel);
        c.reply.integer(count);
    }

    /** The three kinds of subscription: they differ only in their registry, reply words and count. */
    private enum Kind {
        CHANNEL(SUBSCRIBE, UNSUBSCRIBE), PATTERN(PSUBSCRIBE, PUNSUBSCRIBE), SHARD(SSUBSCRIBE, SUNSUBSCRIBE);

        final byte[] subscribed, unsubscribed;

        Kind(byte[] subscribed, byte[] unsubscribed) {
            this.subscribed = subscribed;
            this.unsubscribed = unsubscribed;
        }

        void add(PubSub ps, Client c, byte[] name) {
            switch (this) {
                case CHANNEL -> ps.channels.subscribe(c, name);
                case PATTERN -> ps.psubscribe(c, name);
                case SHARD -> ps.shardChannels.subscribe(c, name);
            }
        }

        void remove(PubSub ps, Client c, byte[] name) {
            switch (this) {
                case CHANNEL -> ps.channels.unsubscribe(c, name);
                case PATTERN -> ps.punsubscribe(c, name);
                case SHARD -> ps.shardChannels.unsubscribe(c, name);
            }
        }

        List<byte[]> all(PubSub ps, Client c) {
            return switch (this) {
                case CHANNEL -> ps.channels.subscribedBy(c);
                case PATTERN -> ps.patternsOf(c);
                case SHARD -> ps.shardChannels.subscribedBy(c);
            };
        }

        /** The count in the confirmations: channels + patterns, or shard channels. */
        int count(Client c) {
            Subscriptions s = c.subscriptionsOrNull();
            if (s == null) return 0;
            return this == SHARD ? s.shardCount() : s.count();
        }
    }

    static void subscribe(Client c, byte[][] argv, int argc) {
        subscribe(Kind.CHANNEL, "SUBSCRIBE", c, argv, argc);
    }

    static void psubscribe(Client c, byte[][] argv, int argc) {
        subscribe(Kind.PATTERN, "PSUBSCRIBE", c, argv, argc);
    }

    static void ssubscribe(Client c, byte[][] argv, int argc) {
        subscribe(Kind.SHARD, "SSUBSCRIBE", c, argv, argc);
    }

    static void unsubscribe(Client c, byte[][] argv, int argc) {
        unsubscribe(Kind.CHANNEL, c, argv, argc);
    }

    static void punsubscribe(Client c, byte[][] argv, int argc) {
        unsubscribe(Kind.PATTERN, c, argv, argc);
    }

    static void sunsubscribe(Client c, byte[][] argv, int argc) {
        unsubscribe(Kind.SHARD, c, argv, argc);
    }

    private static void subscribe(Kind kind, String command, Client c, byte[][] argv, int argc) {
        if (refused(c, command)) return;
        PubSub ps = c.engine.pubsub;
        for (int j = 1; j < argc; j++) {
            kind.add(ps, c, argv[j]);
            confirm(c, kind.subscribed, argv[j], kind.count(c));
        }
        c.subscriptions().pubsubMode = true;
    }

    /** The named subscriptions, or all of this kind; with none at all, one reply with a null name. */
    private static void unsubscribe(Kind kind, Client c, byte[][] argv, int argc) {
        PubSub ps = c.engine.pubsub;
        List<byte[]> which = argc > 1 ? Arrays.asList(argv).subList(1, argc) : kind.all(ps, c);
        if (which.isEmpty()) confirm(c, kind.unsubscribed, null, kind.count(c));
        for (byte[] name : which) {
            kind.remove(ps, c, name);
            confirm(c, kind.unsubscribed, name, kind.count(c));
        }
        leaveModeIf(c);
    }

    private static void leaveModeIf(Client c) {
        Subscriptions s = c.subscriptionsOrNull();
        if (s != null && s.count() + s.shardCount() == 0) s.pubsubMode = false;
    }

    static void publish(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.engine.pubsub.publish(argv[1], argv[2]));
    }

    static void spublish(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.engine.pubsub.publishShard(argv[1], argv[2]));
    }

    static void channels(Client c, byte[][] argv, int argc) {
        listChannels(c, c.engine.pubsub.channels, argv, argc);
    }

    static void shardChannels(Client c, byte[][] argv, int argc) {
        listChannels(c, c.engine.pubsub.shardChannels, argv, argc);
    }

    /** PUBSUB CHANNELS|SHARDCHANNELS [pattern]: at most one pattern (arity -2 allows more). */
    private static void listChannels(Client c, PubSub.Channels which, byte[][] argv, int argc) {
        if (argc > 3) {
            Help.subcommandSyntaxError(c, argv);
            return;
        }
        c.reply.bulkArray(which.matching(argc == 3 ? argv[2] : null));
    }

    static void numsub(Client c, byte[][] argv, int argc) {
        countSubscribers(c, c.engine.pubsub.channels, argv, argc);
    }

    static void shardNumsub(Client c, byte[][] argv, int argc) {
        countSubscribers(c, c.engine.pubsub.shardChannels, argv, argc);
    }

    /** [channel, subscribers, ...] as a flat array (a map in neither protocol, as in Redis 7.0). */
    private static void countSubscribers(Client c, PubSub.Channels which, byte[][] argv, int argc) {
        c.reply.arrayHeader((argc - 2) * 2L);
        for (int j = 2; j < argc; j++) {
            c.reply.bulk(argv[j]);
            c.reply.integer(which.subscriberCount(argv[j]));
        }
    }

    static void numpat(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.engine.pubsub.patternCount());
    }

    static void help(Client c, byte[][] argv, int argc) {
        Help.reply(c, argv[0], List.of(
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)"));
    }
}
