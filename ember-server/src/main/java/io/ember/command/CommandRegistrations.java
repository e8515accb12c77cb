package io.ember.command;

/**
 * The list of command families. Each family's {@code register} method names its commands and
 * the method that implements each one, so from here any command is one hop from its code.
 */
final class CommandRegistrations {
    private CommandRegistrations() {}

    static void registerAll(CommandTable t) {
        ConnectionCommands.register(t);
        StringCommands.register(t);
        BitmapCommands.register(t);
        HyperLogLogCommands.register(t);
        SetCommands.register(t);
        TransactionCommands.register(t);
        KeyspaceCommands.register(t);
        SortCommand.register(t);
        ServerCommands.register(t);
        ConfigCommand.register(t);
        ClientCommands.register(t);
        IntrospectionCommands.register(t);
        DebugCommand.register(t);
        ListCommands.register(t);
        StreamCommands.register(t);
        HashCommands.register(t);
        SortedSetCommands.register(t);
        GeoCommands.register(t);
        PubSubCommands.register(t);
        TrackingCommands.register(t);
        MemoryCommand.register(t);
        PersistenceCommands.register(t);
        DumpCommand.register(t);
        RestoreCommand.register(t);
        ScriptCommands.register(t);
        FunctionCommands.register(t);
    }
}
