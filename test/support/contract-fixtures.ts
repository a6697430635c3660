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

/** A user with a workflow of their own (an approval gate first when `gated`), and optionally an execution of it. */
async function withWorkflow(c: FixtureContext, kind: "plain" | "gated" | "failing" = "plain"): Promise<{ u: TestUser; workflowId: string }> {
	const u = await c.user();
	const workflowId = `contract-${kind}-${u.user_id.slice(0, 8)}`;
	const steps =
		kind === "gated"
			? [{ id: "gate", type: "approval" }, { id: "after", type: "transform", params: { expression: "1" }, depends_on: ["gate"] }]
			: kind === "failing"
				? [{ id: "boom", type: "transform", params: { expression: '$error("contract failure")' } }]
				: [{ id: "only", type: "transform", params: { expression: "1" } }];
	const res = await c.http.post("/api/v3/workflows").set(u.auth).send({ workflow_id: workflowId, version: "1.0.0", steps });
	if (res.status !== 201) throw new Error(`creating a workflow for the fixture failed: ${res.status} ${JSON.stringify(res.body)}`);
	return { u, workflowId };
}

async function withExecution(c: FixtureContext, kind: "plain" | "gated" | "failing", until: (e: { status: string; steps: { waiting_for: string | null }[] }) => boolean) {
	const { u, workflowId } = await withWorkflow(c, kind);
	const started = await c.http.post("/api/v3/workflows/execute").set(u.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0" });
	if (started.status !== 202) throw new Error(`starting an execution for the fixture failed: ${started.status}`);
	const id = started.body.execution_id as string;
	for (let i = 0; ; i++) {
		const e = await c.http.get(`/api/v3/workflows/executions/${id}`).set(u.auth);
		if (until(e.body)) break;
		if (i > 200) throw new Error(`the fixture's execution never got there: ${JSON.stringify(e.body)}`);
		await new Promise(r => setTimeout(r, 25));
	}
	return { u, id };
}

const waitingForApproval = (e: { steps: { waiting_for: string | null }[] }) => e.steps[0]?.waiting_for === "approval";

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
	"auth.updateUser": async c => ({ path: { id: (await c.user()).user_id } }),
	// Definitions are per owner: each operation gets a user with a workflow of their own.
	"workflow.create": async c => ({ as: await c.user(), body: { workflow_id: `contract-new-${Date.now().toString(36)}`, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] } }),
	"workflow.versions": async c => {
		const { u, workflowId } = await withWorkflow(c);
		return { as: u, path: { workflow_id: workflowId } };
	},
	"workflow.get": async c => {
		const { u, workflowId } = await withWorkflow(c);
		return { as: u, path: { workflow_id: workflowId, version: "1.0.0" } };
	},
	"workflow.setStatus": async c => {
		const { u, workflowId } = await withWorkflow(c);
		return { as: u, path: { workflow_id: workflowId, version: "1.0.0" }, body: { status: "deprecated" } };
	},
	"execution.execute": async c => {
		const { u, workflowId } = await withWorkflow(c);
		return { as: u, body: { workflow_id: workflowId, workflow_version: "1.0.0" } };
	},
	"execution.get": async c => {
		const { u, id } = await withExecution(c, "plain", e => e.status === "completed");
		return { as: u, path: { id } };
	},
	"execution.cancel": async c => {
		const { u, id } = await withExecution(c, "gated", waitingForApproval);
		return { as: u, path: { id } };
	},
	"execution.approve": async c => {
		const { u, id } = await withExecution(c, "gated", waitingForApproval);
		return { as: u, path: { id, step_id: "gate" } };
	},
	"execution.reject": async c => {
		const { u, id } = await withExecution(c, "gated", waitingForApproval);
		return { as: u, path: { id, step_id: "gate" } };
	},
	"execution.retry": async c => {
		const { u, id } = await withExecution(c, "failing", e => e.status === "failed");
		return { as: u, path: { id } };
	}
};
