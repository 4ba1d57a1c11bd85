/**
 * Helpers every stage and the resilience package share (duration parsing, option checks, causes,
 * thread naming, the worker's meters). Depends on no other internal package, so nothing cycles
 * through it.
 */
package dev.sqsworker.core.internal.support;
