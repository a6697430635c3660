import { embeddedIpv4, ipv6Groups, isPrivateAddress } from "../../lib/steps/http-guard";
import { httpRequest } from "../../lib/steps/http-request";
import type { StepRunContext } from "../../lib/steps/types";

/**
 * Issue 15: the SSRF guard let `[::127.0.0.1]` (IPv4-compatible IPv6) and `64:ff9b::/96`
 * (NAT64) through. Every IPv6 form that carries an IPv4 address is judged by that address.
 * A unit test: nothing here opens a connection (literal addresses are refused before any).
 */
describe("the SSRF guard and IPv6 forms of IPv4 addresses", () => {
	const refused = [
		["IPv4-mapped", "::ffff:127.0.0.1"],
		["IPv4-mapped, hex", "::ffff:7f00:1"],
		["IPv4-mapped, private", "::ffff:10.1.2.3"],
		["IPv4-compatible", "::127.0.0.1"],
		["IPv4-compatible, as URLs print it", "::7f00:1"],
		["IPv4-compatible, link-local", "::169.254.169.254"],
		["SIIT (IPv4-translated)", "::ffff:0:127.0.0.1"],
		["NAT64 well-known prefix", "64:ff9b::127.0.0.1"],
		["NAT64 well-known prefix, hex", "64:ff9b::a9fe:a9fe"],
		["NAT64 local-use prefix (RFC 8215)", "64:ff9b:1::808:808"],
		["6to4 of loopback", "2002:7f00:1::1"],
		["6to4 of a private network", "2002:c0a8:101::1"],
		["Teredo, client 127.0.0.1 (inverted)", "2001:0:4136:e378:8000:63bf:80ff:fffe"],
		["Teredo, server 10.0.0.1", "2001:0:a00:1::1"],
		["loopback", "::1"],
		["unspecified", "::"],
		["unique-local", "fd00::1"],
		["link-local with a zone", "fe80::1%eth0"],
		["site-local (deprecated)", "fec0::1"],
		["discard-only", "100::1"],
		["bracketed", "[::127.0.0.1]"]
	] as const;
	it.each(refused)("refuses %s (%s)", (_, address) => {
		expect(isPrivateAddress(address)).toBe(true);
	});

	const allowed = [
		["a public IPv4 address", "93.184.216.34"],
		["IPv4-mapped public", "::ffff:93.184.216.34"],
		["NAT64 of a public address", "64:ff9b::808:808"],
		["6to4 of a public address", "2002:808:808::1"],
		["Teredo with public server and client", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"],
		["a public IPv6 address", "2606:4700:4700::1111"]
	] as const;
	it.each(allowed)("lets %s through (%s)", (_, address) => {
		expect(isPrivateAddress(address)).toBe(false);
	});

	it("reads the groups and the embedded IPv4 addresses of each form", () => {
		expect(ipv6Groups("::ffff:127.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
		expect(ipv6Groups("not an address")).toBeNull();
		expect(embeddedIpv4(ipv6Groups("64:ff9b::7f00:1")!)).toEqual(["127.0.0.1"]);
		expect(embeddedIpv4(ipv6Groups("2002:7f00:1::1")!)).toEqual(["127.0.0.1"]);
	});

	it.each(["http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]:8080/x", "http://[::ffff:7f00:1]/", "http://0x7f.1/", "http://2130706433/"])(
		"has http_request refuse %s before connecting (ssrf_refused)",
		async url => {
			const ctx = { services: { httpAllowedHosts: [] }, signal: AbortSignal.timeout(1000), idempotencyKey: "k" } as unknown as StepRunContext;
			await expect(httpRequest.execute!({ url }, ctx)).rejects.toEqual(expect.objectContaining({ type: "ssrf_refused", final: true }));
		}
	);
});
