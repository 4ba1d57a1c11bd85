/** The in-flight message that every stage of the pipeline works on, and what became of it. */
package dev.sqsworker.core.internal.message;
