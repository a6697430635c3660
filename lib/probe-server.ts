import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ProbeAnswer {
	status: number;
	body: Record<string, unknown>;
}

export interface ProbeServer {
	port: number;
	close(): Promise<void>;
}

/**
 * `/health/live` and `/health/ready` for a node that runs no gateway, so that Kubernetes
 * and Docker probe every role alike. Live answers while the event loop does; `ready`
 * decides the other. Nothing else is served.
 */
export function startProbeServer(host: string, port: number, ready: () => Promise<ProbeAnswer>): Promise<ProbeServer> {
	const server = http.createServer((req, res) => {
		const send = ({ status, body }: ProbeAnswer) => {
			res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
			res.end(JSON.stringify(body));
		};
		const path = (req.url ?? "/").split("?")[0];
		if (req.method !== "GET" && req.method !== "HEAD") return send({ status: 405, body: { error: "method_not_allowed" } });
		if (path === "/health/live") return send({ status: 200, body: { status: "ok" } });
		if (path === "/health/ready")
			return void ready().then(send, (err: Error) => send({ status: 503, body: { status: "not_ready", error: err.message } }));
		send({ status: 404, body: { error: "not_found", message: "This port serves /health/live and /health/ready only" } });
	});
	// A probe connection never holds up the drain of a stopping node.
	server.keepAliveTimeout = 1000;
	return new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(port, host, () => {
			server.off("error", reject);
			resolve({
				port: (server.address() as AddressInfo).port,
				close: () =>
					new Promise<void>(done => {
						server.closeAllConnections();
						server.close(() => done());
					})
			});
		});
	});
}
