package io.ember;

import io.ember.config.ConfigFile;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns redis-server style arguments ({@code --port 7000 --save 900 1 --save ""}) into config
 * lines read after the config file, as redis-server's main() does: every "--name" starts a line,
 * following words are its quoted arguments, and a bare "--save" means {@code save ""}.
 */
final class CommandLine {
    private CommandLine() {}

    static List<String> optionLines(List<String> args) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = null;
        boolean lastHasArg = true;
        for (int j = 0; j < args.size(); j++) {
            String a = args.get(j);
            if (lastHasArg && a.startsWith("--")) {
                if (cur != null) lines.add(cur.toString());
                cur = new StringBuilder(a.substring(2)).append(' ');
                if (a.substring(2).trim().contains(" ")) {
                    lastHasArg = true; // "--port 6380" given as one argument
                } else {
                    lastHasArg = false;
                    boolean nextIsOption = j + 1 < args.size() && args.get(j + 1).startsWith("--");
                    if (a.equalsIgnoreCase("--save") && (nextIsOption || j == args.size() - 1)) {
                        cur.append("\"\"");
                        lastHasArg = true;
                    }
                }
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(ConfigFile.quoteIfNeeded(a)).append(' ');
                lastHasArg = true;
            }
        }
        if (cur != null) lines.add(cur.toString());
        return lines;
    }
}
