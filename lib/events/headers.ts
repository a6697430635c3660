/** Message headers the bus sets (on RabbitMQ messages, and on in-process dead letters alike). */
export const HEADERS = {
	/** The try this message is (1 for the first delivery). */
	attempts: "x-attempts",
	/** The handler a retry, dead letter or replay is for. */
	handler: "x-handler",
	errorMessage: "x-error-message",
	errorType: "x-error-type",
	/** ISO time of the last failure. */
	failedAt: "x-failed-at",
	/** Unique per dead-lettering: the archiver keeps each once. */
	deadLetterId: "x-dead-letter-id",
	/** The dead letter a replayed message came from. */
	replayOf: "x-replay-of"
} as const;
