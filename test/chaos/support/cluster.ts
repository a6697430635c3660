import { Client } from "pg";
import supertest from "supertest";
import { waitForRoute } from "../../support/engine-harness";
import { AUTH_ENV, createUser, type TestUser } from "../../support/factories";
import { startNodeProcess, type NodeProcess } from "../../support/node-process";
import { freePort } from "../../support/ports";
import { startPrivatePostgres, type PrivatePostgres } from "../../support/private-postgres";
import { startPrivateNats, startPrivateRedis, type PrivateServer } from "../../support/private-server";
import { startPrivateRabbit, type PrivateRabbit } from "../../support/rabbitmq-node";
import { startTargetServer, type TargetServer } from "../../support/target-server";
import { PROFILE } from "./profile";

/** The workflow every experiment runs: two slow HTTP steps (the second reads the first's answer) and a transform, so a wrong output shows. */
export const CHAOS_WORKFLOW = "chaos";

export function chaosWorkflow(targetUrl: string, stepMs: number): Record<string, unknown> {
	return {
		workflow_id: CHAOS_WORKFLOW,
		version: "1.0.0",
		inputs: [{ name: "n", type: "integer" }],
		steps: [
			{ id: "fetch", type: "http_request", params: { url: `${targetUrl}/slow?ms=${stepMs}&value=\${{ inputs.n }}` } },
			{ id: "again", type: "http_request", depends_on: ["fetch"], params: { url: `${targetUrl}/slow?ms=${stepMs}&value=\${{ steps.fetch.output.body.value }}` } },
			{ id: "double", type: "transform", depends_on: ["again"], params: { expression: "$number(steps.again.output.body.value) * 2" } }
		]
	};
}

/**
 * A cluster on services of its own: a private PostgreSQL, NATS and Redis (and RabbitMQ when
 * asked), a gateway node (api-gateway, auth, workflow, llm, event-bus, notifier) on a fixed
 * port (it keeps its address across restarts) and `workers` execution nodes `w1…`.
 */
export interface ChaosCluster {
	pg: PrivatePostgres;
	nats: PrivateServer;
	redis: PrivateServer;
	rabbit?: PrivateRabbit;
	target: TargetServer;
	gatewayUrl: string;
	gateway: NodeProcess;
	workers: NodeProcess[];
	user: TestUser;
	/** A query on a fresh connection (survives restarts of the server); null while PostgreSQL is down. */
	query<T extends Record<string, unknown>>(sql: string, bind?: unknown[]): Promise<T[] | null>;
	startGateway(): Promise<NodeProcess>;
	/** Starts one more execution node, `w<n>` (a node that dies is replaced under a new name, as a new pod would be). */
	startWorker(): Promise<NodeProcess>;
	stop(): Promise<void>;
}

export async function startChaosCluster(opts: { workers?: number; rabbitmq?: boolean; env?: Record<string, string> } = {}): Promise<ChaosCluster> {
	const started = await Promise.allSettled([
		startPrivatePostgres(),
		startPrivateNats(),
		startPrivateRedis(),
		startTargetServer(),
		opts.rabbitmq ? startPrivateRabbit(120_000) : Promise.resolve(undefined)
	] as const);
	const failed = started.find(r => r.status === "rejected");
	if (failed) {
		// What did start is stopped again: nothing is left running behind a failed setup.
		await Promise.all(
			started.map(r => {
				const v = r.status === "fulfilled" ? (r.value as { destroy?: () => Promise<void>; close?: () => Promise<void>; shutdown?: () => Promise<void> } | undefined) : undefined;
				return (v?.destroy ?? v?.close ?? v?.shutdown)?.call(v).catch(() => undefined);
			})
		);
		throw (failed as PromiseRejectedResult).reason;
	}
	const [pg, nats, redis, target, rabbit] = started.map(r => (r as PromiseFulfilledResult<unknown>).value) as [PrivatePostgres, PrivateServer, PrivateServer, TargetServer, PrivateRabbit | undefined];
	const port = await freePort();
	const common: Record<string, string> = {
		...AUTH_ENV,
		TRANSPORTER: nats.url,
		DATABASE_URL: pg.url,
		REDIS_URL: redis.url,
		...(rabbit ? { RABBITMQ_URL: rabbit.url } : {}),
		API_HOST: "127.0.0.1",
		STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
		...opts.env
	};
	const nodes: NodeProcess[] = [];
	const track = (n: NodeProcess) => (nodes.push(n), n);
	const stop = async () => {
		// A frozen node is woken before it is killed, so nothing is left behind stopped.
		for (const n of nodes) if (n.proc.exitCode === null) n.proc.kill("SIGCONT");
		await Promise.all(nodes.map(n => n.kill()));
		await target.close();
		await Promise.all([pg.destroy(), nats.destroy(), redis.destroy(), rabbit?.shutdown()]);
	};
	const startGateway = async () => track(await startNodeProcess({ ...common, API_PORT: String(port), SERVICES: "api-gateway,auth,workflow,llm,event-bus,notifier", NODE_ID: "gw" }, 60_000));
	let workerSeq = 0;
	const startWorker = async () => track(await startNodeProcess({ ...common, SERVICES: "execution", NODE_ID: `w${++workerSeq}` }, 60_000));
	let gateway: NodeProcess;
	let workers: NodeProcess[];
	let user: TestUser;
	try {
		gateway = await startGateway();
		workers = await Promise.all(Array.from({ length: opts.workers ?? 3 }, () => startWorker()));
		const http = supertest(gateway.url!);
		await waitForRoute(http, "post", "/api/v3/workflows/execute");
		user = await createUser(http, { tag: "chaos" });
		const created = await http.post("/api/v3/workflows").set(user.auth).send(chaosWorkflow(target.url, PROFILE.stepMs));
		if (created.status !== 201) throw new Error(`creating the chaos workflow failed: ${created.status} ${JSON.stringify(created.body)}`);
	} catch (err) {
		await stop();
		throw err;
	}
	return {
		pg,
		nats,
		redis,
		rabbit,
		target,
		gatewayUrl: gateway.url!,
		gateway,
		workers,
		user,
		async query<T extends Record<string, unknown>>(sql: string, bind: unknown[] = []) {
			const client = new Client({ connectionString: pg.url, connectionTimeoutMillis: 2000 });
			client.on("error", () => undefined);
			try {
				await client.connect();
				return (await client.query<T>(sql, bind)).rows;
			} catch {
				return null;
			} finally {
				await client.end().catch(() => undefined);
			}
		},
		startGateway,
		startWorker,
		stop
	};
}
