package io.ember.command;

import io.ember.client.Client;
import io.ember.util.Bytes;
import java.util.List;
import java.util.Locale;

/** The HELP reply and the "unknown subcommand" error that Redis's container commands share. */
public final class Help {
    private Help() {}

    /**
     * addReplyHelp: a header naming the command as typed (upper-cased), the given lines, and the
     * HELP entry, each as a status reply in one array.
     */
    public static void reply(Client c, byte[] commandName, List<String> lines) {
        String cmd = Bytes.latin1(commandName).toUpperCase(Locale.ROOT);
        c.reply.arrayHeader(lines.size() + 3L);
        c.reply.simple(cmd + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) c.reply.simple(line);
        c.reply.simple("HELP");
        c.reply.simple("    Prints this help.");
    }

    /** The same, for callers that name the command themselves (CONFIG HELP). */
    public static void reply(Client c, String command, String... lines) {
        reply(c, Bytes.ascii(command), List.of(lines));
    }

    /** addReplySubcommandSyntaxError, for commands that parse their own subcommands (DEBUG). */
    static void subcommandSyntaxError(Client c, byte[][] argv) {
        byte[] sub = argv[1];
        int n = 0;
        while (n < sub.length && n < 128 && sub[n] != 0) n++;
        c.reply.error("ERR unknown subcommand or wrong number of arguments for '" + Bytes.latin1(sub, 0, n)
                + "'. Try " + Bytes.latin1(argv[0]).toUpperCase(Locale.ROOT) + " HELP.");
    }
}
