/**
 * The worker runtime's implementation, one package per stage of a message's way: {@code receive} →
 * {@code admit} → {@code run} → {@code settle}, plus {@code visibility}; {@code message} and {@code
 * support} are shared by all. This package wires them ({@code DefaultWorker}) and runs one message
 * through them ({@code MessagePipeline}). Not an API; may change in any release.
 */
package dev.sqsworker.core.internal;
