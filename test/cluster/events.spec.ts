import { clusterHarness } from "../support/engine-harness";
import { available } from "../support/env";
import { defineEventsSuite } from "../support/events-suite";

const suite = available("postgres") && available("nats") ? defineEventsSuite : (title: string) => describe.skip(title, () => it("needs PostgreSQL and NATS", () => undefined));
suite("events, waits and flow control (cluster: a gateway node and three execution nodes over NATS, PostgreSQL)", () => clusterHarness(3));
