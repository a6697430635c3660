import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook, WEBHOOK_HEADERS } from "../../lib/webhooks/signature";

export interface ReceivedDelivery {
	headers: IncomingHttpHeaders;
	body: string;
	/** What the receiver answered. */
	status: number;
	/** Whether the signature matched the secret the receiver was given for this path. */
	verified: boolean;
}

/**
 * A webhook receiver as a user would write one: it reads the raw body, checks the
 * X-CognitionOS-Signature against the webhook's secret and the timestamp's age, and
 * answers 401 to anything that does not verify. Each path is one webhook (`/hooks/<name>`).
 */
export interface WebhookReceiver {
	url: string;
	/** Deliveries per path, in arrival order. */
	received: Map<string, ReceivedDelivery[]>;
	/** The secret to verify deliveries to `path` with. */
	setSecret(path: string, secret: string): void;
	/** Answer `status` to the next `n` deliveries on `path` (after verifying them). */
	failNext(path: string, n: number, status?: number): void;
	deliveries(path: string): ReceivedDelivery[];
	close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
	const received = new Map<string, ReceivedDelivery[]>();
	const secrets = new Map<string, string>();
	const failures = new Map<string, { left: number; status: number }>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on("data", c => chunks.push(c));
		req.on("end", () => {
			const path = new URL(req.url ?? "/", "http://localhost").pathname;
			const body = Buffer.concat(chunks).toString("utf8");
			const secret = secrets.get(path);
			const verified =
				secret !== undefined &&
				verifyWebhook(secret, { signature: req.headers[WEBHOOK_HEADERS.signature] as string | undefined, timestamp: req.headers[WEBHOOK_HEADERS.timestamp] as string | undefined }, body);
			const failing = failures.get(path);
			let status = verified ? 204 : 401;
			if (verified && failing && failing.left > 0) {
				failing.left--;
				status = failing.status;
			}
			received.set(path, [...(received.get(path) ?? []), { headers: req.headers, body, status, verified }]);
			res.writeHead(status, { "content-type": "text/plain" });
			res.end(status === 204 ? "" : status === 401 ? "bad signature" : "try later");
		});
	});
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		setSecret: (path, secret) => void secrets.set(path, secret),
		failNext: (path, n, status = 503) => void failures.set(path, { left: n, status }),
		deliveries: path => received.get(path) ?? [],
		close: () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
