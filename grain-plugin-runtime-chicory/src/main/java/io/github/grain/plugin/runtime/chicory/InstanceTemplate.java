package io.github.grain.plugin.runtime.chicory;

import java.util.Arrays;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Element;
import com.dylibso.chicory.wasm.types.MutabilityType;
import org.jspecify.annotations.Nullable;

/**
 * What a fresh instance of one module starts from: its memory image and, when the
 * module's reactor initialiser can be replayed by copy, the globals that initialiser
 * left. Taken once, from the first instance, by {@link #capture}.
 *
 * @param memory the memory every instance starts with
 * @param initialized the mutable globals after the initialiser when {@code memory} is
 * the state after it (the initialiser is then not run again), {@code null} when every
 * instance runs the initialiser itself
 */
record InstanceTemplate(MemoryImage memory, @Nullable GlobalValues initialized) {

	/** Runs the initialiser of a freshly built instance and takes the template from it. */
	interface Initializer {

		/** @return how many host functions the initialiser called */
		int run();

	}

	/**
	 * The template of a freshly built instance whose data segments are in place, running
	 * its initialiser (when there is one). The state after the initialiser is kept only
	 * when replaying it by copy is exactly equivalent: the initialiser called no host
	 * function (whose answers may differ from call to call: clocks, random, environment),
	 * changed no table or element segment, and every mutable global is a number.
	 */
	static InstanceTemplate capture(String plugin, Instance instance, @Nullable Initializer initializer) {
		MemoryImage before = MemoryImage.of(plugin, instance.memory());
		if (initializer == null) {
			return new InstanceTemplate(before, null);
		}
		int[][] tables = tables(instance);
		Element[] elements = elements(instance);
		int hostCalls = initializer.run();
		GlobalValues globals = GlobalValues.of(instance);
		if (hostCalls == 0 && globals != null && Arrays.deepEquals(tables, tables(instance))
				&& sameElements(elements, elements(instance))) {
			return new InstanceTemplate(MemoryImage.of(plugin, instance.memory()), globals);
		}
		return new InstanceTemplate(before, null);
	}

	/** Element segments are compared by identity: dropping one replaces it. */
	private static boolean sameElements(Element[] before, Element[] after) {
		if (before.length != after.length) {
			return false;
		}
		for (int i = 0; i < before.length; i++) {
			if (before[i] != after[i]) {
				return false;
			}
		}
		return true;
	}

	private static int[][] tables(Instance instance) {
		int[][] tables = new int[instance.tableCount()][];
		for (int i = 0; i < tables.length; i++) {
			TableInstance table = instance.table(i);
			tables[i] = new int[table.size()];
			for (int j = 0; j < tables[i].length; j++) {
				tables[i][j] = table.ref(j);
			}
		}
		return tables;
	}

	private static Element[] elements(Instance instance) {
		Element[] elements = new Element[instance.elementCount()];
		for (int i = 0; i < elements.length; i++) {
			elements[i] = instance.element(i);
		}
		return elements;
	}

	/** The mutable globals of an instance, to set on another instance of the same module. */
	record GlobalValues(int[] indexes, long[] low, long[] high) {

		/** @return the values, or {@code null} when a mutable global holds a reference */
		static @Nullable GlobalValues of(Instance instance) {
			int count = instance.globalCount();
			int[] indexes = new int[count];
			long[] low = new long[count];
			long[] high = new long[count];
			int mutable = 0;
			for (int i = 0; i < count; i++) {
				GlobalInstance global = instance.global(i);
				if (global.getMutabilityType() != MutabilityType.Var) {
					continue;
				}
				if (global.getType().isReference()) {
					return null;
				}
				indexes[mutable] = i;
				low[mutable] = global.getValueLow();
				high[mutable] = global.getValueHigh();
				mutable++;
			}
			return new GlobalValues(Arrays.copyOf(indexes, mutable), Arrays.copyOf(low, mutable),
					Arrays.copyOf(high, mutable));
		}

		void applyTo(Instance instance) {
			for (int i = 0; i < this.indexes.length; i++) {
				GlobalInstance global = instance.global(this.indexes[i]);
				global.setValueLow(this.low[i]);
				global.setValueHigh(this.high[i]);
			}
		}

	}

}
