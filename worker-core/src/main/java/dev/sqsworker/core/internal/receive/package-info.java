/**
 * Receive: the poll loops, the permits that bound how many messages the worker holds, and the
 * dispatch of received batches (FIFO: one group at a time) to the message sink.
 */
package dev.sqsworker.core.internal.receive;
