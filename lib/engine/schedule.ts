import { CronExpressionParser } from "cron-parser";

/** The first tick of `cron` strictly after `after`, its fields read in `timezone` (IANA; UTC when null), in epoch ms. */
export function nextTick(cron: string, after: number, timezone: string | null = null): number {
	return CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: timezone ?? "UTC" }).next().getTime();
}
