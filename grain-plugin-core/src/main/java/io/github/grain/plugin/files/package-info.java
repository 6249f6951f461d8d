/**
 * File access confined to one directory through open directory handles, so that the
 * check of a path and its use are one operation: used by the tools' sandbox and by
 * plugin loading. Depends on nothing else in the project.
 */
@NullMarked
package io.github.grain.plugin.files;

import org.jspecify.annotations.NullMarked;
