package io.ember.command;

/** Placeholder so the registration list compiles; the family is being written. */
final class IntrospectionCommands {
    private IntrospectionCommands() {}

    static void register(CommandTable t) {
    }
}
