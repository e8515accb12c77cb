package io.ember.command;

import io.ember.client.Client;
import io.ember.type.StreamGroup;
import io.ember.type.StreamGroup.Consumer;
import io.ember.type.StreamGroup.Nack;
import io.ember.type.StreamId;
import io.ember.type.StreamValue;
import io.ember.util.Bytes;
import java.util.Map;

/**
 * XINFO STREAM [FULL [COUNT n]] | GROUPS | CONSUMERS (t_stream.c xinfoCommand, 7.0 fields).
 * "radix-tree-nodes" describes Redis's rax, which Ember does not have: it reports an estimate
 * (one inner node per listpack node plus the root), so only that field may differ from Redis.
 */
final class StreamInfoCommand {
    private StreamInfoCommand() {}

    static void register(CommandTable t) {
        t.addSub("xinfo", "stream", StreamInfoCommand::stream);
        t.addSub("xinfo", "groups", StreamInfoCommand::groups);
        t.addSub("xinfo", "consumers", StreamInfoCommand::consumers);
        t.addSub("xinfo", "help", (c, argv, argc) -> Help.reply(c, argv[0], java.util.List.of(
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream.")));
    }

    private static StreamValue streamOrReply(Client c, byte[] key) {
        int ref = c.db.lookupRead(key);
        if (ref == 0) {
            c.reply.error(Errors.NO_SUCH_KEY);
            return null;
        }
        return StreamCommands.streamOrWrongType(c, c.db, ref);
    }

    static void consumers(Client c, byte[][] argv, int argc) {
        StreamValue s = streamOrReply(c, argv[2]);
        if (s == null) return;
        StreamGroup g = s.groups.get(argv[3]);
        if (g == null) {
            c.reply.error("NOGROUP No such consumer group '" + Bytes.latin1(argv[3]) + "' for key name '"
                    + Bytes.latin1(argv[2]) + "'");
            return;
        }
        long now = c.engine.nowMs();
        c.reply.arrayHeader(g.consumers.size());
        for (Consumer con : g.consumers.values()) {
            c.reply.mapHeader(3);
            c.reply.bulk("name");
            c.reply.bulk(con.name);
            c.reply.bulk("pending");
            c.reply.integer(con.pel.size());
            c.reply.bulk("idle");
            c.reply.integer(Math.max(0, now - con.seenTime));
        }
    }

    static void groups(Client c, byte[][] argv, int argc) {
        StreamValue s = streamOrReply(c, argv[2]);
        if (s == null) return;
        c.reply.arrayHeader(s.groups.size());
        for (Map.Entry<byte[], StreamGroup> e : s.groups.entrySet()) {
            StreamGroup g = e.getValue();
            c.reply.mapHeader(6);
            c.reply.bulk("name");
            c.reply.bulk(e.getKey());
            c.reply.bulk("consumers");
            c.reply.integer(g.consumers.size());
            c.reply.bulk("pending");
            c.reply.integer(g.pel.size());
            c.reply.bulk("last-delivered-id");
            StreamCommands.replyId(c, g.lastId);
            c.reply.bulk("entries-read");
            replyNullable(c, g.entriesRead);
            c.reply.bulk("lag");
            replyNullable(c, s.lag(g));
        }
    }

    private static void replyNullable(Client c, long v) {
        if (v == -1) c.reply.nullBulk();
        else c.reply.integer(v);
    }

    static void stream(Client c, byte[][] argv, int argc) {
        StreamValue s = streamOrReply(c, argv[2]);
        if (s == null) return;
        boolean full = argc > 3;
        long count = 10;
        if (full) {
            if ((argc != 4 && argc != 6) || !Bytes.eqIgnoreCase(argv[3], "full")
                    || (argc == 6 && !Bytes.eqIgnoreCase(argv[4], "count"))) {
                Help.subcommandSyntaxError(c, argv);
                return;
            }
            if (argc == 6) {
                long[] num = new long[1];
                if (!Args.longOrReply(c, argv[5], null, num)) return;
                count = num[0] < 0 ? 10 : num[0];
            }
        }
        c.reply.mapHeader(full ? 9 : 10);
        c.reply.bulk("length");
        c.reply.integer(s.length());
        c.reply.bulk("radix-tree-keys");
        c.reply.integer(s.nodes.size());
        c.reply.bulk("radix-tree-nodes");
        c.reply.integer(s.nodes.size() + 1);
        c.reply.bulk("last-generated-id");
        StreamCommands.replyId(c, s.lastId);
        c.reply.bulk("max-deleted-entry-id");
        StreamCommands.replyId(c, s.maxDeletedId);
        c.reply.bulk("entries-added");
        c.reply.integer(s.entriesAdded);
        c.reply.bulk("recorded-first-entry-id");
        StreamCommands.replyId(c, s.firstId());
        if (!full) {
            c.reply.bulk("groups");
            c.reply.integer(s.groups.size());
            c.reply.bulk("first-entry");
            replyEdge(c, s, true);
            c.reply.bulk("last-entry");
            replyEdge(c, s, false);
            return;
        }
        c.reply.bulk("entries");
        StreamCommands.replyRange(c, s, StreamId.MIN, StreamId.MAX, count, false);
        c.reply.bulk("groups");
        c.reply.arrayHeader(s.groups.size());
        long now = c.engine.nowMs();
        for (Map.Entry<byte[], StreamGroup> e : s.groups.entrySet()) {
            StreamGroup g = e.getValue();
            c.reply.mapHeader(7);
            c.reply.bulk("name");
            c.reply.bulk(e.getKey());
            c.reply.bulk("last-delivered-id");
            StreamCommands.replyId(c, g.lastId);
            c.reply.bulk("entries-read");
            replyNullable(c, g.entriesRead);
            c.reply.bulk("lag");
            replyNullable(c, s.lag(g));
            c.reply.bulk("pel-count");
            c.reply.integer(g.pel.size());
            c.reply.bulk("pending");
            replyPending(c, g.pel, count, true);
            c.reply.bulk("consumers");
            c.reply.arrayHeader(g.consumers.size());
            for (Consumer con : g.consumers.values()) {
                c.reply.mapHeader(4);
                c.reply.bulk("name");
                c.reply.bulk(con.name);
                c.reply.bulk("seen-time");
                c.reply.integer(con.seenTime);
                c.reply.bulk("pel-count");
                c.reply.integer(con.pel.size());
                c.reply.bulk("pending");
                replyPending(c, con.pel, count, false);
            }
        }
    }

    /** The first {@code count} (0: all) entries of a PEL: [id, (consumer,) delivery time, count]. */
    private static void replyPending(Client c, Map<StreamId, Nack> pel, long count, boolean withConsumer) {
        long n = count == 0 ? pel.size() : Math.min(count, pel.size());
        c.reply.arrayHeader(n);
        long i = 0;
        for (Map.Entry<StreamId, Nack> p : pel.entrySet()) {
            if (i++ == n) break;
            c.reply.arrayHeader(withConsumer ? 4 : 3);
            StreamCommands.replyId(c, p.getKey());
            if (withConsumer) c.reply.bulk(p.getValue().consumer.name);
            c.reply.integer(p.getValue().deliveryTime);
            c.reply.integer(p.getValue().deliveryCount);
        }
    }

    private static void replyEdge(Client c, StreamValue s, boolean first) {
        if (s.length() == 0) {
            c.reply.nullBulk();
            return;
        }
        StreamValue.Cursor e = s.range(StreamId.MIN, StreamId.MAX, !first);
        if (e.next()) StreamCommands.replyEntry(c, e);
        else c.reply.nullBulk();
    }
}
