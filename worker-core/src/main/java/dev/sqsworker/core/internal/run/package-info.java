/** Run: the handler call itself, its context, its transaction, deadline and cancellation. */
package dev.sqsworker.core.internal.run;
