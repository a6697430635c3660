import { embeddedHarness } from "../support/engine-harness";
import { defineEventsSuite } from "../support/events-suite";

defineEventsSuite("events, waits and flow control (embedded)", () => embeddedHarness());
