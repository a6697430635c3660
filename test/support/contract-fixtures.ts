/**
 * What the OpenAPI contract test cannot read from the spec: values that must exist on the
 * server for a request to succeed (an id of a real user, a live refresh token), keyed by
 * operationId (the action's name). An operation whose spec examples already make a
 * request that succeeds needs nothing here; one that has neither fails the contract test
 * with a message naming what is missing.
 */
import type supertest from "supertest";
import { TEST_PASSWORD, uniqueEmail, type TestUser } from "./factories";

type Http = ReturnType<typeof supertest>;

export interface FixtureContext {
	http: Http;
	/** A new signed-in user with the `user` role. */
	user(): Promise<TestUser>;
	admin: TestUser;
}

/** Parts of the request that replace what the spec's examples give. */
export interface RequestOverrides {
	path?: Record<string, string>;
	query?: Record<string, unknown>;
	body?: unknown;
	/** Who calls; by default an admin for `admin` operations, a new user for the others, no one for public ones. */
	as?: TestUser;
}

export type Fixture = (c: FixtureContext) => Promise<RequestOverrides>;

const freshRefreshToken: Fixture = async c => ({ body: { refresh_token: (await c.user()).refresh_token } });

export const CONTRACT_FIXTURES: Record<string, Fixture> = {
	// Each run registers a new email: the example's is taken after the first time.
	"auth.register": async () => ({ body: { email: uniqueEmail("contract"), password: TEST_PASSWORD, full_name: "Ada Lovelace" } }),
	"auth.login": async c => {
		const u = await c.user();
		return { body: { email: u.email, password: u.password } };
	},
	"auth.refresh": freshRefreshToken,
	"auth.logout": freshRefreshToken,
	"auth.revokeApiKey": async c => {
		const u = await c.user();
		const key = await c.http.post("/api/v3/auth/api-keys").set(u.auth).send({ name: "contract" });
		if (key.status !== 201) throw new Error(`creating an API key for the fixture failed: ${key.status}`);
		return { path: { id: key.body.id as string }, as: u };
	},
	"auth.getUser": async c => ({ path: { id: (await c.user()).user_id } }),
	"auth.updateUser": async c => ({ path: { id: (await c.user()).user_id } })
};
