/**
 * Who is calling, and what an action requires. The gateway authenticates (JWT or API
 * key) and puts the Principal on `ctx.meta.user`; each action declares its `auth`
 * requirement; ownership is checked in the services with `canAccess`.
 */
export const ROLES = ["admin", "user", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/**
 * What an action needs, declared on the action as `auth`:
 * - `public`: anyone, no credentials;
 * - `read`: any signed-in principal (viewer, user, admin);
 * - `write`: a user or an admin (viewers are read-only);
 * - `admin`: admins only.
 * An action without a declaration is treated as `admin` (closed by default).
 */
export type AuthRequirement = "public" | "read" | "write" | "admin";
export const AUTH_REQUIREMENTS: readonly AuthRequirement[] = ["public", "read", "write", "admin"];

/** API keys may be narrowed to these scopes; a scope grants the requirement of the same name. */
export type Scope = Exclude<AuthRequirement, "public">;

export interface Principal {
	id: string;
	email: string;
	roles: Role[];
	/** How the caller proved who they are (`operator`: the REPL, as the user its configuration names). */
	via: "jwt" | "api_key" | "operator";
	/** API keys only: the scopes the key was limited to (null = everything its user may do). */
	scopes?: Scope[] | null;
	api_key_id?: string;
	/** API keys only: when the key stops working (epoch ms), null when never. */
	expires_at?: number | null;
}

const LEVEL: Record<AuthRequirement, number> = { public: 0, read: 1, write: 2, admin: 3 };

/** The highest requirement this principal meets through its roles. */
function roleLevel(roles: Role[]): number {
	if (roles.includes("admin")) return LEVEL.admin;
	if (roles.includes("user")) return LEVEL.write;
	if (roles.includes("viewer")) return LEVEL.read;
	return LEVEL.public;
}

/** Whether `principal` meets `requirement` by role and (for API keys) by scope. */
export function satisfies(principal: Principal | undefined | null, requirement: AuthRequirement): boolean {
	if (requirement === "public") return true;
	if (!principal) return false;
	if (roleLevel(principal.roles) < LEVEL[requirement]) return false;
	if (principal.scopes && principal.scopes.length > 0) {
		return principal.scopes.some(scope => LEVEL[scope] >= LEVEL[requirement]);
	}
	return true;
}

/**
 * The scope an API key needs for a request: its route's requirement, and at least `write`
 * for anything but a read (GET, HEAD): a read-only key changes nothing, whatever the
 * route declares for roles (revoking keys, marking notifications read).
 */
export function keyScopeFor(requirement: AuthRequirement, method: string | undefined): Scope | null {
	if (requirement === "public") return null;
	const reads = method === "GET" || method === "HEAD";
	return reads || LEVEL[requirement] >= LEVEL.write ? requirement : "write";
}

/** Whether an API key's scopes grant `scope` (a principal that is not a narrowed key always does). */
export function scopeAllows(principal: Principal, scope: Scope | null): boolean {
	if (!scope || !principal.scopes || principal.scopes.length === 0) return true;
	return principal.scopes.some(s => LEVEL[s] >= LEVEL[scope]);
}

/** Why `principal` may not do what `requirement` asks, or null when it may. */
export function refusal(principal: Principal | undefined | null, requirement: AuthRequirement): string | null {
	if (satisfies(principal, requirement)) return null;
	if (!principal) return "This needs a signed-in user";
	if (satisfies({ ...principal, scopes: null }, requirement)) return "This API key's scopes do not allow this";
	return requirement === "admin" ? "This needs the admin role" : "Your role does not allow this";
}

export function isAdmin(principal: Principal | undefined | null): boolean {
	return Boolean(principal?.roles.includes("admin"));
}

/** Ownership: a user sees and runs only what they own; an admin sees everything. */
export function canAccess(principal: Principal | undefined | null, ownerId: string): boolean {
	return Boolean(principal && (principal.id === ownerId || isAdmin(principal)));
}
