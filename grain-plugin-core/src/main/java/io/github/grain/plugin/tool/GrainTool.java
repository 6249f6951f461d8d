package io.github.grain.plugin.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method (or a class implementing {@link JsonToolHandler}) as a tool an agent can
 * call. On a method, the parameters become the tool's JSON Schema (one property per
 * parameter; {@link ToolContext} parameters are supplied by the host and are not part of
 * the schema), and the return value is serialised to JSON. An exception thrown by the
 * method becomes an error {@link ToolResult}.
 * <p>
 * In a Spring application every bean carrying this annotation is registered in the
 * {@link ToolRegistry} at startup.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GrainTool {

	/**
	 * The tool's name as the model calls it. Empty: the method name (or the class's simple
	 * name) in {@code snake_case}.
	 * @return the name
	 */
	String name() default "";

	/**
	 * A short human label. Empty: derived from the name.
	 * @return the label
	 */
	String label() default "";

	/**
	 * What the tool does, written for the model.
	 * @return the description
	 */
	String description() default "";

	/**
	 * The capability the tool needs from the host (for example {@code "filesystem"} or
	 * {@code "network"}), shown to clients and approval handlers. Empty: none.
	 * @return the capability
	 */
	String capability() default "";

	/**
	 * Whether the tool only reads. Tools that are not read-only go through the
	 * {@link ToolApprovalHandler} before each call.
	 * @return whether the tool has no side effects
	 */
	boolean readOnly() default false;

}
