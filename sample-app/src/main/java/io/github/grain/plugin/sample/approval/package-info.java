/**
 * Approval by a person: with {@code sample.approval.mode=ask} a call to a tool that is not
 * read-only waits in the {@link io.github.grain.plugin.sample.approval.ApprovalInbox} until
 * someone answers it ({@code POST /api/approvals/{id}}, or the web console) or it times out.
 */
@NullMarked
package io.github.grain.plugin.sample.approval;

import org.jspecify.annotations.NullMarked;
