/**
 * The filter expression language of {@link dev.sqsworker.dlq.MessageFilter}: a tokenizer, a
 * recursive-descent parser and the filter nodes it builds. Not an API.
 */
package dev.sqsworker.dlq.internal.filter;
