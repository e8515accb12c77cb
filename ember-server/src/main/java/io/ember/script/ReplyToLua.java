package io.ember.script;

import io.ember.resp.RespValue;
import party.iroiro.luajava.Lua;

/**
 * A command's reply as Lua values, by Redis's rules (redisProtocolToLuaType): integer → number,
 * bulk → string, status → {ok=...}, error → {err=...}, array → table, RESP2 null → false; with
 * redis.setresp(3) also map → {map={...}}, set → {set={k=true}}, null → nil, boolean, double →
 * {double=n}, big number → {big_number=s}, verbatim → {verbatim_string={format=, string=}}.
 */
final class ReplyToLua {
    private ReplyToLua() {}

    static void push(Lua L, LuaBytes bytes, RespValue v, boolean resp3) {
        switch (v) {
            case RespValue.Int i -> L.push((double) i.value());
            case RespValue.Bulk b -> bytes.push(L, b.value());
            case RespValue.Simple s -> field(L, bytes, "ok", s.value());
            case RespValue.Error e -> field(L, bytes, "err", e.message().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            case RespValue.Null n -> {
                if (resp3) L.pushNil();
                else L.push(false);
            }
            case RespValue.Bool b -> L.push(b.value());
            case RespValue.Double d -> {
                L.createTable(0, 1);
                L.push(d.value());
                L.setField(-2, "double");
            }
            case RespValue.BigNumber n -> field(L, bytes, "big_number", n.value().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            case RespValue.Verbatim vb -> {
                L.createTable(0, 1);
                L.createTable(0, 2);
                L.push(vb.format());
                L.setField(-2, "format");
                bytes.push(L, vb.value());
                L.setField(-2, "string");
                L.setField(-2, "verbatim_string");
            }
            case RespValue.Array a -> {
                if (a.kind() == RespValue.AggregateKind.SET) {
                    L.createTable(0, 1);
                    L.createTable(0, a.items().size());
                    for (RespValue item : a.items()) {
                        push(L, bytes, item, resp3);
                        L.push(true);
                        L.rawSet(-3);
                    }
                    L.setField(-2, "set");
                } else {
                    L.checkStack(4);
                    L.createTable(a.items().size(), 0);
                    int j = 1;
                    for (RespValue item : a.items()) {
                        push(L, bytes, item, resp3);
                        L.rawSetI(-2, j++);
                    }
                }
            }
            case RespValue.Map m -> {
                L.createTable(0, 1);
                L.createTable(0, m.flat().size() / 2);
                for (int i = 0; i + 1 < m.flat().size(); i += 2) {
                    push(L, bytes, m.flat().get(i), resp3);
                    push(L, bytes, m.flat().get(i + 1), resp3);
                    L.rawSet(-3);
                }
                L.setField(-2, "map");
            }
        }
    }

    private static void field(Lua L, LuaBytes bytes, String name, byte[] value) {
        L.createTable(0, 1);
        bytes.push(L, value);
        L.setField(-2, name);
    }
}
