package io.github.grain.plugin.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose, byte by byte. Each
 * answer starts, then <em>holds</em> (stops sending) until {@link #release()}, so a test
 * knows the hostile exchange is in progress while it does other work, then goes on
 * forever until the client hangs up:
 * <ul>
 * <li>{@code /endless}: a chunked body that never ends</li>
 * <li>{@code /huge-headers}: response headers that never end</li>
 * <li>{@code /trickle}: headers announcing 60,000 bytes (within the tests' 64 KiB cap, so only a
 * deadline ends it), then one body byte every 20 ms</li>
 * <li>{@code /declared}: headers announcing a gigabyte, then nothing: the answer holds until the
 * client hangs up</li>
 * <li>{@code /kept}: {@code ok}, the connection kept open until the client closes it</li>
 * </ul>
 */
public final class HostileHttpServer implements AutoCloseable {

	private static final byte[] KILOBYTE = "a".repeat(1024).getBytes(StandardCharsets.US_ASCII);

	private final ServerSocket socket;

	private final List<Socket> connections = new CopyOnWriteArrayList<>();

	private final CountDownLatch held = new CountDownLatch(1);

	private final CountDownLatch released = new CountDownLatch(1);

	private final CountDownLatch hungUp = new CountDownLatch(1);

	public HostileHttpServer() throws IOException {
		this.socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		Thread acceptor = new Thread(this::accept, "hostile-http-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public String url(String path) {
		return "http://127.0.0.1:" + this.socket.getLocalPort() + path;
	}

	public String origin() {
		return "http://127.0.0.1:" + this.socket.getLocalPort();
	}

	/** Wait until an answer has started and is holding. */
	public boolean awaitHeld() throws InterruptedException {
		return this.held.await(30, TimeUnit.SECONDS);
	}

	/** Let the held answer go on. */
	public void release() {
		this.released.countDown();
	}

	/** Wait until a client hung up on an answer that would have gone on forever. */
	public boolean awaitHangUp() throws InterruptedException {
		return this.hungUp.await(30, TimeUnit.SECONDS);
	}

	private void accept() {
		while (!this.socket.isClosed()) {
			try {
				Socket connection = this.socket.accept();
				this.connections.add(connection);
				Thread handler = new Thread(() -> serve(connection), "hostile-http-serve");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket connection) {
		try (connection; OutputStream out = connection.getOutputStream()) {
			String path = readRequestPath(connection.getInputStream());
			switch (path) {
				case "/endless" -> {
					write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
					for (long i = 0;; i++) {
						holdAfter(i, 4);
						write(out, "400\r\n");
						out.write(KILOBYTE);
						write(out, "\r\n");
						out.flush();
					}
				}
				case "/huge-headers" -> {
					write(out, "HTTP/1.1 200 OK\r\n");
					for (long i = 0;; i++) {
						holdAfter(i, 4);
						write(out, "x-filler-" + i + ": ");
						out.write(KILOBYTE);
						write(out, "\r\n");
						out.flush();
					}
				}
				case "/trickle" -> {
					write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 60000\r\n\r\n");
					for (long i = 0;; i++) {
						holdAfter(i, 0);
						out.write('a');
						out.flush();
						Thread.sleep(20);
					}
				}
				case "/kept" -> {
					write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
					out.flush();
					awaitClose(connection);
				}
				case "/declared" -> {
					write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000000\r\n\r\n");
					out.flush();
					holdAfter(0, 0);
					awaitClose(connection);
				}
				default -> write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
			}
		}
		catch (IOException ex) {
			// the client hung up: what every endless answer waits for
			this.hungUp.countDown();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Wait for the client to close the connection (it sends nothing more on it meanwhile). */
	private static void awaitClose(Socket connection) throws IOException {
		if (connection.getInputStream().read() < 0) {
			throw new IOException("the client hung up");
		}
	}

	private void holdAfter(long step, long steps) throws InterruptedException {
		if (step == steps) {
			this.held.countDown();
			if (!this.released.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("never released");
			}
		}
	}

	private static String readRequestPath(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (head.indexOf("\r\n\r\n") < 0) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("request ended early");
			}
			head.append((char) b);
		}
		String requestLine = head.substring(0, head.indexOf("\r\n"));
		return requestLine.split(" ")[1];
	}

	private static void write(OutputStream out, String text) throws IOException {
		out.write(text.getBytes(StandardCharsets.US_ASCII));
	}

	@Override
	public void close() throws IOException {
		this.released.countDown();
		this.socket.close();
		for (Socket connection : this.connections) {
			connection.close();
		}
	}

}
