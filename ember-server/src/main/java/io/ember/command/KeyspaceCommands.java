package io.ember.command;

/** Placeholder so the registration list compiles; the family is being written. */
final class KeyspaceCommands {
    private KeyspaceCommands() {}

    static void register(CommandTable t) {
    }
}
