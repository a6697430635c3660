/**
 * Where the test suites find the real services, and which of them answered the
 * probe in global setup. With CI=true a missing service fails the run instead.
 */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const TEST_RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672";
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";

export type ExternalService = "postgres" | "redis" | "rabbitmq" | "nats";

export function available(service: ExternalService): boolean {
	return (process.env.COS_TEST_AVAILABLE ?? "").split(",").includes(service);
}

/** `describe` when every service is reachable, `describe.skip` otherwise (never under CI=true: setup fails first). */
export function describeWith(services: ExternalService[]): jest.Describe {
	return services.every(available) ? describe : describe.skip;
}
