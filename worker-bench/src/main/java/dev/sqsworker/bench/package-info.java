/**
 * Benchmarks of the worker against a bare AWS SDK loop on the same embedded SQS server, measured in
 * one run so the figures are ratios, not absolute claims.
 */
package dev.sqsworker.bench;
