package io.github.grain.plugin.tool;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds a loop in a JSON Schema that validation would follow forever: a chain of
 * references ({@code $ref}, {@code $dynamicRef}, {@code $recursiveRef}) and in-place
 * applicators ({@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}, {@code if},
 * {@code then}, {@code else}, {@code dependentSchemas}, schema-valued
 * {@code dependencies}) that comes back to a schema it started from without stepping into
 * a part of the instance. JSON Schema lets an implementation refuse such a schema; the
 * validator we use would instead overflow its stack on the first call.
 * <p>
 * Recursion through {@code properties}, {@code items} and the other keywords that apply to
 * a child of the instance is fine (each step consumes a level of the arguments) and is not
 * reported. References the check cannot follow (anchors, other documents) are left to the
 * validator, which refuses other documents when it compiles.
 */
final class SchemaLoops {

	/** Keywords whose value is a schema applied to the same instance. */
	private static final Set<String> IN_PLACE = Set.of("not", "if", "then", "else");

	/** Keywords whose value is an array of schemas applied to the same instance. */
	private static final Set<String> IN_PLACE_ARRAYS = Set.of("allOf", "anyOf", "oneOf");

	/** Keywords whose value maps names to schemas applied to the same instance. */
	private static final Set<String> IN_PLACE_MAPS = Set.of("dependentSchemas", "dependencies");

	private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef", "$recursiveRef");

	/** Keywords whose value is data, never a schema. */
	private static final Set<String> DATA = Set.of("const", "enum", "default", "examples");

	/** The name of the bottom frame of the search, which iterates over the start points (no pointer). */
	private static final String STARTS = "starts";

	private final JsonNode root;

	/** The pointers of every object in the document outside data, in document order. */
	private final Set<String> objects = new LinkedHashSet<>();

	private SchemaLoops(JsonNode root) {
		this.root = root;
		collectObjects(root, "");
	}

	/**
	 * Look for a loop.
	 * @param schema a schema document
	 * @return the loop as the JSON pointers of its schemas (the first repeated at the end),
	 * or empty when there is none the check can see
	 */
	static Optional<List<String>> find(JsonNode schema) {
		return new SchemaLoops(schema).find();
	}

	/**
	 * Depth first over in-place steps from every object, without recursion (a schema may be
	 * deep): a step back to an object still on the path closes a loop.
	 */
	private Optional<List<String>> find() {
		Map<String, Boolean> finished = new HashMap<>();
		Deque<String> path = new ArrayDeque<>(List.of(STARTS));
		Deque<Iterator<String>> pending = new ArrayDeque<>(List.of(this.objects.iterator()));
		while (!pending.isEmpty()) {
			Iterator<String> next = pending.peekLast();
			if (!next.hasNext()) {
				finished.put(path.removeLast(), true);
				pending.removeLast();
				continue;
			}
			String target = next.next();
			Boolean done = finished.putIfAbsent(target, false);
			if (done == null) {
				path.addLast(target);
				pending.addLast(inPlaceSteps(target).iterator());
			}
			else if (!done) {
				List<String> loop = new ArrayList<>(path);
				loop.subList(0, loop.indexOf(target)).clear();
				loop.add(target);
				return Optional.of(loop);
			}
		}
		return Optional.empty();
	}

	/**
	 * Every object under {@code node} is a start point: a schema, or a map of them (which
	 * has no in-place steps of its own); data keywords are skipped, they may hold anything.
	 */
	private void collectObjects(JsonNode node, String pointer) {
		Deque<Map.Entry<String, JsonNode>> todo = new ArrayDeque<>(List.of(Map.entry(pointer, node)));
		while (!todo.isEmpty()) {
			Map.Entry<String, JsonNode> entry = todo.removeFirst();
			String at = entry.getKey();
			JsonNode value = entry.getValue();
			if (value.isObject()) {
				this.objects.add(at);
				value.fields().forEachRemaining((field) -> {
					if (!DATA.contains(field.getKey())) {
						todo.add(Map.entry(at + step(field.getKey()), field.getValue()));
					}
				});
			}
			int index = 0;
			for (JsonNode element : value) {
				todo.add(Map.entry(at + "/" + index++, element));
			}
		}
	}

	/** Where validation goes next without consuming any of the instance. */
	private List<String> inPlaceSteps(String pointer) {
		List<String> steps = new ArrayList<>();
		this.root.at(pointer).fields().forEachRemaining((field) -> {
			String key = field.getKey();
			JsonNode value = field.getValue();
			String at = pointer + step(key);
			if (IN_PLACE.contains(key)) {
				steps.add(at);
			}
			if (IN_PLACE_ARRAYS.contains(key)) {
				int index = 0;
				for (JsonNode ignored : value) {
					steps.add(at + "/" + index++);
				}
			}
			if (IN_PLACE_MAPS.contains(key)) {
				value.fieldNames().forEachRemaining((name) -> steps.add(at + step(name)));
			}
			if (REFERENCES.contains(key)) {
				target(pointer, value.asText()).ifPresent(steps::add);
			}
		});
		return steps;
	}

	/**
	 * The document pointer a same-resource reference names: {@code #} or {@code #/...}
	 * relative to the nearest enclosing schema with its own {@code $id}.
	 */
	private Optional<String> target(String from, String reference) {
		if (!reference.startsWith("#")) {
			// another document (refused when compiled) or one named by $id: left to the validator
			return Optional.empty();
		}
		try {
			String target = resourceOf(from) + URI.create(reference).getFragment();
			JsonPointer.compile(target);
			return Optional.of(target);
		}
		catch (IllegalArgumentException ex) {
			// not a URI, or an anchor rather than a JSON pointer: left to the validator
			return Optional.empty();
		}
	}

	/** The pointer of the nearest object at or above {@code pointer} that declares {@code $id} (the root otherwise). */
	private String resourceOf(String pointer) {
		String at = pointer;
		while (!at.isEmpty() && !this.root.at(at).path("$id").isTextual()) {
			at = at.substring(0, at.lastIndexOf('/'));
		}
		return at;
	}

	/** The pointer step to a member: {@code /} and the name with {@code ~} and {@code /} escaped (Jackson's own escaping). */
	private static String step(String name) {
		return JsonPointer.empty().appendProperty(name).toString();
	}

}
