package io.ember.testing;

import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare RESP connection for tests that need the exact bytes of a reply (differential tests,
 * protocol edge cases) or need to send malformed input.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawConnection(String host, int port) {
        try {
            socket = new Socket(host, port);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] encode(byte[]... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] a : args) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            b.writeBytes(a);
            b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.toByteArray();
    }

    public static byte[][] args(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return a;
    }

    /** Sends a command and returns the raw bytes of its reply. */
    public byte[] call(String... args) {
        return callBytes(args(args));
    }

    public byte[] callBytes(byte[]... args) {
        send(encode(args));
        return readReply();
    }

    public RespValue callValue(String... args) {
        byte[] r = call(args);
        return new RespReader(r).read();
    }

    public void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void send(String s) {
        send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads exactly one complete RESP value and returns its bytes. */
    public byte[] readReply() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            readValue(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readValue(ByteArrayOutputStream b) throws IOException {
        String line = readLine(b);
        char type = line.charAt(0);
        String body = line.substring(1);
        switch (type) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(body);
                if (n >= 0) b.writeBytes(in.readNBytes(n + 2));
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(body);
                for (int i = 0; i < n; i++) readValue(b);
            }
            case '%', '|' -> {
                int n = Integer.parseInt(body);
                for (int i = 0; i < 2 * n; i++) readValue(b);
                if (type == '|') readValue(b);
            }
            default -> { }
        }
    }

    private String readLine(ByteArrayOutputStream b) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed");
            b.write(c);
            if (prev == '\r' && c == '\n') break;
            sb.append((char) c);
            prev = c;
        }
        return sb.substring(0, sb.length() - 1);
    }

    /** True when the server closed the connection (read returns EOF within the timeout). */
    public boolean isClosedByPeer(int timeoutMs) {
        try {
            socket.setSoTimeout(timeoutMs);
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection
        }
    }
}
