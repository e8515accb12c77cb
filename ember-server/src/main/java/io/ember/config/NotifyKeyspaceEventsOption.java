package io.ember.config;

import io.ember.pubsub.KeyspaceEvents;
import java.util.List;

/** notify-keyspace-events: a string of class letters, kept as bits and printed canonically. */
final class NotifyKeyspaceEventsOption extends ConfigOption {
    private final ServerConfig config;

    NotifyKeyspaceEventsOption(ServerConfig config) {
        super("notify-keyspace-events", List.of(), 0);
        this.config = config;
    }

    @Override
    public String get() {
        return KeyspaceEvents.format(config.notifyKeyspaceEvents);
    }

    @Override
    public String defaultValue() {
        return "";
    }

    @Override
    public Applier parse(List<String> args, boolean startup) throws ConfigException {
        if (args.size() != 1) throw new ConfigException("wrong number of arguments");
        int flags = KeyspaceEvents.parse(args.get(0));
        if (flags == -1) throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        return () -> config.notifyKeyspaceEvents = flags;
    }

    @Override
    protected String rewriteValue() {
        return io.ember.util.SplitArgs.repr(get());
    }
}
