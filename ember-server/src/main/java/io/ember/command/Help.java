package io.ember.command;

import io.ember.client.Client;

/** The reply of "CMD HELP" (addReplyHelp): a title line, the given lines, then HELP itself. */
final class Help {
    private Help() {}

    static void reply(Client c, String command, String... lines) {
        c.reply.arrayHeader(lines.length + 3);
        c.reply.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) c.reply.simple(line);
        c.reply.simple("HELP");
        c.reply.simple("    Prints this help.");
    }
}
