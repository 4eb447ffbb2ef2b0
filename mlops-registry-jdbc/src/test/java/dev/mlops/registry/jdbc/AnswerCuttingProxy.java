package dev.mlops.registry.jdbc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * A TCP proxy in front of the test server that can lose a statement's answer for real: told to
 * cut a connection ({@link #cutAfterNextAnswer}), it lets the client's next statement through,
 * keeps back everything the server answers until the server says it is ready for the next
 * query (the protocol's {@code ReadyForQuery}: the statement, and in auto-commit mode its
 * commit, are complete on the server), has the backend terminated, and then closes the
 * client's socket. The client sees an I/O error; the server did the work.
 *
 * <p>It reads the server's side of the protocol message by message (a type byte and a 32-bit
 * length), which holds from the first answer on when the client asks for neither SSL nor GSS
 * encryption ({@code sslmode=disable&gssEncMode=disable}); the client's side is copied as it
 * is. Connections are known by their backend's process id, which the server sends at startup
 * ({@code BackendKeyData}).
 */
final class AnswerCuttingProxy implements AutoCloseable {
    private static final int BACKEND_KEY_DATA = 'K';
    private static final int READY_FOR_QUERY = 'Z';
    private static final int MAX_MESSAGE = 64 << 20;

    private final int serverPort;
    private final IntConsumer terminate;
    private final ServerSocket listener;
    private final Map<Integer, Link> byPid = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One client connection and its connection to the server. */
    private static final class Link {
        final Socket client;
        final Socket server;
        volatile boolean cut;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /**
     * @param serverPort the server's port on 127.0.0.1
     * @param terminate ends a backend by its process id, returning once it has ended
     */
    AnswerCuttingProxy(int serverPort, IntConsumer terminate) throws IOException {
        this.serverPort = serverPort;
        this.terminate = terminate;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "answer-cutting-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** @return the port the proxy listens on, on 127.0.0.1 */
    int port() {
        return listener.getLocalPort();
    }

    /**
     * Cuts the connection of backend {@code pid} once the server has answered the statement the
     * client sends next: the answer is lost.
     *
     * @throws IllegalStateException if no connection through the proxy has that backend
     */
    void cutAfterNextAnswer(int pid) {
        Link link = byPid.get(pid);
        if (link == null) {
            throw new IllegalStateException("no connection through the proxy has backend " + pid);
        }
        link.cut = true;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
                server.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            Link link = new Link(client, server);
            start("proxy client->server", () -> copyClientToServer(link));
            start("proxy server->client", () -> relayServerToClient(link));
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void copyClientToServer(Link link) {
        try {
            link.client.getInputStream().transferTo(link.server.getOutputStream());
        } catch (IOException e) {
            // either side closed: the other goes too
        } finally {
            link.close();
        }
    }

    private void relayServerToClient(Link link) {
        int pid = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(link.server.getInputStream(), 1 << 16));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(link.client.getOutputStream(),
                     1 << 16))) {
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                int length = in.readInt();
                if (length < 4 || length > MAX_MESSAGE) {
                    throw new IOException("not a protocol message: type " + type + ", length " + length);
                }
                byte[] body = in.readNBytes(length - 4);
                if (body.length != length - 4) {
                    throw new EOFException("the server's connection ended inside a message");
                }
                if (type == BACKEND_KEY_DATA) {
                    pid = ByteBuffer.wrap(body).getInt();
                    byPid.put(pid, link);
                }
                if (link.cut) {
                    if (type == READY_FOR_QUERY) {
                        terminate.accept(pid); // the statement is done on the server; its answer never arrives
                        return;
                    }
                    continue;
                }
                out.writeByte(type);
                out.writeInt(length);
                out.write(body);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // either side closed: the other goes too
        } finally {
            if (pid != 0) {
                byPid.remove(pid, link);
            }
            link.close();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        byPid.values().forEach(Link::close);
    }
}
