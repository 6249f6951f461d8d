package io.github.grain.plugin.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 for host-import tests. {@code /echo} answers
 * {@code <METHOD> <body>} with header {@code x-echo} copying the request's
 * {@code x-grain-test}; {@code /status/N} answers status N; {@code /stall} answers nothing
 * for a minute ({@link #awaitStalled} waits for such a request to arrive).
 */
public final class LoopbackHttpServer implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor = Executors.newFixedThreadPool(4);

	private final Semaphore stalled = new Semaphore(0);

	private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

	public LoopbackHttpServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		count(this.server.createContext("/echo", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			String echo = exchange.getRequestHeaders().getFirst("x-grain-test");
			exchange.getResponseHeaders().add("x-echo", (echo != null) ? echo : "none");
			byte[] out = (exchange.getRequestMethod() + " " + body).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, out.length);
			try (OutputStream os = exchange.getResponseBody()) {
				os.write(out);
			}
		}));
		count(this.server.createContext("/stall", (exchange) -> {
			this.stalled.release();
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		}));
		count(this.server.createContext("/status/", (exchange) -> {
			String path = exchange.getRequestURI().getPath();
			int status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		}));
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/** How many requests have reached this server. */
	public int requests() {
		return this.requests.get();
	}

	private void count(com.sun.net.httpserver.HttpContext context) {
		context.getFilters().add(new com.sun.net.httpserver.Filter() {
			@Override
			public void doFilter(com.sun.net.httpserver.HttpExchange exchange, Chain chain) throws IOException {
				LoopbackHttpServer.this.requests.incrementAndGet();
				chain.doFilter(exchange);
			}

			@Override
			public String description() {
				return "counts requests";
			}
		});
	}

	/** Wait for a request to {@code /stall} to arrive (each arrival is awaited once). */
	public boolean awaitStalled(Duration timeout) throws InterruptedException {
		return this.stalled.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	public String origin() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	public String url(String path) {
		return origin() + path;
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
