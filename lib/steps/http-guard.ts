import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * The SSRF guard of http_request: loopback, private, link-local, carrier-grade NAT,
 * unique-local and unspecified addresses are refused unless the host is allow-listed.
 * An IPv6 address that carries an IPv4 one (mapped, compatible, SIIT, NAT64, 6to4,
 * Teredo) is judged by the IPv4 address it reaches. The check runs in the socket's own
 * DNS lookup, so the address checked is the address connected to (no re-resolution
 * between check and connect).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
	["0.0.0.0", 8],
	["10.0.0.0", 8],
	["100.64.0.0", 10],
	["127.0.0.0", 8],
	["169.254.0.0", 16],
	["172.16.0.0", 12],
	["192.0.0.0", 24],
	["192.168.0.0", 16],
	["198.18.0.0", 15],
	["224.0.0.0", 4],
	["240.0.0.0", 4]
] as const)
	blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
	["::", 128],
	["::1", 128],
	// Discard-only, and NAT64's local-use prefix (RFC 8215): neither reaches a public host.
	["100::", 64],
	["64:ff9b:1::", 48],
	["fc00::", 7],
	["fec0::", 10],
	["fe80::", 10],
	["ff00::", 8]
] as const)
	blocked.addSubnet(net, prefix, "ipv6");

/** An IPv6 address as eight 16-bit groups (zone id dropped, an IPv4 tail folded in); null when it is not one. */
export function ipv6Groups(address: string): number[] | null {
	let text = address.replace(/^\[|\]$/g, "").split("%")[0];
	if (isIP(text) !== 6) return null;
	const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
	if (v4) {
		const [a, b, c, d] = v4.slice(1).map(Number);
		text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
	const left = head ? head.split(":") : [];
	const right = tail ? tail.split(":") : [];
	const zeros = tail === null ? 0 : 8 - left.length - right.length;
	return [...left, ...Array(zeros).fill("0"), ...right].map(h => parseInt(h, 16));
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 addresses an IPv6 address reaches or stands for, by every embedding in use. */
export function embeddedIpv4(groups: readonly number[]): string[] {
	const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
	const zeroTo = (n: number) => groups.slice(0, n).every(g => g === 0);
	const out: string[] = [];
	// ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (SIIT), ::a.b.c.d (compatible, deprecated but still routed by some stacks).
	if (zeroTo(5) && g5 === 0xffff) out.push(v4Of(g6, g7));
	if (zeroTo(4) && g4 === 0xffff && g5 === 0) out.push(v4Of(g6, g7));
	if (zeroTo(6) && (g6 !== 0 || g7 > 1)) out.push(v4Of(g6, g7));
	// NAT64's well-known prefix 64:ff9b::/96.
	if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) out.push(v4Of(g6, g7));
	// 6to4 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
	if (g0 === 0x2002) out.push(v4Of(g1, g2));
	// Teredo 2001:0::/32: the server's address in clear, the client's inverted in the last 32 bits.
	if (g0 === 0x2001 && g1 === 0) out.push(v4Of(g2, g3), v4Of(g6 ^ 0xffff, g7 ^ 0xffff));
	return out;
}

export function isPrivateAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 4) return blocked.check(address, "ipv4");
	const groups = ipv6Groups(address);
	if (!groups) return true;
	const canonical = groups.map(g => g.toString(16)).join(":");
	if (blocked.check(canonical, "ipv6")) return true;
	return embeddedIpv4(groups).some(v4 => blocked.check(v4, "ipv4"));
}

export function hostAllowed(host: string, allowed: readonly string[]): boolean {
	const h = host.toLowerCase().replace(/^\[|\]$/g, "");
	return allowed.some(a => a === "*" || a.toLowerCase() === h);
}

export class ForbiddenAddressError extends Error {
	readonly type = "ssrf_refused";
	readonly final = true;
}

/** A `lookup` for http(s).request that refuses private addresses for hosts not allow-listed. */
export function guardedLookup(host: string, allowed: readonly string[]): LookupFunction {
	const skip = hostAllowed(host, allowed);
	return (hostname, options, callback) => {
		dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
			if (err) return callback(err, "", 0);
			const usable = skip ? addresses : addresses.filter(a => !isPrivateAddress(a.address));
			if (usable.length === 0) {
				const err = new ForbiddenAddressError(
					`${hostname} resolves to a private or local address (${addresses.map(a => a.address).join(", ")}); list the host in STEP_HTTP_ALLOWED_HOSTS to allow it`
				);
				return callback(err as NodeJS.ErrnoException, "", 0);
			}
			if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
			callback(null, usable[0].address, usable[0].family);
		});
	};
}
