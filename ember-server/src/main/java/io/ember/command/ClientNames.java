package io.ember.command;

/** Client name rules shared by CLIENT SETNAME and HELLO SETNAME. */
final class ClientNames {
    private ClientNames() {}

    /** Null when valid; otherwise the error reply (no spaces or newlines, printable ASCII only). */
    static String validate(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                return "ERR Client names cannot contain spaces, newlines or special characters.";
            }
        }
        return null;
    }
}
