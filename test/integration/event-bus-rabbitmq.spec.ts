import { eventBusHarness } from "../support/event-bus-harness";
import { defineEventBusSuite } from "../support/event-bus-suite";
import { available } from "../support/env";

const suite = available("rabbitmq") ? defineEventBusSuite : (title: string) => describe.skip(title, () => it("needs RabbitMQ", () => undefined));
suite("event bus (through RabbitMQ: outbox → topic exchange → quorum queue per handler)", () => eventBusHarness("amqp"));
