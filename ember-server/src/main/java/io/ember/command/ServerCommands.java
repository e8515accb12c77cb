package io.ember.command;

/** Placeholder so the registration list compiles; the family is being written. */
final class ServerCommands {
    private ServerCommands() {}

    static void register(CommandTable t) {
    }
}
