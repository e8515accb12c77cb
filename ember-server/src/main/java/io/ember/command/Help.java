package io.ember.command;

import io.ember.client.Client;
import java.util.Locale;

/**
 * The reply of "CONTAINER HELP" (Redis's addReplyHelp): a first line naming the subcommands,
 * the given lines, and the standard HELP entry, all as simple strings.
 */
public final class Help {
    private Help() {}

    public static void reply(Client c, String command, String... lines) {
        String name = command.toUpperCase(Locale.ROOT);
        c.reply.arrayHeader(lines.length + 3);
        c.reply.simple(name + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) c.reply.simple(l);
        c.reply.simple("HELP");
        c.reply.simple("    Prints this help.");
    }
}
