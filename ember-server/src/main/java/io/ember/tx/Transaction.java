package io.ember.tx;

import io.ember.command.CommandSpec;
import java.util.ArrayList;
import java.util.List;

/** The commands a client queued between MULTI and EXEC. */
public final class Transaction {
    public record Queued(CommandSpec command, byte[][] argv) {}

    public final List<Queued> commands = new ArrayList<>();
    /** A queued command was rejected (unknown, wrong arity...): EXEC must answer EXECABORT. */
    public boolean dirtyExec;
    /** Bytes of queued arguments, counted against client-query-buffer-limit as Redis does. */
    public long argvBytes;

    public void queue(CommandSpec cmd, byte[][] argv, int argc) {
        byte[][] copy = java.util.Arrays.copyOf(argv, argc);
        for (int i = 0; i < argc; i++) argvBytes += copy[i].length;
        commands.add(new Queued(cmd, copy));
    }
}
