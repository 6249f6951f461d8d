package io.github.grain.plugin.sample.tools;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import io.github.grain.plugin.tool.GrainTool;
import io.github.grain.plugin.tool.ToolParam;

import org.springframework.stereotype.Component;

/**
 * A read-only tool: what time it is.
 */
@Component
public class ClockTools {

	private final Clock clock = Clock.systemUTC();

	@GrainTool(description = "Returns the current date and time, in UTC unless a time zone is given.", readOnly = true)
	public CurrentTime currentTime(
			@ToolParam(description = "An IANA time zone such as Europe/Paris") Optional<String> zone) {
		ZoneId zoneId;
		try {
			zoneId = zone.map(ZoneId::of).orElse(ZoneId.of("UTC"));
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("unknown time zone '" + zone.orElse("") + "'");
		}
		ZonedDateTime now = ZonedDateTime.now(this.clock.withZone(zoneId));
		return new CurrentTime(now.toOffsetDateTime().toString(), zoneId.getId(), now.getDayOfWeek().name());
	}

	/**
	 * @param iso8601 the date and time with offset
	 * @param zone the zone used
	 * @param dayOfWeek the day of the week
	 */
	public record CurrentTime(String iso8601, String zone, String dayOfWeek) {
	}

}
