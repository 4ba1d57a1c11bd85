/** The README's first worker, compiled and run as its own program by the tests. */
package dev.sqsworker.samples.quickstart;
