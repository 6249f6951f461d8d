package io.github.grain.plugin.egress;

import java.net.UnknownHostException;

/**
 * A name resolved only to addresses the egress policy refuses. An
 * {@link UnknownHostException} so the HTTP client treats it as a failed lookup and never
 * connects.
 */
public class EgressRefusedException extends UnknownHostException {

	public EgressRefusedException(String message) {
		super(message);
	}

}
