package io.ember.config;

import java.util.ArrayList;
import java.util.List;

/**
 * "save <seconds> <changes> [<seconds> <changes> ...]": RDB snapshot points. Parsed and
 * formatted as Redis does: in the config file the first save line replaces the defaults and
 * later lines add points; {@code save ""} clears them; CONFIG SET replaces them all.
 *
 * <p>The built-in default is Redis's: {@code 3600 1 300 100 60 10000}. The engine's cron starts a
 * BGSAVE when one of the points is reached (persist.SavePoints).
 */
final class SaveOption extends ConfigOption {
    private final ServerConfig config;
    /** The first save line of a config file replaces the defaults, the next ones append. */
    private boolean loadedFromFile;

    SaveOption(ServerConfig config) {
        super("save", List.of(), MULTI_ARG);
        this.config = config;
    }

    @Override
    public String get() {
        StringBuilder sb = new StringBuilder();
        for (long[] p : config.saveParams) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(p[0]).append(' ').append(p[1]);
        }
        return sb.toString();
    }

    @Override
    public String defaultValue() {
        return "3600 1 300 100 60 10000";
    }

    @Override
    public Applier parse(List<String> args, boolean startup) throws ConfigException {
        boolean clear = args.size() == 1 && args.get(0).isEmpty();
        List<String> words = clear ? List.of() : args;
        if (words.size() % 2 != 0) throw new ConfigException("Invalid save parameters");
        List<long[]> points = new ArrayList<>();
        for (int j = 0; j < words.size(); j += 2) {
            Long seconds = strtoll(words.get(j));
            Long changes = strtoll(words.get(j + 1));
            if (seconds == null || changes == null || seconds < 1 || changes < 0) {
                throw new ConfigException("Invalid save parameters");
            }
            points.add(new long[] {seconds, changes});
        }
        List<long[]> result = new ArrayList<>();
        if (startup && loadedFromFile && !clear) result.addAll(config.saveParams);
        result.addAll(points);
        return () -> {
            if (startup) loadedFromFile = true;
            config.saveParams = List.copyOf(result);
        };
    }

    /** Redis always writes the save points, or {@code save ""} so a restart does not get defaults. */
    @Override
    public void rewrite(ConfigRewrite rw) {
        if (config.saveParams.isEmpty()) {
            rw.line(name(), "save \"\"", true);
        } else {
            for (long[] p : config.saveParams) rw.line(name(), "save " + p[0] + " " + p[1], true);
        }
        rw.markProcessed(name());
    }

    /** C's strtoll with a check that the whole string was consumed: blanks and a sign allowed. */
    private static Long strtoll(String s) {
        String t = s.stripLeading();
        int i = 0;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
        if (i == t.length()) return s.isEmpty() ? 0L : null;
        for (int k = i; k < t.length(); k++) {
            if (t.charAt(k) < '0' || t.charAt(k) > '9') return null;
        }
        try {
            return Long.parseLong(t.charAt(0) == '+' ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return t.charAt(0) == '-' ? Long.MIN_VALUE : Long.MAX_VALUE; // strtoll saturates
        }
    }
}
