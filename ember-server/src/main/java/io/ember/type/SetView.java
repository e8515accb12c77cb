package io.ember.type;

import java.util.function.Consumer;

/**
 * Read access to a set value (intset or hashtable encoded), for commands of other families that
 * take sets as input: ZUNIONSTORE/ZINTERSTORE/ZDIFF (members scored 1), SORT. The set value
 * class implements it.
 */
public interface SetView {
    long size();

    boolean contains(byte[] member);

    /** Visits every member once, in the set's internal order; the arrays must not be modified. */
    void forEachMember(Consumer<byte[]> visitor);
}
