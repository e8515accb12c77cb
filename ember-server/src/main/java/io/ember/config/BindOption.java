package io.ember.config;

import java.util.List;

/**
 * "bind addr [addr ...]": the addresses to listen on; a leading '-' marks an address as optional
 * (no error if it cannot be bound, e.g. ::1 without IPv6). At most 16 addresses, as Redis. A
 * single empty argument means no address. Changing it at runtime rebinds the listeners; if that
 * fails the old addresses stay in use.
 */
final class BindOption extends ConfigOption {
    private static final int MAX_ADDRESSES = 16;
    private final ServerConfig config;

    BindOption(ServerConfig config) {
        super("bind", List.of(), MULTI_ARG);
        this.config = config;
    }

    @Override
    public String get() {
        return String.join(" ", config.bind);
    }

    @Override
    public String defaultValue() {
        return ServerConfig.DEFAULT_BIND;
    }

    @Override
    public Applier parse(List<String> args, boolean startup) throws ConfigException {
        if (args.size() > MAX_ADDRESSES) throw new ConfigException("Too many bind addresses specified.");
        List<String> addrs = args.size() == 1 && args.get(0).isEmpty() ? List.of() : List.copyOf(args);
        if (addrs.equals(config.bind)) return Applier.NONE;
        return () -> {
            List<String> old = config.bind;
            config.bind = addrs;
            ServerConfig.ChangeHooks hooks = config.hooks();
            if (hooks == null) return;
            try {
                hooks.listenersChanged();
            } catch (ConfigException e) {
                config.bind = old;
                throw new ConfigException("Failed to bind to specified addresses.");
            }
        };
    }

    /** The default is not written at all (a restart gets it anyway); other values unquoted. */
    @Override
    public void rewrite(ConfigRewrite rw) {
        if (get().equals(defaultValue())) {
            rw.markProcessed(name());
            return;
        }
        rw.line(name(), name() + " " + (config.bind.isEmpty() ? "\"\"" : get()), true);
    }
}
