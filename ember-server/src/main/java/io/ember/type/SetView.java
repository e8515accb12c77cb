package io.ember.type;

import java.util.function.Consumer;

/**
 * Read access to a set value (intset or hashtable encoded), for commands of other families that
 * take sets as input: ZUNIONSTORE/ZINTERSTORE/ZDIFF (members scored 1), SORT. Obtain it with
 * {@code SetValue.view(db.value(ref))} for a key of type SET: a hashtable-encoded set is a
 * {@link SetValue}, but an intset-encoded one is stored as its bare intset {@code byte[]} (no
 * wrapper object, to keep small sets as small as in Redis), so do not cast the value.
 */
public interface SetView {
    long size();

    boolean contains(byte[] member);

    /** Visits every member once, in the set's internal order; the arrays must not be modified. */
    void forEachMember(Consumer<byte[]> visitor);
}
