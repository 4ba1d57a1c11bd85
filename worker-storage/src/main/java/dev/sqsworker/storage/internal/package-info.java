/** Implementations of the storage api: SigV4 signing, HTTP uploads, JDBC registry, bucket setup. */
package dev.sqsworker.storage.internal;
