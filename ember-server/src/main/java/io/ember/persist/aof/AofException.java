package io.ember.persist.aof;

import java.io.IOException;

/**
 * The AOF could not be loaded or opened at start-up; the message is the last line Redis logs
 * before exit(1) (the lines before it are already in the log). The server does not start.
 */
public final class AofException extends IOException {
    public AofException(String message) {
        super(message);
    }
}
