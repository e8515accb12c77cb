package io.ember;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.resp.RespValue;
import io.ember.testing.RawConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every collection family, SORT and strings on one small keyspace, against redis-server: a key
 * is a list one moment and a hash the next, so every command meets every other type (WRONGTYPE),
 * empty collections disappear, STORE variants overwrite other types, and SORT's BY/GET patterns
 * land on keys of any type. Thresholds are lowered and raised during the run so encodings convert.
 * A quarter of the commands go through a RESP3 connection; some are queued in MULTI/EXEC.
 *
 * <p>Replies whose order comes from a hash table are compared as multisets (sets) or pair sets
 * (hashes). Commands that pick at random are used only with counts that take everything
 * (SPOP/SRANDMEMBER/HRANDFIELD/ZRANDMEMBER k 1000), where the reply is determined.
 * The per-family differential tests cover random picks and each option in depth.
 */
class CollectionsMixedDifferentialTest {
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5"};
    private static final String[] MEMBERS = {"0", "1", "2", "3", "5", "10", "-3", "a", "b", "c", "xy", "1.5"};
    private static final String[] SCORES = {"0", "1", "-1", "2.5", "inf", "-inf", "3", "1e3", "(1", "-0"};
    private static final String[] LEX = {"-", "+", "[a", "(b", "[1", "(5"};
    private static final int OPS = 30_000;

    private Differential d;
    /** A connection to redis-server for looking at the data without counting as a compared command. */
    private RawConnection inspect;
    private int resp3;
    private Random rnd;
    private boolean inMulti;

    @Test
    void thirtyThousandMixedOperationsMatchRedis() {
        rnd = new Random(0xC011EC7L);
        try (Differential diff = new Differential(); RawConnection ins = diff.redis().raw()) {
            d = diff;
            inspect = ins;
            resp3 = d.newConnection();
            d.on(resp3, Mode.TYPE_ONLY, "HELLO", "3"); // the client id differs
            inMulti = false;
            int wrongType = 0;
            List<String> queued = new ArrayList<>();
            for (int i = 0; i < OPS && d.divergences().size() < 20; i++) {
                if (i % 2500 == 0) thresholds(i / 2500);
                int conn = inMulti || rnd.nextInt(4) > 0 ? 0 : resp3;
                if (!inMulti && rnd.nextInt(400) == 0) {
                    d.check("MULTI");
                    inMulti = true;
                    continue;
                }
                if (inMulti && rnd.nextInt(6) == 0) {
                    int before = d.divergences().size();
                    d.check(rnd.nextInt(8) == 0 ? "DISCARD" : "EXEC");
                    if (d.divergences().size() > before) d.divergences().add("  queued: " + queued);
                    queued.clear();
                    inMulti = false;
                    continue;
                }
                String[] cmd = command();
                Mode mode = mode(cmd);
                // EXEC nests replies: only commands with a determined order are queued.
                if (inMulti && mode != Mode.EXACT) continue;
                if (inMulti) queued.add(String.join(" ", cmd));
                byte[] reply = d.on(conn, mode, cmd);
                if (reply.length > 10 && reply[0] == '-' && reply[1] == 'W') wrongType++;
                if (i % 500 == 0 && !inMulti) d.check("DEBUG", "DIGEST");
                if (i % 50 == 0 && !inMulti) d.check(Mode.UNORDERED, "KEYS", "*");
            }
            if (inMulti) d.check("EXEC");
            d.check("DEBUG", "DIGEST");
            for (String k : KEYS) d.check("DEBUG", "DIGEST-VALUE", k);
            d.assertNoDivergence();
            assertTrue(wrongType > OPS / 20, "the mix meets WRONGTYPE often: " + wrongType);
        }
    }

    /** Small thresholds in odd rounds, defaults in even ones (existing values keep their encoding, as in Redis). */
    private void thresholds(int round) {
        boolean small = round % 2 == 1;
        d.check("CONFIG", "SET", "hash-max-listpack-entries", small ? "3" : "128");
        d.check("CONFIG", "SET", "hash-max-listpack-value", small ? "2" : "64");
        d.check("CONFIG", "SET", "set-max-intset-entries", small ? "3" : "512");
        d.check("CONFIG", "SET", "zset-max-listpack-entries", small ? "3" : "128");
        d.check("CONFIG", "SET", "zset-max-listpack-value", small ? "2" : "64");
        d.check("CONFIG", "SET", "list-max-listpack-size", small ? "2" : "-2");
    }

