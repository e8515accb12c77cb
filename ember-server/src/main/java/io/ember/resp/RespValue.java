package io.ember.resp;

import io.ember.util.Bytes;
import java.util.List;

/**
 * A decoded RESP3 value. Used where a reply is data rather than a hot-path result: the command
 * metadata resource, the embedded client, replication handshakes.
 */
public sealed interface RespValue {

    record Simple(byte[] value) implements RespValue {
        @Override public String toString() { return Bytes.latin1(value); }
    }

    record Error(String message) implements RespValue {}

    record Int(long value) implements RespValue {}

    record Bulk(byte[] value) implements RespValue {
        @Override public String toString() { return Bytes.latin1(value); }
    }

    record Verbatim(String format, byte[] value) implements RespValue {}

    record Double(double value) implements RespValue {}

    record BigNumber(String value) implements RespValue {}

    record Bool(boolean value) implements RespValue {}

    /** RESP3 null, and the RESP2 null bulk / null array. */
    record Null() implements RespValue {}

    enum AggregateKind { ARRAY, SET, PUSH }

    record Array(AggregateKind kind, List<RespValue> items) implements RespValue {}

    /** A map as its flat key/value list: [k1, v1, k2, v2, ...]. */
    record Map(List<RespValue> flat) implements RespValue {
        public RespValue get(String key) {
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                if (flat.get(i).toString().equals(key)) return flat.get(i + 1);
            }
            return null;
        }
    }

    Null NULL = new Null();
}
