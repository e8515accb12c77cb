package io.ember.command;

/** Placeholder so the registration list compiles; the family is being written. */
final class DebugCommand {
    private DebugCommand() {}

    static void register(CommandTable t) {
    }
}
