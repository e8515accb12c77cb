package io.ember.command;

import io.ember.resp.RespValue;
import io.ember.util.Bytes;
import io.ember.util.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * A key specification from Redis's command metadata: where the key arguments begin (an index,
 * or after a keyword) and how many follow (a range, or a count argument). COMMAND GETKEYS,
 * and later cluster slot checks, find keys through these.
 */
final class KeySpec {
    final List<String> flags;
    /** The flags as {@link CommandKeys} bits (RO, RW, access, not_key, incomplete...). */
    final int flagBits;
    private final int index;          // begin_search index, or -1
    private final String keyword;     // begin_search keyword, or null
    private final int startFrom;
    private final boolean keynum;     // find_keys type
    private final int lastKey, keyStep, limit;           // range
    private final int keyNumIdx, firstKey;                // keynum
    private final boolean unknown;

    private KeySpec(RespValue.Map m) {
        List<String> f = new ArrayList<>();
        if (m.get("flags") instanceof RespValue.Array a) for (RespValue v : a.items()) f.add(v.toString());
        this.flags = f;
        this.flagBits = CommandKeys.flagBits(f);
        RespValue.Map bs = (RespValue.Map) m.get("begin_search");
        RespValue.Map fk = (RespValue.Map) m.get("find_keys");
        String bsType = bs.get("type").toString();
        RespValue.Map bsSpec = (RespValue.Map) bs.get("spec");
        String fkType = fk.get("type").toString();
        RespValue.Map fkSpec = (RespValue.Map) fk.get("spec");
        unknown = !(bsType.equals("index") || bsType.equals("keyword")) || !(fkType.equals("range") || fkType.equals("keynum"));
        index = bsType.equals("index") ? num(bsSpec, "index") : -1;
        keyword = bsType.equals("keyword") ? bsSpec.get("keyword").toString() : null;
        startFrom = bsType.equals("keyword") ? num(bsSpec, "startfrom") : 0;
        keynum = fkType.equals("keynum");
        lastKey = fkType.equals("range") ? num(fkSpec, "lastkey") : 0;
        keyStep = fkSpec == null ? 1 : num(fkSpec, "keystep");
        limit = fkType.equals("range") ? num(fkSpec, "limit") : 0;
        keyNumIdx = keynum ? num(fkSpec, "keynumidx") : 0;
        firstKey = keynum ? num(fkSpec, "firstkey") : 0;
    }

    private static int num(RespValue.Map m, String k) {
        RespValue v = m == null ? null : m.get(k);
        return v instanceof RespValue.Int i ? (int) i.value() : 0;
    }

    static List<KeySpec> parse(RespValue specs) {
        List<KeySpec> out = new ArrayList<>();
        if (specs instanceof RespValue.Array a) {
            for (RespValue v : a.items()) out.add(new KeySpec((RespValue.Map) v));
        }
        return out;
    }

    /**
     * Adds the positions of this spec's keys to {@code out} (getKeysUsingKeySpecs). Returns false
     * when the arguments do not fit the spec (an invalid command line), or when the spec cannot
     * tell all keys by itself (unknown or incomplete: the command's own key finder must decide).
     * Specs of things that are not keys (shard channels) are skipped.
     */
    boolean positions(CommandSpec cmd, byte[][] argv, int argc, List<int[]> out, int specIndex) {
        if ((flagBits & CommandKeys.NOT_KEY) != 0) return true;
        if (unknown) return false;
        int first = 0;
        if (index >= 0) {
            first = index;
        } else {
            int start = startFrom > 0 ? startFrom : argc + startFrom;
            int end = startFrom > 0 ? argc - 1 : 0;
            for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                if (i >= argc || i < 1) break;
                if (Bytes.latin1(argv[i]).equalsIgnoreCase(keyword)) {
                    first = i + 1;
                    break;
                }
            }
            if (first == 0) return true; // keyword absent: no keys from this spec
        }
        int last, step;
        if (!keynum) {
            if (lastKey >= 0) last = first + lastKey;
            else if (limit == 0) last = argc + lastKey;
            else last = first + ((argc - first) / limit + lastKey);
            step = keyStep;
        } else {
            if (keyNumIdx >= argc || first + keyNumIdx >= argc) return false;
            byte[] n = argv[first + keyNumIdx];
            if (!Numbers.isLong(n)) return false;
            long numKeys = Numbers.parseLong(n);
            if (numKeys < 0) return false;
            first += firstKey;
            last = first + (int) numKeys - 1;
            step = keyStep;
        }
        if (last >= argc || last < first || first >= argc) return false;
        for (int i = first; i <= last; i += step) {
            if (i >= argc || i < first) continue;
            out.add(new int[] {i, specIndex});
        }
        return (flagBits & CommandKeys.INCOMPLETE) == 0;
    }
}
