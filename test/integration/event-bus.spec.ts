import { eventBusHarness } from "../support/event-bus-harness";
import { defineEventBusSuite } from "../support/event-bus-suite";

defineEventBusSuite("event bus (embedded: outbox events handed to the handlers in-process)", () => eventBusHarness("in-process"));
