import { randomUUID } from "node:crypto";
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { Op, UniqueConstraintError, type Transaction } from "sequelize";
import { apiKeyMatches, apiKeyPrefix, generateApiKey } from "../lib/auth/api-keys";
import { API_KEY_LIST, NEW_API_KEY, REGISTERED_USER, TOKEN_PAIR, USER_PAGE, USER_PROFILE } from "../lib/auth/openapi";
import { authModels, type ApiKeyModel, type ApiKeyRow, type RefreshTokenModel, type UserModel, type UserRow } from "../lib/auth/models";
import { hashPassword, passwordProblem, verifyPassword } from "../lib/auth/passwords";
import { isAdmin, ROLES, type Principal, type Role, type Scope } from "../lib/auth/principal";
import { invalidToken, signAccessToken, signRefreshToken, verifyToken } from "../lib/auth/tokens";
import { AppError, conflict, forbidden, notFound, tooManyRequests, unauthorized, validationFailed } from "../lib/errors";
import { PAGE_PARAMS, pageOf } from "../lib/pagination";
import { sequelizeRunner } from "../lib/db/sequelize-runner";
import { appendToOutbox, domainEvent, type DomainEvent } from "../lib/events/outbox";
import { runtimeOf, type Runtime } from "../lib/runtime";
import { createAttemptLimiter, type AttemptLimiter } from "../lib/throttle";
import { DbMixin, type DbMixinMethods, type DbMixinVars } from "../mixins/db.mixin";
import { AUTH_METRICS, ensureMetrics } from "../mixins/metrics";

/** A practical email check: one @, no spaces or control characters, a dot in the domain. */
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

/** last_used_at of an API key is written at most this often per key (ms). */
const API_KEY_TOUCH_INTERVAL_MS = 60_000;

interface AuthMeta {
	user?: Principal;
	client_ip?: string;
	$statusCode?: number;
	$location?: string;
}
type AuthContext<P = Record<string, unknown>> = Context<P, AuthMeta>;

interface AuthVars extends DbMixinVars {
	runtime: Runtime;
	users: UserModel;
	refreshTokens: RefreshTokenModel;
	apiKeys: ApiKeyModel;
	emailLimiter: AttemptLimiter;
	ipLimiter: AttemptLimiter;
	/** Registrations per client address (each one costs a bcrypt hash). */
	registerLimiter: AttemptLimiter;
}

interface AuthMethods extends DbMixinMethods {
	issueTokens(user: UserRow, family?: string, events?: DomainEvent[]): Promise<Record<string, unknown>>;
	changed(transaction: Transaction, events: DomainEvent[]): Promise<void>;
	revokeFamily(family: string): Promise<void>;
	fail(reason: string, error: AppError): never;
	profile(user: UserRow): Record<string, unknown>;
	bootstrapAdmin(): Promise<void>;
	forgetEverywhere(userId: string): Promise<void>;
}

type AuthSettings = ServiceSettingSchema & { rest: string; fields: string[] };
type AuthThis = Service<AuthSettings> & AuthVars & AuthMethods;

function normalizeEmail(raw: string): string {
	return raw.trim().toLowerCase();
}

function countRequest(service: AuthThis, ctx: AuthContext, status: number): void {
	const endpoint = (ctx.action as { rawName?: string } | undefined)?.rawName ?? "unknown";
	if (service.broker.isMetricsEnabled()) service.broker.metrics.increment("auth_requests_total", { endpoint, status });
}

