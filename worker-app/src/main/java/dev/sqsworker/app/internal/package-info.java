/**
 * The standalone application's implementation: environment parsing, handler instantiation, the JDBC
 * pool, the HTTP server for health and metrics, and ECS scale-in protection. Not API.
 */
package dev.sqsworker.app.internal;
