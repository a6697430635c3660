import { clusterHarness } from "../support/engine-harness";
import { defineEngineSuite } from "../support/engine-suite";
import { available } from "../support/env";

const suite = available("postgres") && available("nats") ? defineEngineSuite : (title: string) => describe.skip(title, () => it("needs PostgreSQL and NATS", () => undefined));
suite("engine (cluster: gateway node and two execution nodes over NATS, PostgreSQL)", () => clusterHarness(2));
