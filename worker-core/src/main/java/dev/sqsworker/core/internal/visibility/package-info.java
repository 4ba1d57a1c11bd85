/**
 * Visibility: the heartbeat that keeps in-flight messages invisible while they run and cancels
 * handlers past their deadline. It never waits on the database.
 */
package dev.sqsworker.core.internal.visibility;
