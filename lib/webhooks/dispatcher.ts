import { backoffDelay, type BackoffPolicy } from "../backoff";
import { postWebhook } from "./send";
import { signWebhook, WEBHOOK_HEADERS } from "./signature";
import type { DeliveryRecord, DeliveryStatus, WebhookStore } from "./store";

export interface DispatcherOptions {
	store: WebhookStore;
	retry: BackoffPolicy;
	timeoutMs: number;
	concurrency: number;
	allowedHosts: readonly string[];
	onDelivered?(status: "delivered" | "retried" | "failed" | "cancelled"): void;
	/** A send ended and its slot is free. */
	onSlotFree?(): void;
	/** A failed delivery will be due again at `at` (epoch ms). */
	onRetryAt?(at: number): void;
	log: { warn(obj: object, msg: string): void };
	now?: () => number;
}

// A claimed delivery stays hidden this long beyond its timeout; a node that died meanwhile leaves it to be tried again (ms).
const LEASE_SLACK_MS = 5_000;

/**
 * Sends queued webhook deliveries: takes the due ones (several nodes may run this; each
 * delivery goes to one), signs and POSTs each, and records the try in the delivery log.
 * A 2xx answer delivers; anything else is tried again after the backoff wait until the
 * tries are used up.
 */
export class WebhookDispatcher {
	private readonly inFlight = new Set<Promise<void>>();
	private readonly now: () => number;

	constructor(private readonly opts: DispatcherOptions) {
		this.now = opts.now ?? Date.now;
	}

	get busy(): number {
		return this.inFlight.size;
	}

	/** Starts as many due deliveries as there are free slots; returns how many it started. */
	async dispatchDue(): Promise<number> {
		const free = this.opts.concurrency - this.inFlight.size;
		if (free <= 0) return 0;
		const now = this.now();
		const due = await this.opts.store.claimDue(now, now + this.opts.timeoutMs + LEASE_SLACK_MS, free);
		for (const d of due) {
			const p = this.send(d)
				.catch(err => this.opts.log.warn({ err, delivery_id: d.id }, "Recording a webhook delivery failed; it is tried again when its lease ends"))
				.finally(() => {
					this.inFlight.delete(p);
					this.opts.onSlotFree?.();
				});
			this.inFlight.add(p);
		}
		return due.length;
	}

	/** Waits for the sends in flight (at most one timeout). */
	async drain(): Promise<void> {
		await Promise.all([...this.inFlight]);
	}

	private async send(d: DeliveryRecord): Promise<void> {
		const webhook = await this.opts.store.get(d.webhook_id);
		const at = this.now();
		if (!webhook || webhook.status !== "active") {
			await this.opts.store.recordAttempt(d, { attempt: d.attempts, at: new Date(at).toISOString(), status_code: null, error: "The webhook was disabled or deleted", duration_ms: null }, { status: "cancelled", next: null, at });
			this.opts.onDelivered?.("cancelled");
			return;
		}
		const timestamp = Math.floor(at / 1000);
		let statusCode: number | null = null;
		let error: string | null = null;
		let duration: number | null = null;
		try {
			const res = await postWebhook(webhook.url, d.payload, {
				[WEBHOOK_HEADERS.signature]: signWebhook(webhook.secret, timestamp, d.payload),
				[WEBHOOK_HEADERS.timestamp]: String(timestamp),
				[WEBHOOK_HEADERS.event]: d.event_type,
				[WEBHOOK_HEADERS.delivery]: d.id,
				[WEBHOOK_HEADERS.webhook]: webhook.id,
				"idempotency-key": d.id
			}, { timeoutMs: this.opts.timeoutMs, allowedHosts: this.opts.allowedHosts });
			statusCode = res.status;
			duration = Math.round(res.durationMs);
			if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ""}`;
		} catch (err) {
			error = (err as Error).message;
		}
		const done = this.now();
		const next = error === null ? null : backoffDelay(this.opts.retry, d.attempts);
		const status: DeliveryStatus = error === null ? "delivered" : next === null ? "failed" : "pending";
		await this.opts.store.recordAttempt(
			d,
			{ attempt: d.attempts, at: new Date(at).toISOString(), status_code: statusCode, error, duration_ms: duration },
			{ status, next: next === null ? null : done + next, at: done }
		);
		this.opts.onDelivered?.(status === "pending" ? "retried" : (status as "delivered" | "failed"));
		if (status === "pending" && next !== null) this.opts.onRetryAt?.(done + next);
	}
}
