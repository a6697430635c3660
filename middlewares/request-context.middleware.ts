import type { Context, Middleware, Service } from "moleculer";
import { requestContext, type RequestContext } from "../lib/context";

function contextOf(ctx: Context): RequestContext {
	const meta = ctx.meta as { trace_id?: string } | undefined;
	return { request_id: ctx.requestID ?? undefined, trace_id: meta?.trace_id };
}

/**
 * Runs every local action and event inside the request's context, so each log line
 * written while serving it carries its request id and trace id, on whichever node.
 */
export const RequestContextMiddleware: Middleware = {
	name: "RequestContext",
	localAction(next) {
		return function (this: Service, ctx: Context) {
			return requestContext.run(contextOf(ctx), () => next.call(this, ctx));
		};
	},
	localEvent(next) {
		return (ctx: Context) => requestContext.run(contextOf(ctx), () => next(ctx));
	}
};
