package io.ember.resp;

/** Malformed request: the client gets {@code -ERR Protocol error: <reason>} and is disconnected. */
public final class ProtocolException extends Exception {
    public ProtocolException(String reason) {
        super(reason, null, false, false);
    }

    /** The error reply, as Redis words it. */
    public String replyMessage() {
        return "ERR Protocol error: " + getMessage();
    }
}
