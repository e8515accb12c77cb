package io.ember.command;

/** Placeholder so the registration list compiles; the family is being written. */
final class ClientCommands {
    private ClientCommands() {}

    static void register(CommandTable t) {
    }
}
