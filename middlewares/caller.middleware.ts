import type { ActionHandler, ActionSchema, Context, Middleware, Service } from "moleculer";
import { unauthorized } from "../lib/errors";

/**
 * The API's actions (published, with an `auth` requirement) act for the user the gateway
 * put in `ctx.meta.user`. Called without one (Moleculer's REPL `call`, a script joined to
 * the cluster) they answer 401 saying so, instead of failing inside on `ctx.meta.user.id`.
 */
export const CallerMiddleware: Middleware = {
	name: "Caller",
	localAction(next: ActionHandler, action: ActionSchema & { auth?: string }) {
		const published = (action.visibility ?? "published") === "published";
		if (!published || !action.auth || action.auth === "public") return next;
		return function (this: Service, ctx: Context<unknown, { user?: unknown }>) {
			if (!ctx.meta?.user)
				throw unauthorized(
					`${action.name} acts for a user and was called without one (ctx.meta.user): call it through the API, or from the operator REPL use its commands (workflows, executions, execution <id>, …), which act as REPL_OPERATOR_EMAIL`
				);
			return next.call(this, ctx);
		};
	}
};
