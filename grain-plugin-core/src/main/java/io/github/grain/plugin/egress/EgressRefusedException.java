package io.github.grain.plugin.egress;

import java.net.UnknownHostException;

/**
 * A host the egress policy refuses at the point of connection: a name that does not
 * resolve, or not only to addresses the policy allows. The message is the reason the guest
 * sees. An {@link UnknownHostException} so an HTTP client treats it as a failed lookup and
 * never connects.
 */
public class EgressRefusedException extends UnknownHostException {

	public EgressRefusedException(String message) {
		super(message);
	}

}
