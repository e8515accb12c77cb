package io.ember.command;

import io.ember.client.Client;
import io.ember.tracking.ClientTracking;
import io.ember.tracking.Tracking;
import io.ember.util.Bytes;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT TRACKING, CLIENT CACHING, CLIENT GETREDIR and CLIENT TRACKINGINFO: the client side of
 * server-assisted caching ({@link Tracking}). Option checks and their error texts follow Redis
 * 7.0's clientCommand, in its order.
 */
final class TrackingCommands {
    private TrackingCommands() {}

    static void register(CommandTable t) {
        t.addSub("client", "tracking", TrackingCommands::tracking);
        t.addSub("client", "caching", TrackingCommands::caching);
        t.addSub("client", "getredir", TrackingCommands::getredir);
        t.addSub("client", "trackinginfo", TrackingCommands::trackinginfo);
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]. */
    static void tracking(Client c, byte[][] argv, int argc) {
        long redirect = 0;
        boolean bcast = false, optin = false, optout = false, noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < argc; j++) {
            boolean more = j < argc - 1;
            if (Bytes.eqIgnoreCase(argv[j], "redirect") && more) {
                j++;
                if (redirect != 0) {
                    c.reply.error("ERR A client can only redirect to a single other client");
                    return;
                }
                long[] id = new long[1];
                if (!Args.longOrReply(c, argv[j], null, id)) return;
                redirect = id[0];
                if (c.engine.clients.get(redirect) == null) {
                    c.reply.error("ERR The client ID you want redirect to does not exist");
                    return;
                }
            } else if (Bytes.eqIgnoreCase(argv[j], "bcast")) {
                bcast = true;
            } else if (Bytes.eqIgnoreCase(argv[j], "optin")) {
                optin = true;
            } else if (Bytes.eqIgnoreCase(argv[j], "optout")) {
                optout = true;
            } else if (Bytes.eqIgnoreCase(argv[j], "noloop")) {
                noloop = true;
            } else if (Bytes.eqIgnoreCase(argv[j], "prefix") && more) {
                prefixes.add(argv[++j]);
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        ClientTracking now = c.tracking;
        if (Bytes.eqIgnoreCase(argv[2], "on")) {
            String err = null;
            if (!bcast && !prefixes.isEmpty()) {
                err = "ERR PREFIX option requires BCAST mode to be enabled";
            } else if (now != null && now.bcast != bcast) {
                err = "ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                        + "and then re-enabling it with a different mode.";
            } else if (bcast && (optin || optout)) {
                err = "ERR OPTIN and OPTOUT are not compatible with BCAST";
            } else if (optin && optout) {
                err = "ERR You can't specify both OPTIN mode and OPTOUT mode";
            } else if (now != null && ((optin && now.optout) || (optout && now.optin))) {
                err = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                        + "and then re-enabling it with a different mode.";
            } else if (bcast) {
                err = Tracking.prefixCollision(c, prefixes);
            }
            if (err != null) {
                c.reply.error(err);
                return;
            }
            c.engine.tracking.enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (Bytes.eqIgnoreCase(argv[2], "off")) {
            c.engine.tracking.disable(c);
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        c.reply.ok();
    }

    /** CLIENT CACHING YES|NO: the next command's reads are (OPTIN) or are not (OPTOUT) tracked. */
    static void caching(Client c, byte[][] argv, int argc) {
        ClientTracking t = c.tracking;
        if (t == null) {
            c.reply.error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
                    + "OPTOUT mode enabled");
            return;
        }
        if (Bytes.eqIgnoreCase(argv[2], "yes")) {
            if (!t.optin) {
                c.reply.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
                return;
            }
        } else if (Bytes.eqIgnoreCase(argv[2], "no")) {
            if (!t.optout) {
                c.reply.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
                return;
            }
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        t.caching = true;
        c.reply.ok();
    }

    /** The redirect client ID, 0 when tracking without one, -1 when not tracking. */
    static void getredir(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.tracking == null ? -1 : c.tracking.redirect);
    }

    static void trackinginfo(Client c, byte[][] argv, int argc) {
        ClientTracking t = c.tracking;
        List<String> flags = new ArrayList<>();
        flags.add(t == null ? "off" : "on");
        if (t != null) {
            if (t.bcast) flags.add("bcast");
            if (t.optin) {
                flags.add("optin");
                if (t.caching) flags.add("caching-yes");
            }
            if (t.optout) {
                flags.add("optout");
                if (t.caching) flags.add("caching-no");
            }
            if (t.noloop) flags.add("noloop");
            if (t.brokenRedirect) flags.add("broken_redirect");
        }
        c.reply.mapHeader(3);
        c.reply.bulk("flags");
        c.reply.setHeader(flags.size());
        for (String f : flags) c.reply.bulk(f);
        c.reply.bulk("redirect");
        c.reply.integer(t == null ? -1 : t.redirect);
        c.reply.bulk("prefixes");
        c.reply.bulkArray(t == null ? List.of() : t.prefixes());
    }
}
