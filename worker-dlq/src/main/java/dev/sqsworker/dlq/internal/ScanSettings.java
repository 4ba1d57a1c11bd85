package dev.sqsworker.dlq.internal;

import java.time.Duration;

/**
 * How a pass over a queue receives.
 *
 * @param receiveWaitTime the long-poll wait of each receive; an empty answer ends the pass
 * @param holdTimeout how long received messages stay invisible if the process dies before it
 *     releases them
 */
public record ScanSettings(Duration receiveWaitTime, Duration holdTimeout) {}
