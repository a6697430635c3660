import type { ActionSchema, Context, Middleware, Service } from "moleculer";
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
 * replies cannot arrive), instead of each waiting for its timeout.
 */
export function NatsOutageMiddleware(nats: ConnectionState): Middleware {
	const unreachable = (service: string) => serviceUnavailable(service, `The ${service} service cannot be reached: this node has lost its connection to NATS`);
	return {
		name: "NatsOutage",
		remoteAction(next, action: ActionSchema) {
			const name = String(action.name ?? "");
			const service = (action.service as { name?: string } | undefined)?.name ?? name.slice(0, name.lastIndexOf("."));
			return function (this: Service, ctx: Context) {
				if (!nats.isUp) return Promise.reject(unreachable(service));
				return new Promise((resolve, reject) => {
					const off = nats.onDown(() => reject(unreachable(service)));
					next.call(this, ctx).then(resolve, reject).finally(off);
				});
			};
		}
	};
}
