import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * The SSRF guard of http_request: loopback, private, link-local, carrier-grade NAT,
 * unique-local and unspecified addresses are refused unless the host is allow-listed.
 * The check runs in the socket's own DNS lookup, so the address checked is the address
 * connected to (no re-resolution between check and connect).
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
	["fc00::", 7],
	["fe80::", 10],
	["ff00::", 8]
] as const)
	blocked.addSubnet(net, prefix, "ipv6");

export function isPrivateAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 4) return blocked.check(address, "ipv4");
	if (family === 6) {
		// IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address in disguise.
		const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
		if (mapped) return blocked.check(mapped[1], "ipv4");
		return blocked.check(address, "ipv6");
	}
	return true;
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
