/** Sample workers: short, idiomatic handlers to copy. */
package dev.sqsworker.samples;
