package io.ember.config;

import java.util.List;

/** "bind addr [addr ...]": addresses to listen on; a leading '-' marks an address as optional. */
final class BindOption extends ConfigOption {
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
        List<String> addrs = args.size() == 1 ? List.of(args.get(0).trim().split("\\s+")) : List.copyOf(args);
        if (addrs.isEmpty() || addrs.get(0).isEmpty()) throw new ConfigException("Too many bind addresses specified.");
        if (addrs.size() > 16) throw new ConfigException("Too many bind addresses specified.");
        return () -> {
            List<String> old = config.bind;
            config.bind = addrs;
            try {
                ServerConfig.ChangeHooks h = hooksOf();
                if (h != null) h.listenersChanged();
            } catch (ConfigException e) {
                config.bind = old;
                throw new ConfigException("Failed to bind to specified addresses.");
            }
        };
    }

    private ServerConfig.ChangeHooks hooksOf() {
        return config.hooks();
    }

    @Override
    public List<String> rewriteValues() {
        return List.of(get());
    }
}
