/** The local demo behind {@code bin/demo}: the framework end to end on embedded services. */
package dev.sqsworker.demo;
