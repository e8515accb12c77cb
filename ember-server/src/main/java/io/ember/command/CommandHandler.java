package io.ember.command;

import io.ember.client.Client;

/**
 * A command's implementation. {@code argv[0]} is the command name; arity was already checked
 * against the command's metadata. Replies go through {@code c.reply}.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client c, byte[][] argv, int argc);
}
