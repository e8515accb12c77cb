package io.ember.config;

import io.ember.util.SplitArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * "dir": the working directory for data files. Redis chdir()s into it; a JVM cannot change its
 * working directory, so Ember keeps it in {@link ServerConfig#dir} and resolves data file names
 * against it. A relative value is relative to the current dir, as a chdir would be. Errors are
 * the strerror texts a failed chdir gives. Protected: CONFIG SET needs enable-protected-configs.
 */
final class DirOption extends ConfigOption {
    private final ServerConfig config;
    private final String startupDir;

    DirOption(ServerConfig config) {
        super("dir", List.of(), PROTECTED);
        this.config = config;
        this.startupDir = config.dir.toString();
    }

    @Override
    public String get() {
        return config.dir.toString();
    }

    @Override
    public String defaultValue() {
        return startupDir;
    }

    @Override
    public Applier parse(List<String> args, boolean startup) throws ConfigException {
        String arg = Options.one(args);
        Path p;
        try {
            p = config.dir.resolve(arg).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException("Invalid argument");
        }
        if (!Files.exists(p)) throw new ConfigException("No such file or directory");
        if (!Files.isDirectory(p)) throw new ConfigException("Not a directory");
        if (!Files.isExecutable(p)) throw new ConfigException("Permission denied");
        if (p.equals(config.dir)) return Applier.NONE;
        return () -> config.dir = p;
    }

    /** Redis always writes dir, as an absolute path. */
    @Override
    public void rewrite(ConfigRewrite rw) {
        rw.line(name(), name() + " " + SplitArgs.repr(get()), true);
    }
}
