package io.github.grain.plugin.sample.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.grain.plugin.files.ConfinedDirectory;
import io.github.grain.plugin.tool.GrainTool;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolParam;

import org.springframework.stereotype.Component;

/**
 * A notebook kept in the sandbox root ({@code grain.plugins.sandbox.root}). Writing is a
 * side effect, so {@code write_note} goes through the approval handler; every file is
 * read and written through the sandbox policy, never through a path.
 */
@Component
public class NoteTools {

	private static final long MAX_NOTE_BYTES = 64 * 1024;

	@GrainTool(description = "Saves a text note in the notebook, replacing a note of the same name.",
			capability = "filesystem")
	public Saved writeNote(@ToolParam(description = "File name of the note, for example ideas.txt") String name,
			@ToolParam(description = "The note's text") String text, ToolContext context) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > MAX_NOTE_BYTES) {
			throw new IllegalArgumentException("a note holds at most " + MAX_NOTE_BYTES + " bytes");
		}
		context.sandbox().write(name, bytes);
		return new Saved(name, bytes.length);
	}

	@GrainTool(description = "Reads a note from the notebook.", capability = "filesystem", readOnly = true)
	public String readNote(@ToolParam(description = "File name of the note") String name, ToolContext context)
			throws IOException {
		return context.sandbox().readString(name);
	}

	@GrainTool(description = "Lists the notes in the notebook.", capability = "filesystem", readOnly = true)
	public List<String> listNotes(ToolContext context) throws IOException {
		return context.sandbox()
			.list(".")
			.stream()
			.filter((entry) -> entry.kind() == ConfinedDirectory.Kind.FILE)
			.map(ConfinedDirectory.Entry::name)
			.toList();
	}

	/**
	 * @param name the note's name
	 * @param bytes how many bytes were written
	 */
	public record Saved(String name, int bytes) {
	}

}
