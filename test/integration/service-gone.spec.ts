import { randomBytes } from "node:crypto";
import { RETRY_AFTER_SECONDS } from "../../lib/errors";
import { startTestNode, waitForNodes, type TestNode } from "../support/broker";
import { describeWith, TEST_NATS_URL } from "../support/env";
import { createUser, type TestUser } from "../support/factories";
import { createTestDatabase } from "../support/postgres";

/**
 * A service whose last node goes away (stopped, dead, cut off) while a gateway keeps
 * serving: its routes answer 503 naming it at once, not 404, and work again when a node
 * offering it comes back.
 */
describeWith(["nats", "postgres"])("a service whose last node goes away", () => {
	let db: Awaited<ReturnType<typeof createTestDatabase>>;
	let gateway: TestNode;
	let execution: TestNode | undefined;
	let user: TestUser;
	let env: Record<string, string>;

	beforeAll(async () => {
		db = await createTestDatabase();
		env = { TRANSPORTER: TEST_NATS_URL, NAMESPACE: `gone-${randomBytes(4).toString("hex")}`, DATABASE_URL: db.url, SECURITY_SECRET_KEY: "service-gone-test-secret-key-0123456789" };
		gateway = await startTestNode({ services: ["api-gateway", "auth", "workflow"], env });
		execution = await startTestNode({ services: ["execution"], env });
		await waitForNodes([gateway.broker, execution.broker], 2);
		user = await createUser(gateway.http);
	}, 60_000);
	afterAll(async () => {
		await execution?.stop();
		await gateway?.stop();
		await db?.drop();
	});

	const execute = () => gateway.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "nothing", workflow_version: "1.0.0" });

	it("answers its routes 503 naming it while no node offers it, then serves them again", async () => {
		// Reached: the execution service answers for itself (no such workflow).
		for (let tries = 0; (await execute()).status !== 404; tries++) {
			if (tries > 100) throw new Error("the execution service never became reachable");
			await new Promise(r => setTimeout(r, 100));
		}
		await execution!.stop();
		execution = undefined;
		const gone = await execute();
		expect(gone.status).toBe(503);
		expect(gone.headers["retry-after"]).toBe(String(RETRY_AFTER_SECONDS));
		expect(gone.body).toMatchObject({ error: "service_unavailable", detail: { service: "execution" } });
		const read = await gateway.http.get("/api/v3/workflows/executions/00000000-0000-0000-0000-000000000000").set(user.auth);
		expect([read.status, read.body.detail]).toEqual([503, { service: "execution" }]);

		execution = await startTestNode({ services: ["execution"], env });
		for (let tries = 0; (await execute()).status !== 404; tries++) {
			if (tries > 100) throw new Error("the execution service never became reachable again");
			await new Promise(r => setTimeout(r, 100));
		}
	});
});
