/**
 * An OTLP/HTTP trace receiver in the test process (what Jaeger or a collector runs on
 * :4318): it accepts `POST /v1/traces` in the JSON encoding the exporter sends and keeps
 * every span, with the node it came from.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedSpan {
	traceId: string;
	spanId: string;
	parentSpanId?: string;
	name: string;
	/** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
	kind: number;
	attributes: Record<string, unknown>;
	/** `service.instance.id` of the process that sent it: the node id. */
	node: string;
	status?: { code?: number; message?: string };
	startNs: bigint;
	endNs: bigint;
}

interface OtlpValue {
	stringValue?: string;
	intValue?: string | number;
	doubleValue?: number;
	boolValue?: boolean;
	arrayValue?: { values?: OtlpValue[] };
}

interface OtlpAttribute {
	key: string;
	value: OtlpValue;
}

interface OtlpExport {
	resourceSpans?: {
		resource?: { attributes?: OtlpAttribute[] };
		scopeSpans?: {
			spans?: {
				traceId: string;
				spanId: string;
				parentSpanId?: string;
				name: string;
				kind: number;
				attributes?: OtlpAttribute[];
				status?: { code?: number; message?: string };
				startTimeUnixNano: string;
				endTimeUnixNano: string;
			}[];
		}[];
	}[];
}

function value(v: OtlpValue): unknown {
	if (v.stringValue !== undefined) return v.stringValue;
	if (v.intValue !== undefined) return Number(v.intValue);
	if (v.doubleValue !== undefined) return v.doubleValue;
	if (v.boolValue !== undefined) return v.boolValue;
	if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
	return undefined;
}

function attributes(list: OtlpAttribute[] | undefined): Record<string, unknown> {
	return Object.fromEntries((list ?? []).map(a => [a.key, value(a.value)]));
}

export class OtlpReceiver {
	readonly spans: ReceivedSpan[] = [];
	/** Requests whose body was not OTLP JSON (the exporter's protobuf, say): the test should fail on them. */
	readonly rejected: string[] = [];
	private server?: http.Server;
	url = "";

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on("data", (c: Buffer) => chunks.push(c));
			req.on("end", () => {
				if (req.method !== "POST" || req.url !== "/v1/traces") {
					res.writeHead(404).end();
					return;
				}
				try {
					this.accept(JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpExport);
					res.writeHead(200, { "content-type": "application/json" }).end("{}");
				} catch (err) {
					this.rejected.push(`${req.headers["content-type"]}: ${(err as Error).message}`);
					res.writeHead(400).end();
				}
			});
		});
		await new Promise<void>(resolve => this.server!.listen(0, "127.0.0.1", resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>(resolve => this.server!.close(() => resolve()));
	}

	private accept(body: OtlpExport): void {
		for (const rs of body.resourceSpans ?? []) {
			const node = String(attributes(rs.resource?.attributes)["service.instance.id"] ?? "");
			for (const ss of rs.scopeSpans ?? []) {
				for (const s of ss.spans ?? []) {
					this.spans.push({
						traceId: s.traceId,
						spanId: s.spanId,
						parentSpanId: s.parentSpanId || undefined,
						name: s.name,
						kind: s.kind,
						attributes: attributes(s.attributes),
						node,
						status: s.status,
						startNs: BigInt(s.startTimeUnixNano),
						endNs: BigInt(s.endTimeUnixNano)
					});
				}
			}
		}
	}

	trace(traceId: string): ReceivedSpan[] {
		return this.spans.filter(s => s.traceId === traceId);
	}

	/** Waits until `done` holds for the spans received so far (exporters send in batches). */
	async waitFor(done: (spans: ReceivedSpan[]) => boolean, timeoutMs = 15000): Promise<ReceivedSpan[]> {
		const until = Date.now() + timeoutMs;
		while (!done(this.spans)) {
			if (Date.now() > until) throw new Error(`The expected spans did not arrive within ${timeoutMs} ms; received: ${this.spans.map(s => `${s.node}:${s.name}`).join(", ")}`);
			await new Promise(r => setTimeout(r, 50));
		}
		return this.spans;
	}
}
