package io.github.grain.plugin.engine.component;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.MalformedBinaryException;

/**
 * A component's index spaces, built definition by definition as the sections are read.
 * The core spaces that lifts and their options point into keep where each entry came
 * from, so an index can be followed back to a core instance export; the other spaces
 * are only counted, which is all that checking an index against them needs.
 */
final class IndexSpaces {

	/** Where a core func, table, memory, global or tag came from. */
	sealed interface CoreItem permits ExportOf, Other {
	}

	/** {@code alias core export}: the export {@code name} of core instance {@code instance}. */
	record ExportOf(int instance, String name, long offset) implements CoreItem {
	}

	/** Anything else (a {@code canon lower}, a built-in, an alias of a component instance export). */
	record Other(String origin, long offset) implements CoreItem, CoreInstance, CoreModule {
	}

	/** Where a core instance came from. */
	sealed interface CoreInstance permits Instantiation, InlineExports, Other {
	}

	/** {@code instantiate (module m)} with the named argument instances. */
	record Instantiation(int module, List<String> argumentNames, long offset) implements CoreInstance {
	}

	/** A core instance made of exports of existing core definitions. */
	record InlineExports(Map<String, SortIndex> exports, long offset) implements CoreInstance {
	}

	/** Where a core module came from. */
	sealed interface CoreModule permits Embedded, Other {
	}

	/** A core module section: the payload {@code [start, start + length)} of the file. */
	record Embedded(int start, int length) implements CoreModule {
	}

	/** A sort and an index into its space. */
	record SortIndex(ComponentSort sort, int index) {
	}

	/** A core definition followed back to the export of a module instance. */
	record ResolvedExport(int instance, int module, String name) {
	}

	private final Map<ComponentSort, List<CoreItem>> coreItems = new EnumMap<>(ComponentSort.class);

	private final List<CoreInstance> coreInstances = new ArrayList<>();

	private final List<CoreModule> coreModules = new ArrayList<>();

	private final Map<ComponentSort, Long> counts = new EnumMap<>(ComponentSort.class);

	IndexSpaces() {
		for (ComponentSort sort : ComponentSort.values()) {
			if (hasCoreItems(sort)) {
				this.coreItems.put(sort, new ArrayList<>());
			}
			else if (sort != ComponentSort.CORE_INSTANCE && sort != ComponentSort.CORE_MODULE) {
				this.counts.put(sort, 0L);
			}
		}
	}

	static boolean hasCoreItems(ComponentSort sort) {
		return switch (sort) {
			case CORE_FUNC, CORE_TABLE, CORE_MEMORY, CORE_GLOBAL, CORE_TAG -> true;
			default -> false;
		};
	}

	long size(ComponentSort sort) {
		if (hasCoreItems(sort)) {
			return this.coreItems.get(sort).size();
		}
		return switch (sort) {
			case CORE_INSTANCE -> this.coreInstances.size();
			case CORE_MODULE -> this.coreModules.size();
			default -> this.counts.get(sort);
		};
	}

	/**
	 * Check an index read at {@code offset} against its space as it is now (a definition
	 * can only refer to what precedes it, which also rules out cycles).
	 * @return the index as an int
	 */
	int check(ComponentSort sort, long index, long offset) {
		long size = size(sort);
		if (index < 0 || index >= size) {
			throw new MalformedBinaryException(
					sort.label() + " index " + index + " out of range (the " + sort.label() + " index space has "
							+ size + ((size == 1) ? " entry" : " entries") + " here)",
					offset);
		}
		return (int) index;
	}

	/** Add a definition whose origin is not followed (or only counted). */
	void addOther(ComponentSort sort, String origin, long offset) {
		if (hasCoreItems(sort)) {
			this.coreItems.get(sort).add(new Other(origin, offset));
		}
		else if (sort == ComponentSort.CORE_INSTANCE) {
			this.coreInstances.add(new Other(origin, offset));
		}
		else if (sort == ComponentSort.CORE_MODULE) {
			this.coreModules.add(new Other(origin, offset));
		}
		else {
			addCount(sort, 1, offset);
		}
	}

	/** Add {@code n} counted definitions (a type section, the results of a start function). */
	void addCount(ComponentSort sort, long n, long offset) {
		// only the counted sorts have a count; core items, instances and modules are kept, not counted
		long size = Objects.requireNonNull(this.counts.get(sort), "a sort that is kept, not counted") + n;
		if (size > 0xFFFF_FFFFL) {
			throw new MalformedBinaryException("the " + sort.label() + " index space exceeds 2^32 entries", offset);
		}
		this.counts.put(sort, size);
	}

	/** {@code alias core export}, or a copy of an existing entry (a re-export). */
	void addCoreItem(ComponentSort sort, CoreItem item) {
		this.coreItems.get(sort).add(item);
	}

	CoreItem coreItem(ComponentSort sort, int index) {
		return this.coreItems.get(sort).get(index);
	}

	void addCoreInstance(CoreInstance instance) {
		this.coreInstances.add(instance);
	}

	CoreInstance coreInstance(int index) {
		return this.coreInstances.get(index);
	}

	void addCoreModule(CoreModule module) {
		this.coreModules.add(module);
	}

	CoreModule coreModule(int index) {
		return this.coreModules.get(index);
	}

	/**
	 * Follow a core definition through aliases and inline-export instances to the export
	 * of an instantiated module. Iterative and bounded: every step goes to an earlier
	 * definition, and the bound guards that invariant.
	 * @param sort the core sort of {@code index}
	 * @param index the index, already checked
	 * @param what what is being resolved, for messages (e.g. "the memory of lift 'x'")
	 * @param offset where the reference was read
	 */
	ResolvedExport resolve(ComponentSort sort, int index, String what, long offset) {
		ComponentSort currentSort = sort;
		int current = index;
		long bound = this.coreInstances.size() + 1L;
		for (List<CoreItem> items : this.coreItems.values()) {
			bound += items.size();
		}
		for (long step = 0; step <= bound; step++) {
			CoreItem item = coreItem(currentSort, current);
			if (item instanceof Other other) {
				throw new InvalidPluginException(what + " is " + currentSort.label() + " " + current + ", defined by "
						+ other.origin() + " at offset " + other.offset()
						+ ", not by an export of a core module instance");
			}
			ExportOf alias = (ExportOf) item;
			CoreInstance instance = coreInstance(alias.instance());
			if (instance instanceof Instantiation instantiation) {
				return new ResolvedExport(alias.instance(), instantiation.module(), alias.name());
			}
			if (instance instanceof Other other) {
				throw new InvalidPluginException(what + " is export '" + alias.name() + "' of core instance "
						+ alias.instance() + ", which is defined by " + other.origin() + " at offset " + other.offset()
						+ ", not by instantiating an embedded module");
			}
			InlineExports inline = (InlineExports) instance;
			SortIndex target = inline.exports().get(alias.name());
			if (target == null) {
				throw new MalformedBinaryException("alias of export '" + alias.name() + "' of core instance "
						+ alias.instance() + ", which exports no such name", alias.offset());
			}
			if (target.sort() != currentSort) {
				throw new MalformedBinaryException("alias of export '" + alias.name() + "' of core instance "
						+ alias.instance() + " as a " + currentSort.label() + ", but it is a " + target.sort().label(),
						alias.offset());
			}
			current = target.index();
		}
		throw new MalformedBinaryException(what + ": alias chain longer than " + bound + " steps", offset);
	}

}
