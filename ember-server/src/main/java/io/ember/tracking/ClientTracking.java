package io.ember.tracking;

import io.ember.util.ByteKey;
import java.util.ArrayList;
import java.util.List;

/** One client's CLIENT TRACKING settings (null on the client while tracking is off). */
public final class ClientTracking {
    /** Client ID invalidations are redirected to; 0 for none. */
    public final long redirect;
    public final boolean bcast, optin, optout, noloop;
    /** BCAST prefixes ("" = every key), in the order given. */
    final List<ByteKey> prefixes = new ArrayList<>();
    /** CLIENT CACHING yes (OPTIN) / no (OPTOUT) given for the next command. */
    public boolean caching;
    /** The redirect target has gone: invalidations can no longer be delivered. */
    public boolean brokenRedirect;

    ClientTracking(long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop) {
        this.redirect = redirect;
        this.bcast = bcast;
        this.optin = optin;
        this.optout = optout;
        this.noloop = noloop;
    }

    /** The prefixes, sorted as Redis's radix tree returns them (CLIENT TRACKINGINFO). */
    public List<byte[]> prefixes() {
        List<byte[]> out = new ArrayList<>();
        for (ByteKey k : prefixes) out.add(k.bytes());
        out.sort(java.util.Arrays::compareUnsigned);
        return out;
    }
}
