package io.github.grain.plugin.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a parameter of a {@link GrainTool} method, or a field (record component) of a
 * type used as a parameter, in the generated JSON Schema.
 */
@Target({ ElementType.PARAMETER, ElementType.FIELD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ToolParam {

	/**
	 * The property name in the arguments object. Empty: the Java parameter name, which
	 * needs classes compiled with {@code -parameters} (Spring Boot's build plugins do so).
	 * Ignored on fields.
	 * @return the name
	 */
	String name() default "";

	/**
	 * What the parameter means, written for the model.
	 * @return the description
	 */
	String description() default "";

	/**
	 * Whether the model must supply the parameter. {@code Optional} and {@code @Nullable}
	 * parameters are never required.
	 * @return whether the parameter is required
	 */
	boolean required() default true;

}
