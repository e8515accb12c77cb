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

    static void subscribe(Client c, byte[][] argv, int argc) {
        if (refused(c, "SUBSCRIBE")) return;
        PubSub ps = c.engine.pubsub;
        Subscriptions s = c.subscriptions();
        for (int j = 1; j < argc; j++) {
            ps.channels.subscribe(c, argv[j]);
            confirm(c, SUBSCRIBE, argv[j], s.count());
        }
        s.pubsubMode = true;
    }

    static void psubscribe(Client c, byte[][] argv, int argc) {
        if (refused(c, "PSUBSCRIBE")) return;
        PubSub ps = c.engine.pubsub;
        Subscriptions s = c.subscriptions();
        for (int j = 1; j < argc; j++) {
            ps.psubscribe(c, argv[j]);
            confirm(c, PSUBSCRIBE, argv[j], s.count());
        }
        s.pubsubMode = true;
    }

    static void ssubscribe(Client c, byte[][] argv, int argc) {
        if (refused(c, "SSUBSCRIBE")) return;
        PubSub ps = c.engine.pubsub;
        Subscriptions s = c.subscriptions();
        for (int j = 1; j < argc; j++) {
            ps.shardChannels.subscribe(c, argv[j]);
            confirm(c, SSUBSCRIBE, argv[j], s.shardCount());
        }
        s.pubsubMode = true;
    }

    static void unsubscribe(Client c, byte[][] argv, int argc) {
        PubSub ps = c.engine.pubsub;
        List<byte[]> which = argc > 1 ? Arrays.asList(argv).subList(1, argc) : ps.channels.subscribedBy(c);
        if (which.isEmpty()) { // subscribed to nothing: still one reply
            confirm(c, UNSUBSCRIBE, null, count(c));
        }
        for (byte[] ch : which) {
            ps.channels.unsubscribe(c, ch);
            confirm(c, UNSUBSCRIBE, ch, count(c));
        }
        leaveModeIf(c);
    }

    static void punsubscribe(Client c, byte[][] argv, int argc) {
        PubSub ps = c.engine.pubsub;
        List<byte[]> which = argc > 1 ? Arrays.asList(argv).subList(1, argc) : ps.patternsOf(c);
        if (which.isEmpty()) confirm(c, PUNSUBSCRIBE, null, count(c));
        for (byte[] p : which) {
            ps.punsubscribe(c, p);
            confirm(c, PUNSUBSCRIBE, p, count(c));
        }
        leaveModeIf(c);
    }

    static void sunsubscribe(Client c, byte[][] argv, int argc) {
        PubSub ps = c.engine.pubsub;
        List<byte[]> which = argc > 1 ? Arrays.asList(argv).subList(1, argc) : ps.shardChannels.subscribedBy(c);
        if (which.isEmpty()) confirm(c, SUNSUBSCRIBE, null, shardCount(c));
        for (byte[] ch : which) {
            ps.shardChannels.unsubscribe(c, ch);
            confirm(c, SUNSUBSCRIBE, ch, shardCount(c));
        }
        leaveModeIf(c);
    }

    private static int count(Client c) {
        Subscriptions s = c.subscriptionsOrNull();
        return s == null ? 0 : s.count();
    }

    private static int shardCount(Client c) {
        Subscriptions s = c.subscriptionsOrNull();
        return s == null ? 0 : s.shardCount();
    }

    /** The subscriber context ends when nothing at all is left, shard channels included (as 7.0.15). */
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
