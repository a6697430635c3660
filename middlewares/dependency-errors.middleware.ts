import type { ActionSchema, Context, Middleware, Service, ServiceBroker } from "moleculer";
import type { ConnectionState } from "../lib/connection-state";
import { dependencyError, isDiskFull } from "../lib/dependency-errors";
import { serviceUnavailable } from "../lib/errors";
import type { Runtime } from "../lib/runtime";

/**
 * Errors of a dependency that cannot serve (the database down or restarting, a full disk)
 * leave every action of this node as 503 (507) naming it, never as 500 with its SQL. A
 * write that found the disk full stops new work at once (the disk guard's next reading
 * would, a few seconds later).
 */
export function DependencyErrorsMiddleware(runtime: Runtime): Middleware {
	return {
		name: "DependencyErrors",
		localAction(next) {
			return function (this: Service, ctx: Context) {
				return next.call(this, ctx).catch((err: unknown) => {
					if (isDiskFull(err)) runtime.disk?.writeFailed();
					throw dependencyError(err) ?? err;
				});
			};
		}
	};
}

/**
 * Calls to other nodes while this node has lost NATS: refused at once with 503 naming the
 * service, and those in flight when the connection drops answered 503 at once (their
 * replies cannot arrive), instead of each waiting for its timeout. After NATS comes back,
 * a node is called only once it has been heard from again (a heartbeat since): until then
 * its own client may still be reconnecting, and a request sent to it would be lost.
 */
export function NatsOutageMiddleware(nats: ConnectionState): Middleware {
	const unreachable = (service: string) => serviceUnavailable(service, `The ${service} service cannot be reached: this node has lost its connection to NATS`);
	const notYetBack = (service: string) => serviceUnavailable(service, `The ${service} service's node has not been heard from since NATS came back`);
	let registry: { nodes: { get(id: string): { lastHeartbeatTime: number } | undefined } } | undefined;
	/** Whether node `nodeID` has sent a heartbeat since this node reconnected (Moleculer keeps its time in whole seconds of process uptime). */
	const heardSinceReconnect = (nodeID: string | null | undefined): boolean => {
		const reconnectedAt = nats.reconnectedAt;
		const node = nodeID ? registry?.nodes.get(nodeID) : undefined;
		if (reconnectedAt === null || !node) return true;
		const uptimeAtReconnect = process.uptime() - (Date.now() - reconnectedAt) / 1000;
		// Rounded to the second, a heartbeat before the reconnect is never 0.5 s or more after it.
		return node.lastHeartbeatTime - uptimeAtReconnect >= 0.5;
	};
	return {
		name: "NatsOutage",
		created(broker: ServiceBroker) {
			registry = broker.registry as unknown as typeof registry;
		},
		remoteAction(next, action: ActionSchema) {
			const name = String(action.name ?? "");
			const service = (action.service as { name?: string } | undefined)?.name ?? name.slice(0, name.lastIndexOf("."));
			return function (this: Service, ctx: Context) {
				if (!nats.isUp) return Promise.reject(unreachable(service));
				if (!heardSinceReconnect(ctx.nodeID)) return Promise.reject(notYetBack(service));
				return new Promise((resolve, reject) => {
					const off = nats.onDown(() => reject(unreachable(service)));
					next.call(this, ctx).then(resolve, reject).finally(off);
				});
			};
		}
	};
}
