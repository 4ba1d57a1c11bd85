/**
 * The code examples of the user's guide. Each region between {@code // snippet:NAME} and {@code //
 * end:NAME} is copied into the docs, and a test checks the copies still match, so the docs compile.
 */
package dev.sqsworker.samples.guide;