    private static Mode mode(String[] cmd) {
        return switch (cmd[0]) {
            case "SMEMBERS", "SINTER", "SUNION", "SDIFF", "HKEYS", "HVALS", "SPOP", "SRANDMEMBER" -> Mode.UNORDERED;
            case "HGETALL" -> Mode.PAIRS;
            case "HRANDFIELD" -> cmd.length > 3 ? Mode.PAIRS : Mode.UNORDERED;
            case "ZRANDMEMBER" -> Mode.PAIRS;
            case "SSCAN", "HSCAN", "ZSCAN" -> Mode.SCAN;
            case "SORT", "SORT_RO" -> List.of(cmd).contains("nosort") && !List.of(cmd).contains("STORE")
                    ? Mode.UNORDERED : Mode.EXACT;
            default -> Mode.EXACT;
        };
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String member() {
        return MEMBERS[rnd.nextInt(MEMBERS.length)];
    }

    private String score() {
        return SCORES[rnd.nextInt(SCORES.length)];
    }

    private String lex() {
        return LEX[rnd.nextInt(LEX.length)];
    }

    private String index() {
        return Integer.toString(rnd.nextInt(13) - 6);
    }

    private String[] cmd(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof String[] many) out.addAll(List.of(many));
            else out.add((String) p);
        }
        return out.toArray(String[]::new);
    }

    private String[] members(int max) {
        String[] m = new String[1 + rnd.nextInt(max)];
        for (int i = 0; i < m.length; i++) m[i] = member();
        return m;
    }

    private String[] keys(int max) {
        String[] k = new String[1 + rnd.nextInt(max)];
        for (int i = 0; i < k.length; i++) k[i] = key();
        return k;
    }

    private String[] command() {
        return switch (rnd.nextInt(7)) {
            case 0 -> list();
            case 1 -> hash();
            case 2 -> set();
            case 3, 4 -> zset();
            case 5 -> rnd.nextInt(3) == 0 ? sort() : string();
            default -> generic();
        };
    }

    private String[] string() {
        String k = key();
        return switch (rnd.nextInt(5)) {
            case 0 -> cmd("SET", k, member());
            case 1 -> cmd("GET", k);
            case 2 -> cmd("APPEND", k, member());
            case 3 -> cmd("INCR", k);
            default -> cmd("STRLEN", k);
        };
    }

    private String[] generic() {
        String k = key();
        return switch (rnd.nextInt(9)) {
            case 0 -> cmd("DEL", keys(2));
            case 1 -> cmd("TYPE", k);
            case 2 -> cmd("OBJECT", "ENCODING", k);
            case 3 -> cmd("EXISTS", keys(3));
            case 4 -> cmd("RENAME", k, key());
            case 5 -> cmd("COPY", k, key(), "REPLACE");
            case 6 -> cmd("DEBUG", "DIGEST-VALUE", k);
            case 7 -> cmd("UNLINK", k);
            default -> cmd("OBJECT", "ENCODING", k);
        };
    }

    private String[] list() {
        String k = key();
        String end = rnd.nextBoolean() ? "LEFT" : "RIGHT";
        return switch (rnd.nextInt(24)) {
            case 0, 1, 2 -> cmd("LPUSH", k, members(4));
            case 3, 4 -> cmd("RPUSH", k, members(4));
            case 5 -> cmd(rnd.nextBoolean() ? "LPUSHX" : "RPUSHX", k, members(2));
            case 6 -> cmd("LPOP", k);
            case 7 -> cmd("RPOP", k, Integer.toString(rnd.nextInt(4)));
            case 8, 9 -> cmd("LRANGE", k, index(), index());
            case 10 -> cmd("LINDEX", k, index());
            case 11 -> cmd("LSET", k, index(), member());
            case 12 -> cmd("LINSERT", k, rnd.nextBoolean() ? "BEFORE" : "AFTER", member(), member());
            case 13 -> cmd("LLEN", k);
            case 14 -> cmd("LREM", k, Integer.toString(rnd.nextInt(5) - 2), member());
            case 15 -> cmd("LTRIM", k, index(), index());
            case 16 -> cmd("LPOS", k, member(), "RANK", rnd.nextBoolean() ? "1" : "-1", "COUNT", Integer.toString(rnd.nextInt(3)));
            case 17 -> cmd("LMOVE", k, key(), end, rnd.nextBoolean() ? "LEFT" : "RIGHT");
            case 18 -> cmd("RPOPLPUSH", k, key());
            case 19 -> cmd("LMPOP", "2", k, key(), end, "COUNT", Integer.toString(1 + rnd.nextInt(3)));
            case 20 -> rnd.nextInt(8) == 0 ? cmd("BLPOP", k, key(), "0.01") : cmd("LLEN", k);
            case 21 -> rnd.nextInt(8) == 0 ? cmd("BLMOVE", k, key(), end, "RIGHT", "0.01") : cmd("LINDEX", k, "0");
            case 22 -> rnd.nextInt(8) == 0 ? cmd("BLMPOP", "0.01", "1", k, end) : cmd("LRANGE", k, "0", "-1");
            default -> rnd.nextInt(8) == 0 ? cmd("BRPOPLPUSH", k, key(), "0.01") : cmd("LRANGE", k, "0", "-1");
        };
    }

    private String[] hash() {
        String k = key();
        String f = member();
        return switch (rnd.nextInt(18)) {
            case 0, 1, 2 -> cmd("HSET", k, f, member(), member(), member());
            case 3 -> cmd("HSETNX", k, f, member());
            case 4 -> cmd("HMSET", k, f, "v-" + member());
            case 5 -> cmd("HGET", k, f);
            case 6 -> cmd("HMGET", k, members(3));
            case 7 -> cmd("HDEL", k, members(3));
            case 8 -> cmd("HLEN", k);
            case 9 -> cmd("HSTRLEN", k, f);
            case 10 -> cmd("HEXISTS", k, f);
            case 11 -> cmd(rnd.nextBoolean() ? "HKEYS" : "HVALS", k);
            case 12 -> cmd("HGETALL", k);
            case 13 -> cmd("HINCRBY", k, f, index());
            case 14 -> cmd("HINCRBYFLOAT", k, f, "0.5");
            case 15 -> cmd("HSCAN", k, "0", "COUNT", "1000");
            case 16 -> rnd.nextBoolean() ? cmd("HRANDFIELD", k, "1000", "WITHVALUES") : cmd("HRANDFIELD", k, "1000");
            default -> cmd("HGETALL", k);
        };
    }

    private String[] set() {
        String k = key();
        return switch (rnd.nextInt(20)) {
            case 0, 1, 2 -> cmd("SADD", k, members(4));
            case 3, 4 -> cmd("SREM", k, members(3));
            case 5 -> cmd("SMEMBERS", k);
            case 6 -> cmd("SISMEMBER", k, member());
            case 7 -> cmd("SMISMEMBER", k, members(3));
            case 8 -> cmd("SCARD", k);
            case 9 -> cmd("SMOVE", k, key(), member());
            case 10 -> cmd("SINTER", keys(3));
            case 11 -> cmd("SINTERCARD", "2", k, key(), "LIMIT", Integer.toString(rnd.nextInt(3)));
            case 12 -> cmd("SINTERSTORE", key(), keys(3));
            case 13 -> cmd("SUNION", keys(3));
            case 14 -> cmd("SUNIONSTORE", key(), keys(3));
            case 15 -> cmd("SDIFF", keys(3));
            case 16 -> cmd("SDIFFSTORE", key(), keys(3));
            case 17 -> cmd("SSCAN", k, "0", "COUNT", "1000");
            case 18 -> cmd(rnd.nextBoolean() ? "SPOP" : "SRANDMEMBER", k, "1000");
            default -> cmd("SMEMBERS", k);
        };
    }

    private String[] zset() {
        String k = key();
        return switch (rnd.nextInt(30)) {
            case 0, 1, 2 -> cmd("ZADD", k, score().replace("(", ""), member(), "1", member());
            case 3 -> cmd("ZADD", k, new String[] {"NX", "XX", "GT", "LT", "CH"}[rnd.nextInt(5)], index(), member());
            case 4 -> cmd("ZADD", k, "INCR", index(), member());
            case 5 -> cmd("ZINCRBY", k, score().replace("(", ""), member());
            case 6 -> cmd("ZREM", k, members(3));
            case 7 -> cmd("ZCARD", k);
            case 8 -> cmd("ZCOUNT", k, score(), score());
            case 9 -> lexDefined(k) ? cmd("ZLEXCOUNT", k, lex(), lex()) : cmd("ZCARD", k);
            case 10 -> cmd("ZSCORE", k, member());
            case 11 -> cmd("ZMSCORE", k, members(3));
            case 12 -> cmd(rnd.nextBoolean() ? "ZRANK" : "ZREVRANK", k, member());
            case 13 -> cmd("ZRANGE", k, index(), index(), "WITHSCORES");
            case 14 -> cmd("ZRANGE", k, score(), score(), "BYSCORE", "LIMIT", "0", Integer.toString(rnd.nextInt(4) - 1));
            case 15 -> lexDefined(k) ? cmd("ZRANGE", k, lex(), lex(), "BYLEX", "REV") : cmd("ZCARD", k);
            case 16 -> cmd("ZRANGESTORE", key(), k, index(), index());
            case 17 -> cmd("ZREVRANGEBYSCORE", k, score(), score(), "WITHSCORES");
            case 18 -> lexDefined(k) ? cmd("ZRANGEBYLEX", k, lex(), lex()) : cmd("ZCARD", k);
            case 19 -> cmd("ZREMRANGEBYRANK", k, index(), index());
            case 20 -> cmd("ZREMRANGEBYSCORE", k, score(), score());
            case 21 -> lexDefined(k) ? cmd("ZREMRANGEBYLEX", k, lex(), lex()) : cmd("ZCARD", k);
            case 22 -> cmd(rnd.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", k, Integer.toString(1 + rnd.nextInt(2)));
            case 23 -> cmd("ZMPOP", "2", k, key(), rnd.nextBoolean() ? "MIN" : "MAX", "COUNT", "2");
            case 24 -> rnd.nextInt(8) == 0 ? cmd("BZPOPMIN", k, "0.01") : cmd("ZCARD", k);
            case 25 -> rnd.nextInt(8) == 0 ? cmd("BZMPOP", "0.01", "1", k, "MAX") : cmd("ZRANGE", k, "0", "-1");
            case 26 -> cmd(new String[] {"ZUNION", "ZINTER", "ZDIFF"}[rnd.nextInt(3)], "2", k, key(), "WITHSCORES");
            case 27 -> cmd(new String[] {"ZUNIONSTORE", "ZINTERSTORE"}[rnd.nextInt(2)], key(), "2", k, key(),
                    "WEIGHTS", "2", "-1", "AGGREGATE", new String[] {"SUM", "MIN", "MAX"}[rnd.nextInt(3)]);
            case 28 -> cmd("ZINTERCARD", "2", k, key());
            default -> rnd.nextBoolean() ? cmd("ZRANDMEMBER", k, "1000", "WITHSCORES") : cmd("ZSCAN", k, "0", "COUNT", "1000");
        };
    }

    /**
     * Lex ranges are defined only when every member has the same score. On a skiplist with
     * several scores Redis's answer depends on its nodes' random levels (a listpack is scanned
     * in order, so it stays determined): such keys get another command.
     */
    private boolean lexDefined(String key) {
        // Inside MULTI the queued commands may change the set first (SORT makes a skiplist, ZADD
        // adds scores): only what runs at once can be checked.
        if (inMulti) return false;
        if (!inspect.callValue("TYPE", key).toString().equals("zset")) return true; // WRONGTYPE or missing
        if (inspect.callValue("OBJECT", "ENCODING", key).toString().equals("listpack")) return true;
        RespValue all = inspect.callValue("ZRANGE", key, "0", "-1", "WITHSCORES");
        java.util.Set<String> scores = new java.util.HashSet<>();
        List<RespValue> items = ((RespValue.Array) all).items();
        for (int i = 1; i < items.size(); i += 2) scores.add(items.get(i).toString());
        return scores.size() <= 1;
    }

    /**
     * SORT over whatever the key holds; BY and GET patterns resolve to keys of every type.
     * ALPHA with BY leaves ties in the order elements were loaded, which for a set or sorted set
     * is its hash table's order in Redis: that variant is used on lists only.
     */
    private String[] sort() {
        String key = key();
        boolean list = inspect.callValue("TYPE", key).toString().equals("list");
        List<String> c = new ArrayList<>(List.of(rnd.nextInt(4) == 0 ? "SORT_RO" : "SORT", key));
        switch (rnd.nextInt(4)) {
            case 0 -> c.add("ALPHA");
            case 1 -> c.addAll(list ? List.of("BY", "k*", "ALPHA") : List.of("BY", "k*"));
            case 2 -> c.addAll(List.of("BY", "k*->a"));
            default -> { }
        }
        if (rnd.nextBoolean()) c.add("DESC");
        if (rnd.nextInt(3) == 0) c.addAll(List.of("LIMIT", Integer.toString(rnd.nextInt(3)), Integer.toString(rnd.nextInt(4) - 1)));
        if (rnd.nextInt(3) == 0) c.addAll(List.of("GET", "#", "GET", "k*", "GET", "k*->a"));
        if (c.get(0).equals("SORT") && rnd.nextInt(3) == 0) c.addAll(List.of("STORE", key()));
        return c.toArray(String[]::new);
    }
}
