package io.ember.command;

/** Placeholder so the registration list compiles; the family is being written. */
final class ConfigCommand {
    private ConfigCommand() {}

    static void register(CommandTable t) {
    }
}