const AuthService: ServiceSchema<AuthSettings, AuthMethods, AuthVars> = {
	name: "auth",
	mixins: [DbMixin(sequelize => authModels(sequelize).User)],

	settings: {
		rest: "auth",
		fields: ["id", "email", "full_name", "roles", "is_active", "created_at", "updated_at"]
	},

	hooks: {
		after: {
			"register|login|refresh|me|logout"(ctx: AuthContext, res: unknown) {
				countRequest(this, ctx, ctx.meta.$statusCode ?? 200);
				return res;
			}
		},
		error: {
			"register|login|refresh|me|logout"(ctx: AuthContext, err: Error & { code?: number }) {
				countRequest(this, ctx, typeof err.code === "number" ? err.code : 500);
				throw err;
			}
		}
	},

	actions: {
		register: {
			rest: "POST /register",
			auth: "public",
			openapi: {
				summary: "Register a user",
				description: "Creates a user with the `user` role. The password needs at least 8 characters.",
				responses: { 201: { description: "The new user", schema: REGISTERED_USER }, 409: "A user with this email already exists" },
				example: { email: "ada@example.com", password: "correct-horse-battery", full_name: "Ada Lovelace" }
			},
			params: {
				email: { type: "string", max: 320 },
				password: { type: "string", max: 1024 },
				full_name: { type: "string", max: 200, optional: true, nullable: true }
			},
			async handler(ctx: AuthContext<{ email: string; password: string; full_name?: string | null }>) {
				// Counted before the hash: a flood of registrations from one address costs one bcrypt each up to the limit, then nothing.
				const ip = ctx.meta.client_ip ?? "unknown";
				const blocked = await this.registerLimiter.blockedFor(ip);
				if (blocked > 0) this.fail("register_throttled", tooManyRequests("Too many registrations from this address; try again later", blocked));
				await this.registerLimiter.recordFailure(ip);
				const email = normalizeEmail(ctx.params.email);
				const problems = [];
				if (!EMAIL.test(email)) problems.push({ path: "email", message: "must be a valid email address" });
				const pw = passwordProblem(ctx.params.password);
				if (pw) problems.push({ path: "password", message: pw });
				if (problems.length) throw validationFailed("The registration is not valid", problems);

				const password_hash = await hashPassword(ctx.params.password, this.runtime.config.SECURITY_BCRYPT_ROUNDS);
				try {
					const id = randomUUID();
					const row = await this.database.transaction(async transaction => {
						const user = await this.users.create({ id, email, password_hash, full_name: ctx.params.full_name?.trim() || null, roles: ["user"], is_active: true }, { transaction });
						await this.changed(transaction, [domainEvent("UserRegistered", { type: "user", id }, { user_id: id, email, client_ip: ctx.meta.client_ip ?? null })]);
						return user.get({ plain: true });
					});
					ctx.meta.$statusCode = 201;
					ctx.meta.$location = `/api/v3/auth/users/${row.id}`;
					this.logger.info({ user_id: row.id }, "User registered");
					return { user_id: row.id, email: row.email, roles: row.roles, full_name: row.full_name };
				} catch (err) {
					if (err instanceof UniqueConstraintError) throw conflict("A user with this email already exists");
					throw err;
				}
			}
		},

		login: {
			rest: "POST /login",
			auth: "public",
			openapi: {
				summary: "Sign in",
				description: "Exchanges email and password for an access token and a refresh token. Repeated failures are throttled per email and per client address.",
				responses: {
					200: { description: "Signed in", schema: TOKEN_PAIR },
					401: "Incorrect email or password",
					403: "The account is deactivated",
					429: "Too many failed sign-ins; `Retry-After` says when to try again"
				},
				example: { email: "ada@example.com", password: "correct-horse-battery" }
			},
			params: {
				email: { type: "string", max: 320 },
				password: { type: "string", max: 1024 }
			},
			async handler(ctx: AuthContext<{ email: string; password: string }>) {
				const email = normalizeEmail(ctx.params.email);
				const ip = ctx.meta.client_ip ?? "unknown";
				const blocked = Math.max(await this.emailLimiter.blockedFor(email), await this.ipLimiter.blockedFor(ip));
				if (blocked > 0) this.fail("throttled", tooManyRequests("Too many failed logins; try again later", blocked));

				const found = await this.users.findOne({ where: { email } });
				const user = found?.get({ plain: true });
				const ok = await verifyPassword(ctx.params.password, user?.password_hash ?? null, this.runtime.config.SECURITY_BCRYPT_ROUNDS);
				if (!ok || !user) {
					const wait = Math.max(await this.emailLimiter.recordFailure(email), await this.ipLimiter.recordFailure(ip));
					this.logger.warn({ client_ip: ip, throttled: wait > 0 }, "Sign-in failed");
					if (wait > 0) this.fail("throttled", tooManyRequests("Too many failed logins; try again later", wait));
					this.fail("invalid_credentials", unauthorized("Incorrect email or password", "invalid_credentials"));
				}
				if (!user.is_active) this.fail("inactive", new AppError("This account is deactivated", 403, "account_disabled"));
				await this.emailLimiter.reset(email);
				this.logger.info({ user_id: user.id, client_ip: ip }, "User signed in");
				return this.issueTokens(user, undefined, [domainEvent("UserLoggedIn", { type: "user", id: user.id }, { user_id: user.id, email: user.email, client_ip: ctx.meta.client_ip ?? null })]);
			}
		},

		refresh: {
			rest: "POST /refresh",
			auth: "public",
			openapi: {
				summary: "Rotate tokens",
				description: "Spends a refresh token for a new pair. A refresh token works once: presenting a spent one revokes its whole session.",
				responses: { 200: { description: "A new token pair", schema: TOKEN_PAIR }, 401: "The refresh token is not valid, expired, spent or revoked" },
				example: { refresh_token: "eyJhbGciOiJIUzI1NiJ9.…" }
			},
			params: { refresh_token: { type: "string", max: 4096 } },
			async handler(ctx: AuthContext<{ refresh_token: string }>) {
				let claims;
				try {
					claims = verifyToken(this.runtime.tokenKeys(), ctx.params.refresh_token, "refresh");
				} catch (err) {
					this.fail("invalid_token", err as AppError);
				}
				const now = new Date();
				// Spend the token in one statement: of two concurrent refreshes, exactly one wins.
				const [spent] = await this.refreshTokens.update(
					{ spent_at: now },
					{ where: { jti: claims.jti, spent_at: null, revoked_at: null, expires_at: { [Op.gt]: now } } }
				);
				if (spent !== 1) {
					const row = (await this.refreshTokens.findByPk(claims.jti))?.get({ plain: true });
					if (row && row.spent_at && !row.revoked_at) {
						// A spent token came back: someone holds a copy. End the whole family.
						await this.revokeFamily(row.family_id);
						this.fail("token_reuse", invalidToken("This refresh token was already used; the session has been revoked"));
					}
					this.fail("invalid_token", invalidToken("The refresh token is not valid"));
				}
				const user = (await this.users.findByPk(claims.sub))?.get({ plain: true });
				if (!user || !user.is_active) {
					await this.revokeFamily(claims.fam);
					this.fail("inactive", invalidToken("This account is deactivated"));
				}
				return this.issueTokens(user, claims.fam);
			}
		},

		logout: {
			rest: "POST /logout",
			auth: "public",
			openapi: {
				summary: "Sign out",
				description: "Revokes the session (every refresh token of its family). Access tokens already issued run until they expire.",
				responses: { 204: { description: "Signed out", schema: null }, 401: "The refresh token is not valid" },
				example: { refresh_token: "eyJhbGciOiJIUzI1NiJ9.…" }
			},
			params: { refresh_token: { type: "string", max: 4096 } },
			async handler(ctx: AuthContext<{ refresh_token: string }>) {
				let claims;
				try {
					claims = verifyToken(this.runtime.tokenKeys(), ctx.params.refresh_token, "refresh", { ignoreExpiration: true });
				} catch (err) {
					this.fail("invalid_token", err as AppError);
				}
				await this.revokeFamily(claims.fam);
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		me: {
			rest: "GET /me",
			auth: "read",
			openapi: {
				summary: "The signed-in user",
				responses: { 200: { description: "The caller's profile", schema: USER_PROFILE }, 404: "The user no longer exists" }
			},
			cache: { keys: ["#user.id"] },
			async handler(ctx: AuthContext) {
				const user = (await this.users.findByPk(ctx.meta.user!.id))?.get({ plain: true });
				if (!user) throw notFound("User");
				return this.profile(user);
			}
		},

		/** The current identity behind a token's subject: roles and active flag come from here, not from the token. */
		principal: {
			visibility: "public",
			params: { id: "string" },
			cache: { keys: ["id"] },
			async handler(ctx: AuthContext<{ id: string }>) {
				const user = (await this.users.findByPk(ctx.params.id))?.get({ plain: true });
				return user ? { id: user.id, email: user.email, roles: user.roles, is_active: user.is_active } : null;
			}
		},

		/** The operator REPL resolves the user it acts as (REPL_OPERATOR_EMAIL) by email. */
		principalByEmail: {
			visibility: "public",
			params: { email: { type: "string", max: 320 } },
			async handler(ctx: AuthContext<{ email: string }>) {
				const user = (await this.users.findOne({ where: { email: normalizeEmail(ctx.params.email) } }))?.get({ plain: true });
				return user ? { id: user.id, email: user.email, roles: user.roles, is_active: user.is_active } : null;
			}
		},

		/** Resolves an API key to the principal it acts as, or throws 401. */
		apiKeyPrincipal: {
			visibility: "public",
			params: { key: { type: "string", max: 200 } },
			async handler(ctx: AuthContext<{ key: string }>): Promise<Principal> {
				const prefix = apiKeyPrefix(ctx.params.key);
				const row = prefix ? (await this.apiKeys.findOne({ where: { prefix } }))?.get({ plain: true }) : undefined;
				const now = new Date();
				if (!row || !apiKeyMatches(ctx.params.key, row.key_hash)) this.fail("invalid_api_key", invalidToken("The API key is not valid"));
				if (row.revoked_at) this.fail("invalid_api_key", invalidToken("The API key has been revoked"));
				if (row.expires_at && row.expires_at <= now) this.fail("invalid_api_key", invalidToken("The API key has expired"));
				const user = (await this.users.findByPk(row.user_id))?.get({ plain: true });
				if (!user || !user.is_active) this.fail("inactive", invalidToken("This account is deactivated"));
				if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > API_KEY_TOUCH_INTERVAL_MS) {
					await this.apiKeys.update({ last_used_at: now }, { where: { id: row.id } });
				}
				return { id: user.id, email: user.email, roles: user.roles, via: "api_key", scopes: row.scopes, api_key_id: row.id, expires_at: row.expires_at ? row.expires_at.getTime() : null };
			}
		},

		createApiKey: {
			rest: "POST /api-keys",
			auth: "read",
			openapi: {
				summary: "Create an API key",
				description: "For the signed-in user (not with another API key). The key is in the answer once; only its prefix is kept readable.",
				responses: { 201: { description: "The new key", schema: NEW_API_KEY } },
				example: { name: "CI pipeline", scopes: ["read", "write"], expires_in_days: 90 }
			},
			params: {
				name: { type: "string", min: 1, max: 100, trim: true },
				scopes: { type: "array", optional: true, nullable: true, unique: true, items: { type: "enum", values: ["read", "write", "admin"] } },
				expires_in_days: { type: "number", integer: true, positive: true, max: 3650, optional: true, nullable: true }
			},
			async handler(ctx: AuthContext<{ name: string; scopes?: Scope[] | null; expires_in_days?: number | null }>) {
				const principal = ctx.meta.user!;
				// A key cannot mint keys: creating one needs a signed-in user.
				if (principal.via !== "jwt") throw forbidden("API keys can only be created by a signed-in user, not with another API key");
				const scopes = ctx.params.scopes?.length ? ctx.params.scopes : null;
				if (scopes?.includes("admin") && !isAdmin(principal))
					throw validationFailed("The API key is not valid", [{ path: "scopes", message: "admin scope needs the admin role" }]);
				const { key, prefix, hash } = generateApiKey();
				const expires_at = ctx.params.expires_in_days ? new Date(Date.now() + ctx.params.expires_in_days * 86_400_000) : null;
				const row = await this.database.transaction(async transaction => {
					const created = (await this.apiKeys.create({ id: randomUUID(), user_id: principal.id, name: ctx.params.name, prefix, key_hash: hash, scopes, expires_at }, { transaction })).get({ plain: true });
					await this.changed(transaction, [
						domainEvent("ApiKeyCreated", { type: "user", id: principal.id }, {
							user_id: principal.id,
							api_key_id: created.id,
							name: created.name,
							prefix,
							scopes,
							expires_at: expires_at?.toISOString() ?? null,
							client_ip: ctx.meta.client_ip ?? null
						})
					]);
					return created;
				});
				if (this.broker.isMetricsEnabled()) this.broker.metrics.increment("auth_tokens_created_total", { token_type: "api_key" });
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/v3/auth/api-keys`;
				return { id: row.id, name: row.name, prefix: row.prefix, key, scopes: row.scopes, created_at: row.created_at, expires_at: row.expires_at };
			}
		},

		listApiKeys: {
			rest: "GET /api-keys",
			auth: "read",
			openapi: {
				summary: "The caller's API keys",
				responses: { 200: { description: "Newest first, revoked ones included", schema: API_KEY_LIST } }
			},
			async handler(ctx: AuthContext) {
				const rows = await this.apiKeys.findAll({ where: { user_id: ctx.meta.user!.id }, order: [["created_at", "DESC"]] });
				return {
					api_keys: rows.map(r => {
						const k: ApiKeyRow = r.get({ plain: true });
						return {
							id: k.id,
							name: k.name,
							prefix: k.prefix,
							scopes: k.scopes,
							created_at: k.created_at,
							last_used_at: k.last_used_at,
							expires_at: k.expires_at,
							revoked_at: k.revoked_at
						};
					})
				};
			}
		},

		revokeApiKey: {
			rest: "DELETE /api-keys/:id",
			auth: "read",
			openapi: {
				summary: "Revoke an API key",
				description: "Your own keys; admins may revoke anyone's.",
				responses: { 204: { description: "Revoked (or already was)", schema: null }, 404: "No such key of yours" },
				example: { id: "7d8e1c52-6a38-4b8e-a1e6-2f0f0c6e9f41" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: AuthContext<{ id: string }>) {
				const row = (await this.apiKeys.findByPk(ctx.params.id))?.get({ plain: true });
				// Someone else's key is reported as missing, not as forbidden: ids are not an oracle.
				if (!row || (row.user_id !== ctx.meta.user!.id && !isAdmin(ctx.meta.user))) throw notFound("API key");
				if (!row.revoked_at) {
					await this.database.transaction(async transaction => {
						await this.apiKeys.update({ revoked_at: new Date() }, { where: { id: row.id }, transaction });
						await this.changed(transaction, [
							domainEvent("ApiKeyRevoked", { type: "user", id: row.user_id }, { user_id: row.user_id, api_key_id: row.id, name: row.name, revoked_by: ctx.meta.user!.id, client_ip: ctx.meta.client_ip ?? null })
						]);
					});
					// Connections opened with the key close at once, on every gateway.
					await this.forgetEverywhere(row.user_id);
				}
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		listUsers: {
			rest: "GET /users",
			auth: "admin",
			openapi: {
				summary: "List users",
				description: "Oldest first; `q` filters by part of the email.",
				responses: { 200: { description: "One page of users", schema: USER_PAGE } },
				example: { page: 1, page_size: 20 }
			},
			params: {
				...PAGE_PARAMS,
				q: { type: "string", max: 200, optional: true }
			},
			async handler(ctx: AuthContext<{ page?: number; page_size?: number; q?: string }>) {
				const { page, pageSize, offset } = pageOf(ctx.params);
				const where = ctx.params.q ? { email: { [Op.like]: `%${ctx.params.q.trim().toLowerCase()}%` } } : {};
				const { rows, count } = await this.users.findAndCountAll({ where, order: [["created_at", "ASC"]], limit: pageSize, offset });
				return { users: rows.map(r => this.profile(r.get({ plain: true }))), total: count, page, page_size: pageSize };
			}
		},

		getUser: {
			rest: "GET /users/:id",
			auth: "admin",
			openapi: {
				summary: "Get a user",
				responses: { 200: { description: "The user", schema: USER_PROFILE }, 404: "No such user" },
				example: { id: "0b6f3c1e-8a4d-4f55-9a0e-3c2d1b7e6f10" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: AuthContext<{ id: string }>) {
				const user = (await this.users.findByPk(ctx.params.id))?.get({ plain: true });
				if (!user) throw notFound("User");
				return this.profile(user);
			}
		},

		updateUser: {
			rest: "PATCH /users/:id",
			auth: "admin",
			openapi: {
				summary: "Change a user's roles, active flag or name",
				description: "Deactivating a user revokes their sessions at once; the last active admin cannot lose the role.",
				responses: { 200: { description: "The user as changed", schema: USER_PROFILE }, 404: "No such user", 409: "This is the last active admin" },
				example: { id: "0b6f3c1e-8a4d-4f55-9a0e-3c2d1b7e6f10", full_name: "Ada King" }
			},
			params: {
				id: { type: "string", max: 36 },
				roles: { type: "array", optional: true, min: 1, unique: true, items: { type: "enum", values: [...ROLES] } },
				is_active: { type: "boolean", optional: true },
				full_name: { type: "string", max: 200, optional: true, nullable: true }
			},
			async handler(ctx: AuthContext<{ id: string; roles?: Role[]; is_active?: boolean; full_name?: string | null }>) {
				const { id, roles, is_active, full_name } = ctx.params;
				const updated = await this.database.transaction(async transaction => {
					const user = (await this.users.findByPk(id, { transaction }))?.get({ plain: true });
					if (!user) throw notFound("User");
					const losesAdmin = user.roles.includes("admin") && ((roles && !roles.includes("admin")) || is_active === false);
					if (losesAdmin) {
						const admins = (await this.users.findAll({ where: { is_active: true }, transaction })).filter(u => u.get({ plain: true }).roles.includes("admin"));
						if (admins.length <= 1) throw conflict("This is the last active admin; make another admin first");
					}
					const changes: Partial<UserRow> = {};
					if (roles) changes.roles = roles;
					if (is_active !== undefined) changes.is_active = is_active;
					if (full_name !== undefined) changes.full_name = full_name;
					await this.users.update(changes, { where: { id }, transaction });
					const diff = Object.fromEntries(
						(Object.keys(changes) as (keyof UserRow)[])
							.filter(k => JSON.stringify(user[k]) !== JSON.stringify(changes[k]))
							.map(k => [k, { from: user[k], to: changes[k] }])
					);
					if (Object.keys(diff).length) {
						await this.changed(transaction, [
							domainEvent("UserUpdated", { type: "user", id }, { user_id: id, email: user.email, changes: diff, changed_by: ctx.meta.user!.id, client_ip: ctx.meta.client_ip ?? null })
						]);
					}
					if (is_active === false) {
						await this.refreshTokens.update({ revoked_at: new Date() }, { where: { user_id: id, revoked_at: null }, transaction });
					}
					return { ...user, ...changes };
				});
				// Tokens of a deactivated or re-roled user change meaning at once, on every node.
				await this.clearCache();
				await this.forgetEverywhere(id);
				return this.profile(updated);
			}
		}
	},

	methods: {
		async issueTokens(user: UserRow, family = randomUUID(), events: DomainEvent[] = []) {
			const keys = this.runtime.tokenKeys();
			const jti = randomUUID();
			const refresh = signRefreshToken(keys, user.id, family, jti);
			const token = { jti, family_id: family, user_id: user.id, expires_at: refresh.expiresAt };
			if (events.length) {
				await this.database.transaction(async transaction => {
					await this.refreshTokens.create(token, { transaction });
					await this.changed(transaction, events);
				});
			} else await this.refreshTokens.create(token);
			const access = signAccessToken(keys, user);
			if (this.broker.isMetricsEnabled()) {
				this.broker.metrics.increment("auth_tokens_created_total", { token_type: "access" });
				this.broker.metrics.increment("auth_tokens_created_total", { token_type: "refresh" });
			}
			return { access_token: access.token, refresh_token: refresh.token, token_type: "bearer", expires_in: access.expiresIn };
		},

		/** Writes the audit-worthy events of a change in the change's own transaction (the outbox). */
		async changed(transaction: Transaction, events: DomainEvent[]) {
			await appendToOutbox(sequelizeRunner(this.database.sequelize, transaction), events);
		},

		async revokeFamily(family: string) {
			await this.refreshTokens.update({ revoked_at: new Date() }, { where: { family_id: family, revoked_at: null } });
		},

		fail(reason: string, error: AppError): never {
			if (this.broker.isMetricsEnabled()) this.broker.metrics.increment("auth_failures_total", { reason });
			throw error;
		},

		profile(user: UserRow) {
			return {
				user_id: user.id,
				email: user.email,
				full_name: user.full_name,
				roles: user.roles,
				is_active: user.is_active,
				// ISO strings once here: the result is cached, and Date#toJSON on every send is not free.
				created_at: new Date(user.created_at).toISOString(),
				updated_at: new Date(user.updated_at).toISOString()
			};
		},

		/**
		 * Gateways keep the users behind tokens in memory, and their open sockets the rights
		 * they had. Tell each gateway to forget this user and check its sockets again, and
		 * wait for the answers, so the change holds everywhere when this call returns.
		 */
		async forgetEverywhere(userId: string) {
			const gateways = this.broker.registry.getServiceList({ onlyAvailable: true }).filter(s => s.name === "api");
			const results = await Promise.allSettled(
				gateways.map(g => this.broker.call("api.forgetPrincipal", { id: userId }, { nodeID: g.nodeID, timeout: 2000 }))
			);
			const failed = results.filter(r => r.status === "rejected").length;
			if (failed) this.logger.warn({ user_id: userId, gateways: failed }, "Some gateways did not confirm; their cache entry expires with CACHE_TTL");
		},

		/** The first admin comes from configuration, never from "first user wins". Idempotent. */
		async bootstrapAdmin() {
			const { SECURITY_ADMIN_EMAIL, SECURITY_ADMIN_PASSWORD, SECURITY_BCRYPT_ROUNDS } = this.runtime.config;
			if (!SECURITY_ADMIN_EMAIL) return;
			const email = normalizeEmail(SECURITY_ADMIN_EMAIL);
			await this.database.withLock("cognitionos:bootstrap-admin", async () => {
				const existing = (await this.users.findOne({ where: { email } }))?.get({ plain: true });
				if (existing) {
					if (!existing.roles.includes("admin")) {
						await this.users.update({ roles: [...existing.roles, "admin"] }, { where: { id: existing.id } });
						await this.clearCache();
						await this.forgetEverywhere(existing.id);
						this.logger.info({ email }, "Promoted the configured admin");
					}
					return;
				}
				await this.users.create({
					id: randomUUID(),
					email,
					password_hash: await hashPassword(SECURITY_ADMIN_PASSWORD, SECURITY_BCRYPT_ROUNDS),
					full_name: "Administrator",
					roles: ["admin"],
					is_active: true
				});
				this.logger.info({ email }, "Created the configured admin");
			});
		}
	},

	created() {
		this.runtime = runtimeOf(this.broker);
		ensureMetrics(this.broker, AUTH_METRICS);
	},

	async started() {
		const models = authModels(this.database.sequelize);
		this.users = models.User;
		this.refreshTokens = models.RefreshToken;
		this.apiKeys = models.ApiKey;
		const { config } = this.runtime;
		const windowMs = config.SECURITY_LOGIN_FAILURE_WINDOW;
		const prefix = `cognitionos:${config.NAMESPACE || "default"}:login-failures:`;
		this.emailLimiter = createAttemptLimiter({ maxFailures: config.SECURITY_LOGIN_MAX_FAILURES_PER_EMAIL, windowMs }, this.runtime.redis(), `${prefix}email:`);
		this.ipLimiter = createAttemptLimiter({ maxFailures: config.SECURITY_LOGIN_MAX_FAILURES_PER_IP, windowMs }, this.runtime.redis(), `${prefix}ip:`);
		this.registerLimiter = createAttemptLimiter(
			{ maxFailures: config.SECURITY_REGISTER_MAX_PER_IP, windowMs: config.SECURITY_REGISTER_WINDOW },
			this.runtime.redis(),
			`cognitionos:${config.NAMESPACE || "default"}:registrations:ip:`
		);
		await this.bootstrapAdmin();
	}
};

export default AuthService;
